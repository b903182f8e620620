using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Rlp;
using Provenance.Ethereum.Transactions;

namespace Provenance.Ethereum.Tests.Transactions;

public sealed class TransactionDecoderTests
{
    private static readonly EthKey Key = EthKey.FromPrivateKey("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    [Fact]
    public void Decode_RandomTransactions_RoundTripWithSender() => Properties.ForAllSeeds(40, random =>
    {
        var to = random.Next(4) == 0 ? (Address?)null : Address.FromBytes(random.Bytes(20));
        var data = random.Bytes(random.Next(0, 200));
        var accessList = Enumerable.Range(0, random.Next(0, 3))
            .Select(_ => new AccessListEntry(Address.FromBytes(random.Bytes(20)), [random.Bytes(32)])).ToList();
        Transaction tx = random.Next(3) switch
        {
            0 => new LegacyTransaction { Nonce = (ulong)random.NextInt64(), GasPrice = random.NextInt64(), GasLimit = 21_000, To = to, Data = data, ChainId = random.Next(2) == 0 ? null : (ulong)random.Next() },
            1 => new Eip2930Transaction { ChainId = (ulong)random.Next(), Nonce = 1, GasPrice = random.NextInt64(), GasLimit = (ulong)random.NextInt64(), To = to, Value = random.NextInt64(), Data = data, AccessList = accessList },
            _ => new Eip1559Transaction { ChainId = 31337, Nonce = (ulong)random.Next(), MaxPriorityFeePerGas = random.Next(), MaxFeePerGas = new BigInteger(random.Bytes(20), isUnsigned: true), GasLimit = 30_000_000, To = to, Data = data, AccessList = accessList },
        };

        var signed = tx.Sign(Key);
        var decoded = TransactionDecoder.Decode(signed.ToArray());

        decoded.RawBytes.ToArray().Should().Equal(signed.RawBytes.ToArray());
        decoded.Transaction.GetSigningPayload().Should().Equal(tx.GetSigningPayload());
        decoded.Transaction.To.Should().Be(to);
        decoded.RecoverSender().Should().Be(Key.Address);
        decoded.HashHex.Should().Be(signed.HashHex);
    });

    [Theory]
    [InlineData("0x", "empty")]
    [InlineData("0x03c0", "type 3")]
    [InlineData("0x05c0", "type 0x05")]
    [InlineData("0x02c0", "12 fields")]
    [InlineData("0xc0", "9 fields")]
    public void Decode_MalformedEnvelope_Rejected(string hex, string reason) =>
        FluentActions.Invoking(() => TransactionDecoder.Decode(HexConvert.FromHex(hex)))
            .Should().Throw<InvalidTransactionException>().WithMessage($"*{reason}*");

    [Fact]
    public void Decode_TrailingByteOrLeadingZeroNonce_Rejected()
    {
        var signed = new Eip1559Transaction { ChainId = 1, Nonce = 5, GasLimit = 21_000, To = Key.Address }.Sign(Key);
        var trailing = signed.ToArray().Append((byte)0).ToArray();
        var fields = RlpDecoder.Decode(signed.ToArray().AsMemory(1)).AsList().ToList();
        fields[1] = RlpItem.Of(new byte[] { 0, 5 });
        var paddedNonce = new byte[] { 2 }.Concat(RlpEncoder.Encode(new RlpList(fields))).ToArray();

        FluentActions.Invoking(() => TransactionDecoder.Decode(trailing)).Should().Throw<InvalidTransactionException>().WithMessage("*trailing*");
        FluentActions.Invoking(() => TransactionDecoder.Decode(paddedNonce)).Should().Throw<InvalidTransactionException>().WithMessage("*nonce*leading zero*");
    }

    [Fact]
    public void Decode_LegacyWithInvalidV_Rejected()
    {
        var signed = new LegacyTransaction { Nonce = 1, GasPrice = 1, GasLimit = 21_000, To = Key.Address }.Sign(Key);
        var fields = RlpDecoder.Decode(signed.ToArray()).AsList().ToList();
        fields[6] = RlpItem.Of(new BigInteger(30));

        FluentActions.Invoking(() => TransactionDecoder.Decode(RlpEncoder.Encode(new RlpList(fields))))
            .Should().Throw<InvalidTransactionException>().WithMessage("*v 30*");
    }

    [Fact]
    public void Decode_ToOf19Bytes_Rejected()
    {
        var signed = new Eip1559Transaction { ChainId = 1, GasLimit = 21_000, To = Key.Address }.Sign(Key);
        var fields = RlpDecoder.Decode(signed.ToArray().AsMemory(1)).AsList().ToList();
        fields[5] = RlpItem.Of(new byte[19]);

        FluentActions.Invoking(() => TransactionDecoder.Decode(new byte[] { 2 }.Concat(RlpEncoder.Encode(new RlpList(fields))).ToArray()))
            .Should().Throw<InvalidTransactionException>().WithMessage("*'to'*");
    }

    [Fact]
    public void With_FeeBump_ChangesHashAndKeepsSender()
    {
        var tx = new Eip1559Transaction { ChainId = 31337, Nonce = 7, MaxPriorityFeePerGas = 10, MaxFeePerGas = 100, GasLimit = 21_000, To = Key.Address };

        var first = tx.Sign(Key);
        var bumped = (tx with { MaxPriorityFeePerGas = 11, MaxFeePerGas = 110 }).Sign(Key);

        bumped.HashHex.Should().NotBe(first.HashHex);
        bumped.RecoverSender().Should().Be(first.RecoverSender());
        ((Eip1559Transaction)bumped.Transaction).Nonce.Should().Be(7);
    }
}
