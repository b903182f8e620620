using System.Numerics;
using Provenance.Ethereum.Abi;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Hex;

namespace Provenance.Ethereum.Tests.Abi;

public sealed class ContractAbiTests
{
    // The shape Hardhat writes to artifacts/contracts/X.sol/X.json (abi entries as solc emits them).
    private const string Artifact = """
    {
      "_format": "hh-sol-artifact-1",
      "contractName": "Shop",
      "sourceName": "contracts/Shop.sol",
      "abi": [
        { "inputs": [ { "internalType": "address", "name": "admin", "type": "address" } ], "stateMutability": "nonpayable", "type": "constructor" },
        { "inputs": [ { "internalType": "uint256", "name": "available", "type": "uint256" }, { "internalType": "uint256", "name": "required", "type": "uint256" } ], "name": "InsufficientBalance", "type": "error" },
        { "inputs": [ { "internalType": "bytes32", "name": "id", "type": "bytes32" } ], "name": "UnknownItem", "type": "error" },
        { "anonymous": false, "inputs": [
            { "indexed": true, "internalType": "bytes32", "name": "id", "type": "bytes32" },
            { "indexed": true, "internalType": "string", "name": "label", "type": "string" },
            { "indexed": false, "internalType": "struct Shop.Item", "name": "item", "type": "tuple",
              "components": [ { "internalType": "address", "name": "owner", "type": "address" }, { "internalType": "uint64[]", "name": "tags", "type": "uint64[]" } ] },
            { "indexed": true, "internalType": "address", "name": "by", "type": "address" } ],
          "name": "Listed", "type": "event" },
        { "inputs": [ { "internalType": "struct Shop.Item[]", "name": "items", "type": "tuple[]",
              "components": [ { "internalType": "address", "name": "owner", "type": "address" }, { "internalType": "uint64[]", "name": "tags", "type": "uint64[]" } ] } ],
          "name": "list", "outputs": [ { "internalType": "uint256", "name": "count", "type": "uint256" } ], "stateMutability": "nonpayable", "type": "function" },
        { "inputs": [ { "internalType": "bytes32", "name": "id", "type": "bytes32" } ], "name": "price", "outputs": [ { "internalType": "uint256", "name": "", "type": "uint256" }, { "internalType": "bool", "name": "listed", "type": "bool" } ], "stateMutability": "view", "type": "function" },
        { "inputs": [ { "internalType": "bytes32", "name": "id", "type": "bytes32" }, { "internalType": "uint256", "name": "n", "type": "uint256" } ], "name": "price", "outputs": [ { "internalType": "uint256", "name": "", "type": "uint256" } ], "stateMutability": "view", "type": "function" }
      ],
      "bytecode": "0x6080604052",
      "deployedBytecode": "0x6080",
      "linkReferences": {},
      "deployedLinkReferences": {}
    }
    """;

