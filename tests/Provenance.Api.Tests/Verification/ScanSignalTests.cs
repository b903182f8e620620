using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;

namespace Provenance.Api.Tests.Verification;

/// <summary>Scan counting without addresses, the suspected-copy rules, and the auditors' statistics.</summary>
[Collection(VerificationCollection.Name)]
public sealed class ScanSignalTests(VerificationFixture fixture)
{
    private VerificationApp App => fixture.App;

    [Fact]
    public async Task Scans_ClaimedPieceFromManyPhones_MarkedSuspectedCopy()
    {
        var piece = App.Source.Add(Pieces.Claimed());
        var states = new List<string>();

        for (var i = 0; i < VerificationApp.ClaimedDistinctClients; i++)
        {
            using var phone = App.Client("172.16.5.9", userAgent: $"Phone model {i}");
            states.Add(StateOf(await phone.GetStringAsync($"/p/{piece.Code}")));
        }

        states.Take(VerificationApp.ClaimedDistinctClients - 1).Should().AllBe("claimed");
        states.Last().Should().Be("suspected", "the scan that crosses the threshold already sees the caution");
        var stats = await App.Scans.GetAsync(piece.Code, CancellationToken.None);
        stats.TotalScans.Should().Be(VerificationApp.ClaimedDistinctClients);
        stats.Daily.Should().ContainSingle().Which.DistinctClients.Should().Be(VerificationApp.ClaimedDistinctClients);
        stats.Suspected!.Reason.Should().Be(SuspicionReason.ClaimedScannedByManyClients);
        (await App.Scans.ListSuspectedAsync(100, CancellationToken.None)).Should().Contain(m => m.Code == piece.Code);
    }

    [Fact]
    public async Task Scans_OwnerRescansFromOnePhone_StaysClaimed()
    {
        var piece = App.Source.Add(Pieces.Claimed());
        using var phone = App.Client("172.16.5.10", userAgent: "Owner's phone");

        for (var i = 0; i < VerificationApp.ClaimedDistinctClients * 3; i++)
        {
            StateOf(await phone.GetStringAsync($"/p/{piece.Code}")).Should().Be("claimed");
        }

        var stats = await App.Scans.GetAsync(piece.Code, CancellationToken.None);
        stats.TotalScans.Should().Be(VerificationApp.ClaimedDistinctClients * 3);
        stats.Daily.Single().DistinctClients.Should().Be(1);
        stats.Suspected.Should().BeNull();
    }

    [Fact]
    public async Task Scans_BurstFromDifferentPlaces_MarkedSuspectedCopy()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        var places = new[] { "31.4.1.1", "78.12.1.1", "103.77.1.1", "185.9.1.1" };
        var states = new List<string>();

        foreach (var place in places)
        {
            using var client = App.Client(place);
            states.Add(StateOf(await client.GetStringAsync($"/p/{piece.Code}")));
        }

        states.Should().Equal("authentic", "authentic", "authentic", "suspected");
        (await App.Scans.GetAsync(piece.Code, CancellationToken.None)).Suspected!.Reason.Should().Be(SuspicionReason.BurstFromManyPlaces);
    }

    [Fact]
    public async Task Scans_ManyDevicesInOneNetworkArea_NotABurst()
    {
        var piece = App.Source.Add(Pieces.Authentic());

        for (var i = 1; i <= VerificationApp.BurstDistinctPlaces * 2; i++)
        {
            using var client = App.Client($"49.36.{i}.{i}", userAgent: $"Shop visitor {i}");
            StateOf(await client.GetStringAsync($"/p/{piece.Code}")).Should().Be("authentic");
        }

        (await App.Scans.GetAsync(piece.Code, CancellationToken.None)).Daily.Single().DistinctPlaces.Should().Be(1);
    }

    [Fact]
    public async Task Scans_Stored_HoldNoAddressNorUserAgent()
    {
        var piece = App.Source.Add(Pieces.Authentic());
        using var client = App.Client("203.0.113.77", userAgent: "UA-marker-5e1f");
        (await client.GetAsync($"/p/{piece.Code}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await App.Scans.FlushAsync(CancellationToken.None);

        await using (var connection = new SqliteConnection($"Data Source={App.StoreDatabase};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM verification_scans WHERE code = $code";
            command.Parameters.AddWithValue("$code", piece.Code);
            ((long)(await command.ExecuteScalarAsync())!).Should().Be(1);
        }

        var bytes = Directory.GetFiles(Path.GetDirectoryName(App.StoreDatabase)!).SelectMany(File.ReadAllBytes).ToArray();
        bytes.Should().NotBeEmpty();
        Contains(bytes, Encoding.UTF8.GetBytes("203.0.113.77")).Should().BeFalse();
        Contains(bytes, [203, 0, 113, 77]).Should().BeFalse();
        Contains(bytes, Encoding.UTF8.GetBytes("UA-marker-5e1f")).Should().BeFalse();
        Contains(bytes, Encoding.UTF8.GetBytes(piece.Code)).Should().BeTrue("the check above would find text if it were there");
    }

    [Fact]
    public async Task Scans_ClearedByAuditor_PageShowsClaimedAgain()
    {
        var piece = App.Source.Add(Pieces.Claimed());
        for (var i = 0; i < VerificationApp.ClaimedDistinctClients; i++)
        {
            using var phone = App.Client("172.16.6.1", userAgent: $"Reseller phone {i}");
            await phone.GetStringAsync($"/p/{piece.Code}");
        }

        (await App.Scans.ClearSuspectedAsync(piece.Code, CancellationToken.None)).Should().BeTrue();

        using var owner = App.Client("172.16.6.2");
        StateOf(await owner.GetStringAsync($"/p/{piece.Code}")).Should().Be("claimed");
        (await App.Scans.GetAsync(piece.Code, CancellationToken.None)).Suspected.Should().BeNull();
    }

    private static string StateOf(string html)
    {
        const string marker = "data-state=\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return html[start..html.IndexOf('"', start)];
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
