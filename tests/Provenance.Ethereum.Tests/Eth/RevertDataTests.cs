using System.Text.Json;
using Provenance.Ethereum.Eth;
using Provenance.Ethereum.Hex;
using Provenance.Ethereum.JsonRpc;

namespace Provenance.Ethereum.Tests.Eth;

public sealed class RevertDataTests
{
    private static JsonRpcError Error(long code, string message, string? dataJson) =>
        new(code, message, dataJson is null ? null : JsonDocument.Parse(dataJson).RootElement.Clone());

    [Theory]
    [InlineData(3, "execution reverted", "\"0x08c379a0aa\"", "0x08c379a0aa")] // geth, Anvil, newer Hardhat: error.data hex
    [InlineData(-32603, "Error: VM Exception while processing transaction: reverted", """{"message":"x","data":"0x4e487b71bb"}""", "0x4e487b71bb")] // Hardhat 2: error.data.data
    [InlineData(-32000, "VM Exception while processing transaction: revert", """{"hash":"0x01","programCounter":7,"result":"0xdeadbeef","reason":null}""", "0xdeadbeef")] // Ganache 7: error.data.result
    [InlineData(-32603, "Error: Transaction reverted without a reason string", """{"message":"x","data":"0x"}""", "0x")]
    [InlineData(3, "execution reverted", null, "0x")] // code 3 without data
    [InlineData(-32000, "execution reverted", null, "0x")] // geth without data
    public void TryExtract_KnownShapes_ReturnsRevertData(long code, string message, string? dataJson, string expected)
    {
        var found = RevertData.TryExtract(Error(code, message, dataJson), out var data);

        found.Should().BeTrue();
        data.Should().Equal(HexConvert.FromHex(expected));
    }

    [Theory]
    [InlineData(-32004, "Method eth_x is not supported", """{"message":"x","data":{"method":"eth_x","params":[]}}""")]
    [InlineData(-32000, "nonce too low", null)]
    [InlineData(-32602, "invalid argument", "\"not hex\"")]
    public void TryExtract_OtherErrors_ReturnsFalse(long code, string message, string? dataJson)
    {
        RevertData.TryExtract(Error(code, message, dataJson), out _).Should().BeFalse();
    }
}