    [Fact]
    public void Parse_HardhatArtifact_ReadsFunctionsEventsErrors()
    {
        var abi = ContractAbi.Parse(Artifact);

        abi.ContractName.Should().Be("Shop");
        abi.Bytecode.Should().Equal(0x60, 0x80, 0x60, 0x40, 0x52);
        abi.ConstructorInputs.Select(p => p.ToString()).Should().Equal("address admin");
        abi.GetFunction("list").Signature.Should().Be("list((address,uint64[])[])");
        abi.GetFunction("price(bytes32)").IsReadOnly.Should().BeTrue();
        abi.GetEvent("Listed").Signature.Should().Be("Listed(bytes32,string,(address,uint64[]),address)");
        abi.GetError("InsufficientBalance").Selector.ToArray().Should().Equal(HexConvert.FromHex("0xcf479181"));
        FluentActions.Invoking(() => abi.GetFunction("price")).Should().Throw<KeyNotFoundException>().WithMessage("*overloaded*");
        FluentActions.Invoking(() => abi.GetFunction("nope")).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void FindFunctionAndError_BySelector_Found()
    {
        var abi = ContractAbi.Parse(Artifact);
        var calldata = abi.GetFunction("price(bytes32,uint256)").Encode(new byte[32], 3);
        var revert = abi.GetError("UnknownItem").Encode(new byte[32]);

        abi.FindFunction(calldata)!.Signature.Should().Be("price(bytes32,uint256)");
        abi.FindError(revert)!.Name.Should().Be("UnknownItem");
        abi.FindError(AbiError.ErrorString.Encode("x")).Should().BeNull();
        abi.FindFunction([1, 2]).Should().BeNull();
    }

    [Fact]
    public void EncodeDecode_TupleArrayCall_RoundTripsWithNames()
    {
        var list = ContractAbi.Parse(Artifact).GetFunction("list");
        var owner = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        object[] items = [new object[] { owner, new ulong[] { 1, 2 } }, new object[] { owner, Array.Empty<ulong>() }];

        var calldata = list.Encode([items]);
        var decoded = list.DecodeInput(calldata);

        AbiValueText.ToText(decoded["items"]).Should().Be(AbiValueText.ToText(items));
        list.DecodeOutput(list.EncodeOutput(2)).Get<BigInteger>("count").Should().Be(2);
        FluentActions.Invoking(() => list.DecodeInput(calldata.AsSpan(1))).Should().Throw<AbiException>();
    }

    [Fact]
    public void DecodeLog_IndexedStringAndStruct_GivesHashAndValues()
    {
        var listed = ContractAbi.Parse(Artifact).GetEvent("Listed");
        var id = Keccak.Keccak256("piece-1");
        var by = Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        object[] item = [by, new ulong[] { 7 }];
        var topics = new List<byte[]>
        {
            listed.Topic0.ToArray(),
            AbiEvent.EncodeTopic(AbiType.Bytes32, id),
            AbiEvent.EncodeTopic(AbiType.String, "shawl"),
            AbiEvent.EncodeTopic(AbiType.Address, by),
        };
        var data = AbiCodec.Encode([AbiType.Parse("(address,uint64[])")], [item]);

        var values = listed.DecodeLog(topics, data);

        values.Get<byte[]>("id").Should().Equal(id);
        values.Get<AbiIndexedHash>("label").Hash.Should().Equal(Keccak.Keccak256("shawl"));
        values.Get<Address>("by").Should().Be(by);
        AbiValueText.ToText(values["item"]).Should().Be(AbiValueText.ToText(item));
        listed.Matches(topics).Should().BeTrue();
    }

    [Fact]
    public void DecodeLog_WrongTopicCountOrEvent_Throws()
    {
        var transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");
        var from = AbiEvent.EncodeTopic(AbiType.Address, Address.Zero);
        var data = AbiCodec.Encode([AbiType.UInt256], [5]);

        transfer.Topic0.ToArray().Should().Equal(HexConvert.FromHex("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"));
        transfer.DecodeLog([transfer.Topic0.ToArray(), from, from], data).Get<BigInteger>("value").Should().Be(5);
        FluentActions.Invoking(() => transfer.DecodeLog([transfer.Topic0.ToArray(), from], data))
            .Should().Throw<AbiException>().WithMessage("*topics*");
        FluentActions.Invoking(() => transfer.DecodeLog([from, from, from], data))
            .Should().Throw<AbiException>().WithMessage("*not a Transfer*");
    }

    [Fact]
    public void ErrorStringAndPanic_Encoded_DecodeBack()
    {
        var revert = AbiError.ErrorString.Encode("Not enough Ether provided.");
        var panic = AbiError.Panic.Encode(0x11);

        HexConvert.ToHex(revert.AsSpan(0, 4)).Should().Be("0x08c379a0");
        AbiError.ErrorString.Decode(revert).Get<string>("message").Should().Be("Not enough Ether provided.");
        AbiError.Panic.Decode(panic).Get<BigInteger>(0).Should().Be(0x11);
        AbiError.Panic.Matches(revert).Should().BeFalse();
    }

    [Fact]
    public void FunctionParse_HumanReadable_ReadsMutabilityAndOutputs()
    {
        var f = AbiFunction.Parse("function balanceOf(address owner) external view returns (uint256 balance)");

        f.Signature.Should().Be("balanceOf(address)");
        f.StateMutability.Should().Be("view");
        f.Outputs.Single().Name.Should().Be("balance");
        HexConvert.ToHex(f.Selector).Should().Be("0x70a08231");
    }
}
