using System.Text.Json;
using Provenance.Api.Chain;
using Provenance.Epcis;
using Provenance.Epcis.Export;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Api.Audit;

/// <summary>
/// Turns indexed history entries (and their off-chain records) into the EPCIS library's <see cref="ProvenanceEvent"/>s
/// (docs/epcis.md has the vocabulary table): registration → commissioning; a handoff → shipping by the sender and
/// receiving by the receiver; certification → inspecting with certificationInfo; a processing step with one of the
/// six craft steps → our craft bizStep; sale → retail_selling; flag → disposition stolen; revocation → recalled.
/// Kinds EPCIS has no event for (shipping/export notes, payment confirmation, notes, unflag, claim) and pieces
/// registered outside this gateway (no code) are left out; the CSV and JSON exports carry everything.
/// </summary>
public sealed class EpcisMapping(EpcisProfile profile, Deployment deployment, TimeSpan offset)
{
    /// <summary>The EPCIS events of one history entry (none, one, or two for a handoff).</summary>
    internal IEnumerable<ProvenanceEvent> Map(AuditStore.EventRow e, string? recordJson)
    {
        if (e.PieceCode is null || e.Timestamp is null || !Enum.TryParse<EventKind>(e.Kind, out var kind))
        {
            yield break;
        }

        using var record = Parse(recordJson);
        var root = record?.RootElement;
        var chain = new ChainReference(deployment.ChainId, deployment.Address, e.TransactionHash, (ulong)e.BlockNumber, (uint)e.LogIndex);
        var time = DateTimeOffset.FromUnixTimeSeconds(e.Timestamp.Value).ToOffset(offset);
        var actor = EpcisProfile.AccountParty(deployment.ChainId, e.Actor);
        var hash = e.RecordHash is null or SignedAction.ZeroHash ? null : e.RecordHash;
        var location = Text(root, "location") is { } l && Uri.TryCreate(l, UriKind.Absolute, out _) ? l : null;
        switch (kind)
        {
            case EventKind.Registration:
                yield return new PieceRegistered { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location };
                break;
            case EventKind.Handoff when e.Counterparty is not null:
                var to = EpcisProfile.AccountParty(deployment.ChainId, e.Counterparty);
                yield return new PieceShipped { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location, From = actor, To = to };
                yield return new PieceReceived { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = to, RecordHash = hash, Location = location, From = actor, To = to };
                break;
            case EventKind.Certification:
                yield return new PieceCertified
                {
                    PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location,
                    Certificates = Certificates(root, hash),
                };
                break;
            case EventKind.Processing when CraftSteps.FromTerm(Text(root, "step")?.Trim().ToLowerInvariant() ?? "") is { } step:
                yield return new PieceProcessed { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location, Step = step };
                break;
            case EventKind.Sale:
                yield return new PieceSold { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location };
                break;
            case EventKind.Flag:
                yield return new PieceFlagged { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location };
                break;
            case EventKind.Revocation:
                yield return new PieceRevoked { PieceCode = e.PieceCode, EventTime = time, Chain = chain, Actor = actor, RecordHash = hash, Location = location };
                break;
        }
    }

    // The GI label and lab report named in the certification record, as URIs under the deployment's domain; without
    // them, the record itself.
    private string[] Certificates(JsonElement? record, string? hash)
    {
        var result = new List<string>();
        if (record is { } r && r.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
        {
            if (Text(attributes, "giLabel") is { Length: > 0 } gi)
            {
                result.Add($"{profile.Base}/certificates/gi/{Uri.EscapeDataString(gi)}");
            }

            if (Text(attributes, "labReport") is { Length: > 0 } lab)
            {
                result.Add($"{profile.Base}/certificates/lab/{Uri.EscapeDataString(lab)}");
            }
        }

        if (result.Count == 0)
        {
            result.Add($"{profile.Base}/records/{hash ?? SignedAction.ZeroHash}");
        }

        return result.ToArray();
    }

    private static JsonDocument? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
