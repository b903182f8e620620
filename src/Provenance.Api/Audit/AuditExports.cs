using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Provenance.Api.Chain;
using Provenance.Api.Data;
using Provenance.Api.Records;
using Provenance.Api.Security;
using Provenance.Epcis;
using Provenance.Epcis.Export;
using Provenance.Ethereum.Hex;

namespace Provenance.Api.Audit;

/// <summary>Export formats of the audit event query.</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV, one row per history entry.</summary>
    Csv,

    /// <summary>A JSON array of <see cref="AuditEvent"/>.</summary>
    Json,

    /// <summary>A GS1 EPCIS 2.0 JSON-LD EPCISDocument.</summary>
    Epcis,
}

/// <summary>
/// Streams the events of an audit query as CSV, JSON or EPCIS 2.0 JSON-LD: rows are read a page at a time and
/// written as they come, so an export of any size holds one page in memory.
/// </summary>
public sealed class AuditExports(
    AuditStore store, Db db, Deployment deployment, IOptions<SecurityOptions> security, IOptions<AuditOptions> options, TimeProvider time)
{
    private static readonly string[] CsvColumns =
    [
        "blockNumber", "logIndex", "transactionHash", "blockHash", "time", "pieceCode", "pieceId", "seq", "kind", "actor", "actorId",
        "counterparty", "counterpartyId", "recordHash", "head",
    ];

    /// <summary>Writes the CSV export.</summary>
    public async Task WriteCsvAsync(Stream output, AuditFilter filter, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync(string.Join(',', CsvColumns) + "\r\n");
        await foreach (var row in store.StreamEventsAsync(filter, ct))
        {
            var e = row.ToEvent();
            string?[] fields =
            [
                Num(e.BlockNumber), Num(e.LogIndex), e.TransactionHash, e.BlockHash, e.Time?.ToString("O", CultureInfo.InvariantCulture),
                e.PieceCode, e.PieceId, Num(e.Seq), e.Kind, e.Actor, e.ActorId, e.Counterparty, e.CounterpartyId, e.RecordHash, e.Head,
            ];
            await writer.WriteAsync(string.Join(',', fields.Select(Csv)) + "\r\n");
        }
    }

    /// <summary>Writes the JSON export (an array of events).</summary>
    public async Task WriteJsonAsync(Stream output, AuditFilter filter, CancellationToken ct)
    {
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = AuditExtensions.ExportJson.Encoder });
        writer.WriteStartArray();
        var n = 0;
        await foreach (var row in store.StreamEventsAsync(filter, ct))
        {
            // JsonSerializer.Serialize(writer, …) would flush synchronously; the raw value is written into the buffer.
            writer.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(row.ToEvent(), AuditJsonContext.Default.AuditEvent), skipInputValidation: true);
            if (++n % 256 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(ct);
    }

    /// <summary>Writes the EPCIS 2.0 export (an EPCISDocument of ObjectEvents, each with its on-chain reference).</summary>
    public async Task WriteEpcisAsync(Stream output, AuditFilter filter, CancellationToken ct)
    {
        var profile = new EpcisProfile(new Uri(security.Value.PublicBaseUrl));
        var mapping = new EpcisMapping(profile, deployment, options.Value.Offset);
        await new EpcisExporter(profile).WriteDocumentAsync(output, EventsAsync(mapping, filter, ct), time.GetUtcNow(), ct);
    }

    private async IAsyncEnumerable<ProvenanceEvent> EventsAsync(EpcisMapping mapping, AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await foreach (var row in store.StreamEventsAsync(filter, ct))
        {
            var record = row.RecordHash is null || row.PieceCode is null ? null : await VerifiedRecordAsync(c, row.PieceCode, row.RecordHash, ct);
            foreach (var e in mapping.Map(row, record))
            {
                yield return e;
            }
        }
    }

    // The stored record with this on-chain hash, only if it still hashes to it (an altered record lends nothing to an export).
    private static async Task<string?> VerifiedRecordAsync(Microsoft.Data.Sqlite.SqliteConnection c, string code, string hash, CancellationToken ct)
    {
        var jsons = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT json FROM records WHERE piece_code = @code AND hash = @hash", new { code, hash }, cancellationToken: ct));
        foreach (var json in jsons)
        {
            try
            {
                if (string.Equals(HexConvert.ToHex(RecordHash.OfStored(json)), hash, StringComparison.OrdinalIgnoreCase))
                {
                    return json;
                }
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                // an unparseable record verifies nothing
            }
        }

        return null;
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    // RFC 4180 quoting; a leading = + - @ (a spreadsheet formula) is defused with a quote mark (OWASP CSV injection).
    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
