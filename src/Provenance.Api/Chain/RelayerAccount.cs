using System.Numerics;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;
using Provenance.Ethereum;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Submission;

namespace Provenance.Api.Chain;

/// <summary>
/// The gateway's relayer key (a gateway key, sealed under the master key) and its transaction submitter. On a dev
/// chain (chain id 31337 or 1337) it is funded and given REGISTRAR_ROLE from Chain:DevAdminPrivateKey (the deployer,
/// Hardhat/Anvil account #0); on any other chain the operator funds it and grants the role (its address is logged).
/// </summary>
public sealed class RelayerAccount(
    CustodialKeys keys, ISignerFactory signers, EthClient eth, IRegistryCodec codec, Deployment deployment,
    IOptions<ChainOptions> options, ILogger<RelayerAccount> logger)
{
    private static readonly BigInteger OneEther = BigInteger.Pow(10, 18);
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The relayer's address once started.</summary>
    public string Address => _address.Task.IsCompletedSuccessfully ? _address.Task.Result : "";

    /// <summary>Waits for the relayer's address.</summary>
    public Task<string> AddressAsync() => _address.Task;

    /// <summary>Loads the key, checks the chain, bootstraps a dev chain, and starts the submitter.</summary>
    public async Task<TransactionSubmitter> StartAsync(Func<BeforeSendContext, CancellationToken, Task> beforeSend, CancellationToken ct)
    {
        var (address, privateKey) = await keys.GatewayKeyAsync("relayer", ct);
        var signer = signers.Create(privateKey);
        Array.Clear(privateKey);
        var chainId = await eth.GetChainIdAsync(ct);
        if ((long)chainId != deployment.ChainId)
        {
            throw new InvalidOperationException($"The node serves chain id {chainId}; the deployment file says {deployment.ChainId}.");
        }

        if (chainId is 31337 or 1337 && options.Value.DevAdminPrivateKey is { Length: > 0 } devKey)
        {
            await BootstrapDevChainAsync(signer.Address, devKey, ct);
        }
        else
        {
            logger.LogInformation("Relayer address {Address}: fund it and grant it REGISTRAR_ROLE on the registry", address);
        }

        var submitter = new TransactionSubmitter(eth, signer, new TransactionSubmitterOptions
        {
            ExpectedChainId = chainId, BeforeSend = beforeSend,
        });
        await submitter.StartAsync(ct);
        _address.TrySetResult(address);
        return submitter;
    }

    private async Task BootstrapDevChainAsync(Address relayer, string devKey, CancellationToken ct)
    {
        var balance = await eth.GetBalanceAsync(relayer, BlockParameter.Latest, ct);
        if (balance >= OneEther)
        {
            return;
        }

        var admin = signers.Create(Provenance.Ethereum.Hex.HexConvert.FromHex(devKey));
        await using var submitter = new TransactionSubmitter(eth, admin);
        await submitter.StartAsync(ct);
        await submitter.SubmitAndWaitAsync(new TransactionRequest { To = relayer, Value = 100 * OneEther }, ct);
        var grant = await submitter.SubmitAndWaitAsync(new TransactionRequest
        {
            To = Provenance.Ethereum.Address.Parse(deployment.Address), Data = codec.GrantRole("REGISTRAR_ROLE", relayer.ToString()),
        }, ct);
        logger.LogInformation("Dev chain: funded relayer {Relayer} and granted it REGISTRAR_ROLE (tx {Tx}, ok={Ok})",
            relayer, grant.TransactionHash, grant.Succeeded);
    }
}
