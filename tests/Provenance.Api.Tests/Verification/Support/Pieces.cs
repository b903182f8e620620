using System.Security.Cryptography;
using PieceCode = Provenance.Api.Products.PieceCode;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>Builds piece views for each page state, with fresh random codes.</summary>
public static class Pieces
{
    private static readonly DateTimeOffset Registered = new(2024, 10, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A new random code, minted as the gateway mints them (check symbol included).</summary>
    public static string NewCode() => PieceCode.New();

    /// <summary>A fully described, authentic Kani shawl.</summary>
    public static PieceVerificationView Authentic(string? code = null)
    {
        code ??= NewCode();
        return new PieceVerificationView
        {
            Code = code,
            Craft = Provenance.Api.Products.Crafts.Kani,
            Title = "Kani shawl, chinar leaf jamawar",
            Description = "Woven over fourteen months by two weavers reading a talim.",
            Materials = ["Changthangi pashmina wool", "walnut-husk dye"],
            Techniques = ["kani tili weaving"],
            Dimensions = "200 × 100 cm",
            Certification = new CertificationView("JK-KAN-2024-004127", "Craft Development Institute, Srinagar",
                Registered.AddDays(35), [new LabResultView("Fibre diameter", "14.2 µm", true), new LabResultView("Azo dyes", "none found", true)]),
            Makers =
            [
                new MakerView("Ghulam Nabi Dar", "/media/makers/gnd.jpg", "Kanihama", "Kanihama", "weaving"),
                new MakerView(null, null, null, "Kanihama", "weaving"),
                new MakerView("Mehmooda Akhter", null, "Nowgam", "Kanihama", "finishing"),
            ],
            Origin = new OriginView("Kanihama", "Budgam", "Kashmir"),
            Events =
            [
                new PieceEventView(PieceEventKind.Registered, null, Registered, "Kanihama Weavers Cooperative", null, Tx(1), 1042, true),
                new PieceEventView(PieceEventKind.Processing, "washing", Registered.AddDays(19), "Kanihama Weavers Cooperative", "Washed in the Doodh Ganga.", Tx(2), 1187, true),
                new PieceEventView(PieceEventKind.Certification, null, Registered.AddDays(35), "Craft Development Institute, Srinagar", "GI label fixed.", Tx(3), 1290, true),
                new PieceEventView(PieceEventKind.Handoff, null, Registered.AddDays(42), "Valley Crafts Exports", null, Tx(4), 1333, true),
                new PieceEventView(PieceEventKind.PaymentConfirmed, null, Registered.AddDays(44), "Ghulam Nabi Dar", null, Tx(5), 1351, true),
            ],
            Custody =
            [
                new CustodyStepView("Kanihama Weavers Cooperative", "artisan cooperative", "Kanihama", Registered, null),
                new CustodyStepView("Valley Crafts Exports", "exporter", "Srinagar", Registered.AddDays(42), Tx(4)),
            ],
            Payment = new PaymentView(true, Registered.AddDays(44)),
            Status = PieceStatus.Active,
            RecordMatch = RecordMatchView.Matching,
            Proof = new ChainProofView("Provenance dev chain", 31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "0x" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code))), Tx(1), 1042, 2210),
            Freshness = new DataFreshness(true, new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero)),
        };
    }

    /// <summary>Claimed by an owner on 2 February 2025.</summary>
    public static PieceVerificationView Claimed(string? code = null) => Authentic(code) with
    {
        Status = PieceStatus.Claimed,
        ClaimedSince = new DateTimeOffset(2025, 2, 2, 10, 0, 0, TimeSpan.Zero),
    };

    /// <summary>Flagged as stolen.</summary>
    public static PieceVerificationView Flagged(string? code = null) => Authentic(code) with
    {
        Status = PieceStatus.Flagged,
        FlagReason = "Reported stolen from the Srinagar showroom",
    };

    /// <summary>Revoked: certification withdrawn.</summary>
    public static PieceVerificationView Revoked(string? code = null) => Authentic(code) with
    {
        Status = PieceStatus.Revoked,
        FlagReason = "Lab retest found machine-made weave",
    };

    /// <summary>Chain unreachable: last verified on 10 January 2025 09:00 UTC.</summary>
    public static PieceVerificationView Unreachable(string? code = null) => Authentic(code) with
    {
        Freshness = new DataFreshness(false, new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero)),
    };

    /// <summary>A transaction hash.</summary>
    public static string Tx(int n) => "0x" + Convert.ToHexStringLower(SHA256.HashData([(byte)n]));
}
