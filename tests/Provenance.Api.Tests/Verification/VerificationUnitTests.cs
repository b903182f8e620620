using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provenance.Api.Data;
using Provenance.Api.Products;
using Provenance.Api.Tests.Verification.Support;
using Provenance.Api.Verification;
using Provenance.Api.Verification.Preview;
using Provenance.Api.Verification.Scans;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verification;

/// <summary>Code normalisation, GTIN check digits, state precedence, caching, options, preview data.</summary>
public sealed class VerificationUnitTests
{
    [Theory]
    [InlineData("KP7Q3M9XZ2H4K8WTA", "KP7Q3M9XZ2H4K8WTA")]
    [InlineData("kp7q-3m9x-z2h4-k8wt-a", "KP7Q3M9XZ2H4K8WTA")]
    [InlineData(" KP7Q 3M9X Z2H4 K8WT A ", "KP7Q3M9XZ2H4K8WTA")]
    [InlineData("KP7QOM9XZ2H4K8IT8", "KP7Q0M9XZ2H4K81T8")]
    [InlineData("kp7ql", null)]
    [InlineData("KP7Q3M9XZ2H4K8WTU", null)]
    [InlineData("KP7Q3M9XZ2H4K8WTB", null)]
    [InlineData("<script>alert(1)</script>", null)]
    [InlineData("KP7Q3M9XZ2H4K8WTA/../x", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_TypedCode_ReturnsCanonicalOrNull(string? input, string? expected)
    {
        // The pages read codes with the gateway's own parser (check symbol included), so a mistyped code is unknown
        // without a store read.
        PieceCode.Normalize(input).Should().Be(expected);
    }

    [Theory]
    [InlineData("kani", "kani")]
    [InlineData("pashmina-kani", "kani")]
    [InlineData("Pashmina Kani", "kani")]
    [InlineData("Kani_Shawl", "kani")]
    [InlineData("Papier-mâché", "papier-mache")]
    [InlineData("walnut wood carving", "walnut-carving")]
    [InlineData("Willow", "willow-wicker")]
    [InlineData("pottery", null)]
    [InlineData("<script>", null)]
    [InlineData("", null)]
    public void ResolveCraft_AsWritten_KnownKeyOrNull(string craft, string? expected)
    {
        Provenance.Api.Products.Crafts.Resolve(craft).Should().Be(expected);
    }

    [Theory]
    [InlineData("09506000134352", true)]
    [InlineData("00012345600012", true)]
    [InlineData("09506000134353", false)]
    [InlineData("0950600013435", false)]
    [InlineData("0950600013435X", false)]
    public void IsValidGtin14_CheckDigit_Verified(string gtin, bool valid)
    {
        Gs1DigitalLink.IsValidGtin14(gtin).Should().Be(valid);
    }

    [Fact]
    public void States_SeveralConditions_MostSeriousWins()
    {
        var flaggedEverything = Pieces.Flagged() with
        {
            RecordMatch = new RecordMatchView(false, ["x"]),
            Freshness = new DataFreshness(false, DateTimeOffset.UnixEpoch),
        };

        VerificationStates.Of(null, true).Should().Be(VerificationState.Unknown);
        VerificationStates.Of(flaggedEverything, true).Should().Be(VerificationState.FlaggedOrRevoked);
        VerificationStates.Of(flaggedEverything with { Status = PieceStatus.Claimed }, true).Should().Be(VerificationState.RecordMismatch);
        VerificationStates.Of(Pieces.Unreachable() with { Status = PieceStatus.Claimed }, true).Should().Be(VerificationState.SuspectedCopy);
        VerificationStates.Of(Pieces.Unreachable() with { Status = PieceStatus.Claimed }, false).Should().Be(VerificationState.ChainUnreachable);
        VerificationStates.Of(Pieces.Claimed(), false).Should().Be(VerificationState.Claimed);
        VerificationStates.Of(Pieces.Authentic() with { Status = PieceStatus.Sold }, false).Should().Be(VerificationState.Authentic);
    }

    [Fact]
    public async Task PieceViews_WithinCacheDuration_ReadsSourceOnceUntilInvalidated()
    {
        var source = new CountingSource(Pieces.Authentic());
        await using var services = new ServiceCollection()
            .AddSingleton<IPieceVerificationSource>(source)
            .BuildServiceProvider();
        using var cache = new VerificationCache();
        var views = new PieceViews(services, cache, Options.Create(new VerificationOptions { ViewCacheDuration = TimeSpan.FromMinutes(1) }));

        var first = await views.GetAsync(source.View.Code, CancellationToken.None);
        var second = await views.GetAsync(source.View.Code, CancellationToken.None);
        (await views.GetAsync("UNKNOWN0000001", CancellationToken.None)).Should().BeNull();
        (await views.GetAsync("UNKNOWN0000001", CancellationToken.None)).Should().BeNull();
        views.Invalidate(source.View.Code);
        await views.GetAsync(source.View.Code, CancellationToken.None);

        second.Should().BeSameAs(first);
        source.Reads.Should().Be(3, "one read per code until invalidated, then one more");
    }

    [Theory]
    [InlineData("Verification:PublicBaseUrl", "https://verify.example.org/path")]
    [InlineData("Verification:PublicBaseUrl", "ftp://verify.example.org")]
    [InlineData("Verification:Gs1Gtin", "09506000134353")]
    [InlineData("Verification:Qr:MaxSize", "10")]
    [InlineData("Verification:RateLimits:PagesPerMinute", "0")]
    [InlineData("Verification:Scans:ClaimedDistinctClients", "1")]
    [InlineData("Verification:ViewCacheDuration", "01:00:00")]
    public void Options_Invalid_FailAtStart(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration[key] = value;
        builder.Services.AddVerification(builder.Configuration, builder.Environment);
        using var host = builder.Build();

        var act = () => host.Services.GetRequiredService<IOptions<VerificationOptions>>().Value;

        act.Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public void Options_PreviewInProduction_Refused()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration["Verification:PreviewFixturesFile"] = "pieces.json";
        builder.Services.AddVerification(builder.Configuration, builder.Environment);
        using var host = builder.Build();

        var act = () => host.Services.GetRequiredService<IOptions<VerificationOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*refused in Production*");
    }

    [Fact]
    public async Task PreviewFixtures_CommittedFile_LoadsEveryPiece()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Provenance.Api.Tests", "Verification", "Fixtures", "preview-pieces.json");

        var source = new FixturePieceVerificationSource(path);
        var view = await source.GetByCodeAsync("KP7Q3M9XZ2H4K8WTA", CancellationToken.None);

        view.Should().NotBeNull();
        view!.Makers.Should().HaveCount(3);
        view.Events.Should().HaveCount(5).And.OnlyContain(e => e.Verified);
        view.Certification!.LabResults.Should().HaveCount(2);
        VerificationStates.Of(view, false).Should().Be(VerificationState.Authentic);
    }

    [Fact]
    public async Task ScanSignals_MarkSurvivesRestart()
    {
        var directory = Directory.CreateTempSubdirectory("provenance-scans-");
        var options = Options.Create(new VerificationOptions { Scans = new ScanSignalOptions { BurstDistinctPlaces = 2 } });
        var db = new Db(Options.Create(new StorageOptions { DataDirectory = directory.FullName }));
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            await Migrations.ApplyAsync(connection, CancellationToken.None);
        }

        var piece = Pieces.Authentic();
        var first = NewSignals(options, db);
        await first.StartAsync(CancellationToken.None);
        first.Record(piece, new ClientFingerprint(1, 10, 100, 1000)).Should().BeNull();
        var mark = first.Record(piece, new ClientFingerprint(1, 11, 101, 1001));
        await first.StopAsync(CancellationToken.None);
        var second = NewSignals(options, db);
        await second.StartAsync(CancellationToken.None);

        mark!.Reason.Should().Be(SuspicionReason.BurstFromManyPlaces);
        second.MarkOf(piece.Code).Should().BeEquivalentTo(mark with { Since = DateTimeOffset.FromUnixTimeMilliseconds(mark.Since.ToUnixTimeMilliseconds()) });
        (await second.GetAsync(piece.Code, CancellationToken.None)).TotalScans.Should().Be(2);
        await second.StopAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    [Fact]
    public void ClientFingerprints_SaltRotates_SameClientHashesDifferently()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var fingerprints = new ClientFingerprints(Options.Create(new VerificationOptions()), time);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9");
        context.Request.Headers.UserAgent = "Phone";
        var neighbour = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        neighbour.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.200.1");
        neighbour.Request.Headers.UserAgent = "Phone";

        var morning = fingerprints.Of(context);
        var sameDay = fingerprints.Of(new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = context.Connection.RemoteIpAddress }, Request = { Headers = { UserAgent = "Phone" } } });
        var other = fingerprints.Of(neighbour);
        time.Now = time.Now.AddDays(1);
        var nextDay = fingerprints.Of(new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = context.Connection.RemoteIpAddress }, Request = { Headers = { UserAgent = "Phone" } } });

        sameDay.Should().Be(morning);
        other.Client.Should().NotBe(morning.Client);
        other.Place.Should().Be(morning.Place, "203.0.x.x is one network area");
        nextDay.SaltId.Should().NotBe(morning.SaltId);
        nextDay.Client.Should().NotBe(morning.Client);
        nextDay.ClientId.Should().NotContain("203");
    }

    [Fact]
    public async Task ScanSignals_ViewsCountedWhileFlushing_NoneLostOrDoubled()
    {
        var directory = Directory.CreateTempSubdirectory("provenance-scans-");
        var db = new Db(Options.Create(new StorageOptions { DataDirectory = directory.FullName }));
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            await Migrations.ApplyAsync(connection, CancellationToken.None);
        }

        var piece = Pieces.Authentic();
        var signals = NewSignals(Options.Create(new VerificationOptions()), db);
        await signals.StartAsync(CancellationToken.None);
        const int Writers = 3, Flushes = 25;
        var flushes = 0;
        using var writing = new CountdownEvent(Writers);
        var flusher = Task.Factory.StartNew(() =>
        {
            writing.Wait();
            for (var i = 0; i < Flushes; i++)
            {
                signals.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
                Interlocked.Increment(ref flushes);
            }
        }, TaskCreationOptions.LongRunning);

        // Each writer (own thread) counts views until the flusher is done, so views and flushes overlap on any machine.
        var recorded = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            long views = 0;
            writing.Signal();
            while (Volatile.Read(ref flushes) < Flushes)
            {
                signals.Record(piece, new ClientFingerprint(1, w, w, 7));
                views++;
            }

            return views;
        }, TaskCreationOptions.LongRunning)));
        await flusher;
        var stats = await signals.GetAsync(piece.Code, CancellationToken.None);
        await signals.StopAsync(CancellationToken.None);

        recorded.Should().OnlyContain(v => v > 0);
        stats.TotalScans.Should().Be(recorded.Sum());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task PieceViews_ConcurrentMissesOfOneCode_ReadSourceOnce()
    {
        var source = new GatedSource(Pieces.Authentic());
        await using var services = new ServiceCollection().AddSingleton<IPieceVerificationSource>(source).BuildServiceProvider();
        using var cache = new VerificationCache();
        var views = new PieceViews(services, cache, Options.Create(new VerificationOptions { ViewCacheDuration = TimeSpan.FromMinutes(1) }));

        var requests = Enumerable.Range(0, 16).Select(_ => views.GetAsync(source.View.Code, CancellationToken.None)).ToList();
        source.Release();
        var results = await Task.WhenAll(requests);

        source.Reads.Should().Be(1, "the requests that find the entry missing wait for one read");
        results.Should().AllSatisfy(v => v.Should().BeSameAs(source.View));
    }

    [Fact]
    public async Task PieceViews_SharedReadFails_EveryWaiterSeesItAndNextRequestReadsAgain()
    {
        var source = new GatedSource(Pieces.Authentic());
        await using var services = new ServiceCollection().AddSingleton<IPieceVerificationSource>(source).BuildServiceProvider();
        using var cache = new VerificationCache();
        var views = new PieceViews(services, cache, Options.Create(new VerificationOptions { ViewCacheDuration = TimeSpan.FromMinutes(1) }));

        var requests = Enumerable.Range(0, 4).Select(_ => views.GetAsync(source.View.Code, CancellationToken.None)).ToList();
        source.Fail(new PieceSourceUnavailableException("store locked"));
        foreach (var request in requests)
        {
            await request.Invoking(r => r).Should().ThrowAsync<PieceSourceUnavailableException>();
        }

        source.Reset();
        var retry = views.GetAsync(source.View.Code, CancellationToken.None);
        source.Release();

        (await retry).Should().BeSameAs(source.View);
        source.Reads.Should().Be(2);
    }

    [Fact]
    public async Task VerificationPages_ConcurrentRequestsForOneView_RenderOnceUntilTheViewChanges()
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        using var cache = new VerificationCache();
        var pages = new Provenance.Api.Verification.Pages.VerificationPages(
            new Provenance.Api.Verification.Pages.PageRenderer(services, NullLoggerFactory.Instance), new StaticAssets(), cache,
            Options.Create(new VerificationOptions { ViewCacheDuration = TimeSpan.FromMinutes(1) }));
        var view = Pieces.Authentic();
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        request.Path = "/p/" + view.Code;

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            pages.PieceAsync(request, Provenance.Api.Verification.Localization.Language.English, view, VerificationState.Authentic, false))));
        var later = await pages.PieceAsync(request, Provenance.Api.Verification.Localization.Language.English, view, VerificationState.Authentic, false);
        var refreshed = await pages.PieceAsync(request, Provenance.Api.Verification.Localization.Language.English, view with { }, VerificationState.Authentic, false);

        concurrent.Select(p => p.Page).Distinct().Should().ContainSingle("one render serves the requests that arrive while it runs");
        later.Page.Should().BeSameAs(concurrent[0].Page);
        refreshed.Page.Should().NotBeSameAs(later.Page, "a new view (the store was read again) is rendered again");
        System.Text.Encoding.UTF8.GetString(refreshed.Page.Utf8).Should().Be(System.Text.Encoding.UTF8.GetString(later.Page.Utf8));
    }

    [Fact]
    public void ClientFingerprints_SameHttp1Connection_ReusedUntilAddressOrAgentChanges()
    {
        var fingerprints = new ClientFingerprints(Options.Create(new VerificationOptions()), TimeProvider.System);
        var connection = new ConnectionItems();
        Microsoft.AspNetCore.Http.DefaultHttpContext Request(string address, string agent, string protocol = "HTTP/1.1")
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Features.Set<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>(connection);
            context.Request.Protocol = protocol;
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
            context.Request.Headers.UserAgent = agent;
            return context;
        }

        var first = fingerprints.Of(Request("198.51.100.7", "Phone"));
        var remembered = connection.Items.Values.Single();
        var again = fingerprints.Of(Request("198.51.100.7", "Phone"));
        var rememberedAfterAgain = connection.Items.Values.Single();
        var otherAgent = fingerprints.Of(Request("198.51.100.7", "Laptop"));
        var otherAddress = fingerprints.Of(Request("198.51.200.8", "Laptop"));
        var http2 = fingerprints.Of(Request("198.51.100.7", "Phone", "HTTP/2"));

        connection.Items.Should().ContainSingle("HTTP/1.x keeps the connection's last fingerprint");
        again.Should().Be(first);
        rememberedAfterAgain.Should().BeSameAs(remembered, "the second request reuses the connection's entry instead of computing again");
        otherAgent.Client.Should().NotBe(first.Client);
        otherAgent.Address.Should().Be(first.Address);
        otherAddress.Address.Should().NotBe(first.Address);
        otherAddress.Place.Should().Be(first.Place, "198.51.x.x is one network area");
        http2.Should().Be(first, "HTTP/2 computes per request, to the same hashes");
    }

    private static ScanSignals NewSignals(IOptions<VerificationOptions> options, Db db) =>
        new(options, new ScanStore(db), TimeProvider.System, NullLogger<ScanSignals>.Instance);

    private sealed class CountingSource(PieceVerificationView view) : IPieceVerificationSource
    {
        public PieceVerificationView View { get; } = view;

        public int Reads { get; private set; }

        public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(code == View.Code ? View : null);
        }
    }

    /// <summary>A source whose read waits until the test releases (or fails) it, counting reads.</summary>
    private sealed class GatedSource(PieceVerificationView view) : IPieceVerificationSource
    {
        private int _reads;
        private TaskCompletionSource<PieceVerificationView?> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PieceVerificationView View { get; } = view;

        public int Reads => Volatile.Read(ref _reads);

        public void Release() => _gate.TrySetResult(View);

        public void Fail(Exception exception) => _gate.TrySetException(exception);

        public void Reset() => _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<PieceVerificationView?> GetByCodeAsync(string code, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return _gate.Task;
        }
    }

    private sealed class ConnectionItems : Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
