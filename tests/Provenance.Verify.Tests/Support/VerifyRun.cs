namespace Provenance.Verify.Tests.Support;

/// <summary>The outcome of one <c>provenance-verify</c> invocation.</summary>
public sealed record VerifyOutcome(int ExitCode, string Output, string Error, string Json);

/// <summary>Runs the command line in process, capturing its outputs.</summary>
public static class VerifyRun
{
    /// <summary>Invokes <c>provenance-verify</c> with <paramref name="args"/>.</summary>
    public static async Task<VerifyOutcome> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var json = new MemoryStream();
        var exit = await VerifyCommand.InvokeAsync(args, output, error, () => json);
        return new VerifyOutcome(exit, output.ToString(), error.ToString(), System.Text.Encoding.UTF8.GetString(json.ToArray()));
    }

    /// <summary>The chain arguments for a driven registry.</summary>
    public static string[] ChainArgs(RegistryDriver chain, params string[] more) =>
        ["--rpc", chain.Node.RpcUrl, "--contract", chain.Registry.ToString(), "--from-block", chain.DeployBlock.ToString(), .. more];
}
