using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.Tests.Vectors;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Ethereum.Tests.Abi;

public sealed class AbiCodecVectorTests(ITestOutputHelper output)
{
    [VectorFact]
    public void Selector_SpecSignatures_Match()
    {
        var run = new VectorRun(output, "spec selectors");
        foreach (var v in VectorFiles.Spec.GetProperty("selectors").EnumerateArray())
        {
            var signature = v.GetProperty("signature").GetString()!;
            run.Case(signature, () =>
            {
                Expect.Hex(v.GetProperty("selector").GetString()!, AbiSignature.Selector(signature), "selector");
                Expect.Hex(v.GetProperty("selector").GetString()!, AbiFunction.Parse(signature).Selector, "AbiFunction.Selector");
            });
        }

        run.Complete(8);
    }

    [VectorFact]
    public void Encode_SpecCalls_MatchCalldataAndDecodeBack()
    {
        var run = new VectorRun(output, "spec abi_calls");
        foreach (var v in VectorFiles.Spec.GetProperty("abi_calls").EnumerateArray())
        {
            var signature = v.GetProperty("signature").GetString()!;
            run.Case(signature, () =>
            {
                var function = AbiFunction.Parse(signature);
                var args = v.GetProperty("args").EnumerateArray()
                    .Select((a, i) => AbiValueText.FromJson(function.Inputs[i].Type, a)).ToArray();
                var calldata = function.Encode(args);
                Expect.Hex(v.GetProperty("calldata").GetString()!, calldata, "calldata");
                var decoded = function.DecodeInput(calldata);
                Expect.Equal(AbiValueText.ToText(args), AbiValueText.ToText(decoded), "decoded arguments");
            });
        }

        run.Complete(4);
    }

    [VectorFact]
    public void EncodePacked_SpecExample_Matches()
    {
        var v = VectorFiles.Spec.GetProperty("abi_packed")[0];
        var types = v.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
        var values = v.GetProperty("values").EnumerateArray().Select((e, i) => AbiValueText.FromJson(types[i], e)).ToArray();

        var packed = AbiCodec.EncodePacked(types, values);

        HexConvert.ToHex(packed).Should().Be(v.GetProperty("packed").GetString());
    }

    [VectorFact]
    public void EncodeDecode_EthersAbiVectors_MatchByteForByte()
    {
        var run = new VectorRun(output, "ethers/abi.json.gz");
        foreach (var v in VectorFiles.Ethers("abi").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                // The whole type is one parameter (a dynamic tuple gets a leading offset).
                var type = AbiType.Parse(v.GetProperty("type").GetString()!);
                var aliased = System.Text.RegularExpressions.Regex.Replace(v.GetProperty("type").GetString()!, "(u?int)(?![0-9])", "${1}256");
                Expect.Equal(aliased, type.CanonicalName, "canonical type");
                var value = AbiValueText.FromVerbose(v.GetProperty("verbose"));
                var expected = v.GetProperty("encoded").GetString()!;
                var encoded = AbiCodec.Encode([type], [value]);
                Expect.Hex(expected, encoded, "encoding");
                var decoded = AbiCodec.Decode([type], HexConvert.FromHex(expected));
                Expect.Equal(AbiValueText.ToText(value), AbiValueText.ToText(decoded[0]), "decoded value");
            });
        }

        run.Complete(1024);
    }

    [VectorFact]
    public void EncodePacked_EthersSolidityHashes_MatchKeccak()
    {
        var run = new VectorRun(output, "ethers/solidity-hashes.json.gz");
        foreach (var v in VectorFiles.Ethers("solidity-hashes").EnumerateArray())
        {
            run.Case(v.GetProperty("name").GetString()!, () =>
            {
                var types = v.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
                var values = v.GetProperty("values").EnumerateArray().Select((e, i) => AbiValueText.FromJson(types[i], e)).ToArray();
                Expect.Hex(v.GetProperty("keccak256").GetString()!, Keccak.Keccak256(AbiCodec.EncodePacked(types, values)), "keccak256(packed)");
            });
        }

        run.Complete(2016);
    }
}
