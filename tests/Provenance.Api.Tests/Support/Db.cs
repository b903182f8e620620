using Microsoft.Data.Sqlite;

namespace Provenance.Api.Tests.Support;

/// <summary>Direct SQLite access for assertions (row counts) and tampering.</summary>
public static class TestDb
{
    /// <summary>Counts rows of <paramref name="table"/>.</summary>
    public static long Count(string databasePath, string table, string where = "1=1")
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The first column of every row <paramref name="sql"/> returns.</summary>
    public static List<T> Column<T>(string databasePath, string sql)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(r.GetFieldValue<T>(0));
        }

        return list;
    }

    /// <summary>Runs a statement (e.g. to tamper with a record).</summary>
    public static int Execute(string databasePath, string sql)
    {
        using var c = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }
}
