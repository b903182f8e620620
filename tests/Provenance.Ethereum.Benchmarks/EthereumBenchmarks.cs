using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Eip712;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Benchmarks;

/// <summary>
/// The offline Ethereum layer's hot paths, each beside a baseline measured in the same run: Keccak-256 against a
/// fresh BouncyCastle <c>KeccakDigest</c> per call, signing against BouncyCastle's plain <c>ECDsaSigner</c> (same
/// RFC 6979 nonce, no recovery id, no low-s), recovery against a full verify, ABI encoding of a registry batch against
/// its packed encoding.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EthereumBenchmarks
{
    private static readonly EthKey Key = EthKey.FromPrivateKey("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    private readonly byte[] _short = new byte[32];
    private readonly byte[] _long = new byte[1024];
    private readonly byte[] _hash = Keccak.Keccak256("benchmark");
    private readonly ECPrivateKeyParameters _bcKey;
    private readonly ECPublicKeyParameters _bcPublic;
    private readonly EthSignature _signature;
    private readonly Org.BouncyCastle.Math.BigInteger[] _bcSignature;
    private readonly AbiFunction _executeBatch;
    private readonly object?[] _batchArgs;
    private readonly byte[] _batchCalldata;
    private readonly TypedData _appendEvent;
    private readonly Eip1559Transaction _transaction;

    public EthereumBenchmarks()
    {
        new Random(1).NextBytes(_long);
        var curve = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        _bcKey = new ECPrivateKeyParameters(new Org.BouncyCastle.Math.BigInteger(1, Key.ExportPrivateKey()), domain);
        _bcPublic = new ECPublicKeyParameters(curve.Curve.DecodePoint([0x04, .. Key.PublicKey]), domain);
        _signature = Key.Sign(_hash);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, _bcKey);
        _bcSignature = signer.GenerateSignature(_hash);

        _executeBatch = AbiFunction.Parse(
            "executeBatch((uint8 action,address signer,bytes32 id,uint8 kind,bytes32 recordHash,address account,address[] makers,"
            + "(uint256 nonce,uint256 deadline,bytes signature) auth,(uint256 nonce,uint256 deadline,bytes signature) receiverAuth)[] actions)");
        var actions = Enumerable.Range(0, 10).Select(i => (object?)new object?[]
        {
            1, Key.Address, Keccak.Keccak256($"piece-{i}"), 3, Keccak.Keccak256($"record-{i}"), Address.Zero,
            Array.Empty<Address>(),
            new object?[] { new BigInteger(i), new BigInteger(1_900_000_000), _signature.ToBytes65() },
            new object?[] { BigInteger.Zero, BigInteger.Zero, Array.Empty<byte>() },
        }).ToArray();
        _batchArgs = [actions];
        _batchCalldata = _executeBatch.Encode(_batchArgs);

        _appendEvent = new TypedData(
            new Dictionary<string, IReadOnlyList<TypedDataField>>
            {
                ["AppendEvent"] = [new("id", "bytes32"), new("kind", "uint8"), new("recordHash", "bytes32"), new("nonce", "uint256"), new("deadline", "uint256")],
            },
            "AppendEvent",
            new Eip712Domain { Name = "ProvenanceRegistry", Version = "1", ChainId = 31337, VerifyingContract = Key.Address },
            new Dictionary<string, object?>
            {
                ["id"] = Keccak.Keccak256("K3WQ8M2X7P4R9TA"), ["kind"] = 3, ["recordHash"] = _hash,
                ["nonce"] = new BigInteger(7), ["deadline"] = new BigInteger(1_900_000_000),
            });
        _transaction = new Eip1559Transaction
        {
            ChainId = 31337, Nonce = 42, MaxPriorityFeePerGas = 1_000_000_000, MaxFeePerGas = 3_000_000_000,
            GasLimit = 2_000_000, To = Key.Address, Data = _batchCalldata,
        };
    }

    [Benchmark(Baseline = true), BenchmarkCategory("keccak256 32 B")]
    public byte[] KeccakNewDigest32() => NewDigest(_short);

    [Benchmark, BenchmarkCategory("keccak256 32 B")]
    public byte[] Keccak32() => Keccak.Keccak256(_short);

    [Benchmark(Baseline = true), BenchmarkCategory("keccak256 1 KiB")]
    public byte[] KeccakNewDigest1K() => NewDigest(_long);

    [Benchmark, BenchmarkCategory("keccak256 1 KiB")]
    public byte[] Keccak1K() => Keccak.Keccak256(_long);

    [Benchmark(Baseline = true), BenchmarkCategory("sign")]
    public Org.BouncyCastle.Math.BigInteger[] SignBouncyCastleEcdsa()
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, _bcKey);
        return signer.GenerateSignature(_hash);
    }

    [Benchmark, BenchmarkCategory("sign")]
    public EthSignature Sign() => Key.Sign(_hash);

    [Benchmark(Baseline = true), BenchmarkCategory("recover")]
    public bool VerifyBouncyCastleEcdsa()
    {
        var signer = new ECDsaSigner();
        signer.Init(false, _bcPublic);
        return signer.VerifySignature(_hash, _bcSignature[0], _bcSignature[1]);
    }

    [Benchmark, BenchmarkCategory("recover")]
    public Address RecoverAddress() => _signature.RecoverAddress(_hash);

    [Benchmark(Baseline = true), BenchmarkCategory("abi executeBatch(10)")]
    public byte[] AbiEncodePackedIds() => AbiCodec.EncodePacked([AbiType.Parse("bytes32[]")], [new[] { _hash, _hash, _hash, _hash, _hash, _hash, _hash, _hash, _hash, _hash }]);

    [Benchmark, BenchmarkCategory("abi executeBatch(10)")]
    public byte[] AbiEncodeBatch() => _executeBatch.Encode(_batchArgs);

    [Benchmark, BenchmarkCategory("abi executeBatch(10)")]
    public AbiValues AbiDecodeBatch() => _executeBatch.DecodeInput(_batchCalldata);

    [Benchmark(Baseline = true), BenchmarkCategory("eip712 AppendEvent")]
    public byte[] Eip712StructHash() => _appendEvent.StructHash();

    [Benchmark, BenchmarkCategory("eip712 AppendEvent")]
    public byte[] Eip712Digest() => _appendEvent.Digest();

    [Benchmark(Baseline = true), BenchmarkCategory("type-2 tx with batch calldata")]
    public byte[] TransactionSigningHash() => _transaction.GetSigningHash();

    [Benchmark, BenchmarkCategory("type-2 tx with batch calldata")]
    public SignedTransaction TransactionSign() => _transaction.Sign(Key);

    private static byte[] NewDigest(byte[] data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data, 0, data.Length);
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
