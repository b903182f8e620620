namespace Provenance.Api.Tests.Support;

/// <summary>
/// A gateway whose chain cannot be reached (nothing listens on the RPC port): for start-up, options, security and
/// HTTP-behaviour tests that must not depend on a chain.
/// </summary>
public static class OfflineGateway
{
    /// <summary>Creates a factory with a syntactically valid deployment file and an unreachable RPC URL.</summary>
    public static GatewayFactory Create(IReadOnlyDictionary<string, string?>? settings = null) =>
        new("http://127.0.0.1:9", DeploymentFile, settings);

    /// <summary>A syntactically valid deployment file whose artifact exists (created once per test run).</summary>
    public static string DeploymentFile => LazyDeployment.Value;

    private static readonly Lazy<string> LazyDeployment = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("provenance-deploy-").FullName;
        var abi = Path.Combine(dir, "ProvenanceRegistry.json");
        File.WriteAllText(abi, """{"abi":[]}""");
        var deployment = Path.Combine(dir, "offline.json");
        File.WriteAllText(deployment, $$"""
            {"chainId":31337,"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","deployBlock":1,"deployTx":null,"abi":"{{abi}}","admin":null}
            """);
        return deployment;
    });
}
