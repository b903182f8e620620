using Provenance.Epcis.Import;
using Provenance.Epcis.Export;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Tests.Support;

/// <summary>A varied history of three pieces: every event kind, every craft step, several time zones, with and
/// without locations, record hashes, ownership transfers and multiple certificates.</summary>
internal static class SampleHistory
{
    public static readonly EpcisProfile Profile = new(new Uri("https://provenance.example"));

    public const string Shawl = "KP7Q3M9XZ2H4K8W";
    public const string Carpet = "C4RP3T7NMQ2W9XZ";
    public const string Box = "PAP1ERM4CHE8B0X";

    private const string Contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    public static readonly string Artisan = EpcisProfile.AccountParty(31337, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public static readonly string Handler = EpcisProfile.AccountParty(31337, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    public static readonly string Exporter = EpcisProfile.AccountParty(31337, "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    public static readonly string Certifier = EpcisProfile.AccountParty(31337, "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    public static readonly string Retailer = "https://retailer.example/stores/srinagar";

    private static readonly TimeSpan Kashmir = TimeSpan.FromHours(5.5);

    public static ChainReference Chain(ulong block, uint logIndex) =>
        new(31337, Contract, "0x" + Convert.ToHexStringLower(BitConverter.GetBytes(block * 1000 + logIndex)).PadLeft(64, 'a'), block, logIndex);

    private static string RecordHash(int n) => "0x" + n.ToString("x2").PadLeft(64, 'c');

    public static IReadOnlyList<ProvenanceEvent> Events()
    {
        var t0 = new DateTimeOffset(2024, 3, 1, 9, 15, 0, Kashmir);
        var events = new List<ProvenanceEvent>
        {
            new PieceRegistered { PieceCode = Shawl, EventTime = t0, Chain = Chain(10, 0), Actor = Artisan, RecordHash = RecordHash(1), Location = "geo:34.0837,74.7973" },
        };

        var block = 11UL;
        foreach (var step in Enum.GetValues<CraftStep>())
        {
            events.Add(new PieceProcessed
            {
                PieceCode = Shawl, EventTime = t0.AddDays(3 * (int)step + 1), Chain = Chain(block++, 1), Actor = Artisan, Step = step,
                RecordHash = (int)step % 2 == 0 ? RecordHash(10 + (int)step) : null,
            });
        }

        events.AddRange(
        [
            new PieceCertified { PieceCode = Shawl, EventTime = t0.AddDays(20), Chain = Chain(20, 0), Actor = Certifier, Certificates = ["https://gi.example/certificates/PSH-2024-0042"] },
            new PieceShipped { PieceCode = Shawl, EventTime = t0.AddDays(21), Chain = Chain(21, 2), Actor = Artisan, From = Artisan, To = Handler, OwnershipTransferred = true },
            new PieceReceived { PieceCode = Shawl, EventTime = t0.AddDays(21).AddHours(5), Chain = Chain(21, 2), Actor = Handler, From = Artisan, To = Handler, OwnershipTransferred = true },
            new PieceShipped { PieceCode = Shawl, EventTime = new DateTimeOffset(2024, 3, 25, 4, 0, 0, TimeSpan.Zero), Chain = Chain(25, 0), Actor = Handler, From = Handler, To = Exporter },
            new PieceReceived { PieceCode = Shawl, EventTime = new DateTimeOffset(2024, 3, 26, 9, 30, 0, TimeSpan.FromHours(1)), Chain = Chain(25, 0), Actor = Exporter, From = Handler, To = Exporter, Location = "https://id.gs1.org/414/9520123456788" },
            new PieceSold { PieceCode = Shawl, EventTime = new DateTimeOffset(2024, 4, 2, 18, 45, 12, 345, TimeSpan.FromHours(-6)), Chain = Chain(30, 4), Actor = Exporter, RecordHash = RecordHash(40) },

            new PieceRegistered { PieceCode = Carpet, EventTime = t0.AddMinutes(1), Chain = Chain(10, 1), Actor = Artisan },
            new PieceProcessed { PieceCode = Carpet, EventTime = t0.AddDays(40), Chain = Chain(40, 0), Actor = Artisan, Step = CraftStep.Washing },
            new PieceCertified { PieceCode = Carpet, EventTime = t0.AddDays(41), Chain = Chain(41, 0), Actor = Certifier, Certificates = ["https://gi.example/certificates/CRP-7", "urn:uuid:6f1c2b8e-2d55-4b5b-9a65-0f6a1c7e9d11"] },
            new PieceFlagged { PieceCode = Carpet, EventTime = t0.AddDays(50), Chain = Chain(50, 0), Actor = Certifier },

            new PieceRegistered { PieceCode = Box, EventTime = t0.AddMinutes(2), Chain = Chain(10, 2), Actor = Artisan },
            new PieceRevoked { PieceCode = Box, EventTime = t0.AddDays(60), Chain = Chain(60, 0), Actor = Certifier, RecordHash = RecordHash(60) },
            new PieceSold { PieceCode = Box, EventTime = t0.AddDays(61), Chain = Chain(61, 0), Actor = Retailer },
        ]);
        return events;
    }
}

/// <summary>A resolver over a fixed EPC → piece code map.</summary>
internal sealed class DictionaryPieceResolver(IReadOnlyDictionary<string, string> known) : IPieceResolver
{
    public List<IReadOnlyCollection<string>> Calls { get; } = [];

    public ValueTask<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> epcs, CancellationToken cancellationToken)
    {
        Calls.Add(epcs);
        IReadOnlyDictionary<string, string> found = epcs.Where(known.ContainsKey).ToDictionary(e => e, e => known[e]);
        return ValueTask.FromResult(found);
    }

    /// <summary>Our three sample pieces, by their piece URIs.</summary>
    public static DictionaryPieceResolver ForSamplePieces() =>
        new(new[] { SampleHistory.Shawl, SampleHistory.Carpet, SampleHistory.Box }.ToDictionary(SampleHistory.Profile.PieceUri, c => c));
}
