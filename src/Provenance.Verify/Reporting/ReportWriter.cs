using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Verify.Checks;

namespace Provenance.Verify.Reporting;

/// <summary>Writes a <see cref="VerificationReport"/> for people (text) or for tools (JSON).</summary>
public static class ReportWriter
{
    /// <summary>One line per difference, then the totals and the verdict.</summary>
    public static void WriteText(TextWriter output, VerificationReport report)
    {
        output.WriteLine($"Registry {report.Registry} on chain {report.ChainId}, blocks {report.FromBlock}..{report.ToBlock}; " +
                         $"sources: chain{string.Concat(report.Sources.Select(s => ", " + s))}");
        foreach (var note in report.Notes)
        {
            output.WriteLine($"note: {note}");
        }

        foreach (var difference in report.Differences)
        {
            output.WriteLine($"DIFF {difference}");
        }

        var t = report.Totals;
        output.WriteLine($"{t.Pieces} pieces, {t.Entries} history entries rebuilt from logs; compared {t.PiecesCompared} pieces, " +
                         $"{t.EventsCompared} listed events, {t.StatesCompared} states ({t.StatesSkipped} skipped), {t.RecordsVerified} records re-hashed");
        output.WriteLine(report.Clean ? "OK: everything matches the chain" : $"FAILED: {report.Differences.Count} difference(s)");
    }

    /// <summary>The report as indented JSON.</summary>
    public static void WriteJson(Stream output, VerificationReport report)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        JsonSerializer.Serialize(writer, report, ReportJsonContext.Default.VerificationReport);
        writer.Flush();
        output.WriteByte((byte)'\n');
    }
}

/// <summary>Source-generated JSON metadata for the report.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(VerificationReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
