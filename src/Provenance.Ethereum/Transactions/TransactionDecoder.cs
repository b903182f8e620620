using System.Numerics;
using Provenance.Ethereum.Crypto;
using Provenance.Ethereum.Rlp;

namespace Provenance.Ethereum.Transactions;

/// <summary>
/// Decodes signed transactions (EIP-2718 envelopes: legacy RLP, type 1 EIP-2930, type 2 EIP-1559) strictly: canonical
/// RLP and integers, exactly the right field count, a 20-byte or empty <c>to</c>, a valid low-s signature, and no
/// trailing bytes. Blob transactions (type 3) and other types are rejected as unsupported.
/// </summary>
public static class TransactionDecoder
{
    /// <summary>Decodes a signed transaction.</summary>
    /// <exception cref="FormatException">Malformed, non-canonical, unsupported type, or an invalid signature.</exception>
    public static SignedTransaction Decode(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length == 0)
        {
            throw new InvalidTransactionException("An empty transaction.");
        }

        var first = raw[0];
        if (first >= 0xc0)
        {
            return DecodeLegacy(List(raw, 0));
        }

        return first switch
        {
            1 => DecodeEip2930(List(raw, 1)),
            2 => DecodeEip1559(List(raw, 1)),
            3 => throw new InvalidTransactionException("Blob transactions (type 3, EIP-4844) are not supported."),
            _ => throw new InvalidTransactionException($"Unsupported transaction type 0x{first:x2}."),
        };
    }

    /// <summary>Decodes a signed transaction from hex.</summary>
    public static SignedTransaction Decode(string hex) => Decode(Hex.HexConvert.FromHex(hex));

    private static RlpList List(byte[] raw, int offset)
    {
        try
        {
            return RlpDecoder.Decode(raw.AsMemory(offset)).AsList();
        }
        catch (RlpException e)
        {
            throw new InvalidTransactionException($"Invalid transaction RLP: {e.Message}");
        }
    }

    private static SignedTransaction DecodeLegacy(RlpList f)
    {
        Count(f, 9, "legacy");
        var v = Integer(f[6], "v");
        ulong? chainId;
        int yParity;
        if (v == 27 || v == 28)
        {
            chainId = null;
            yParity = (int)(v - 27);
        }
        else if (v >= 35)
        {
            var id = (v - 35) / 2;
            chainId = id <= ulong.MaxValue ? (ulong)id : throw new InvalidTransactionException("EIP-155 chain id exceeds 64 bits.");
            yParity = (int)((v - 35) % 2);
        }
        else
        {
            throw new InvalidTransactionException($"Invalid legacy v {v}.");
        }

        var tx = new LegacyTransaction
        {
            Nonce = UInt64(f[0], "nonce"),
            GasPrice = Integer(f[1], "gasPrice"),
            GasLimit = UInt64(f[2], "gasLimit"),
            To = To(f[3]),
            Value = Integer(f[4], "value"),
            Data = Bytes(f[5], "data"),
            ChainId = chainId,
        };
        return tx.WithSignature(Signature(f[7], f[8], yParity));
    }

    private static SignedTransaction DecodeEip2930(RlpList f)
    {
        Count(f, 11, "EIP-2930");
        var tx = new Eip2930Transaction
        {
            ChainId = UInt64(f[0], "chainId"),
            Nonce = UInt64(f[1], "nonce"),
            GasPrice = Integer(f[2], "gasPrice"),
            GasLimit = UInt64(f[3], "gasLimit"),
            To = To(f[4]),
            Value = Integer(f[5], "value"),
            Data = Bytes(f[6], "data"),
            AccessList = AccessList(f[7]),
        };
        return tx.WithSignature(Signature(f[9], f[10], YParity(f[8])));
    }

    private static SignedTransaction DecodeEip1559(RlpList f)
    {
        Count(f, 12, "EIP-1559");
        var tx = new Eip1559Transaction
        {
            ChainId = UInt64(f[0], "chainId"),
            Nonce = UInt64(f[1], "nonce"),
            MaxPriorityFeePerGas = Integer(f[2], "maxPriorityFeePerGas"),
            MaxFeePerGas = Integer(f[3], "maxFeePerGas"),
            GasLimit = UInt64(f[4], "gasLimit"),
            To = To(f[5]),
            Value = Integer(f[6], "value"),
            Data = Bytes(f[7], "data"),
            AccessList = AccessList(f[8]),
        };
        return tx.WithSignature(Signature(f[10], f[11], YParity(f[9])));
    }

    private static void Count(RlpList fields, int expected, string kind)
    {
        if (fields.Count != expected)
        {
            throw new InvalidTransactionException($"A signed {kind} transaction has {expected} fields, not {fields.Count}.");
        }
    }

    private static EthSignature Signature(RlpItem r, RlpItem s, int yParity)
    {
        var rValue = Integer(r, "r");
        var sValue = Integer(s, "s");
        try
        {
            return EthSignature.Create(rValue, sValue, yParity);
        }
        catch (FormatException e)
        {
            throw new InvalidTransactionException($"Invalid transaction signature: {e.Message}");
        }
    }

    private static int YParity(RlpItem item)
    {
        var value = UInt64(item, "yParity");
        return value <= 1 ? (int)value : throw new InvalidTransactionException($"yParity must be 0 or 1, not {value}.");
    }

    private static Address? To(RlpItem item)
    {
        var bytes = Str(item, "to").Value.Span;
        return bytes.Length switch
        {
            0 => null,
            Address.Size => Address.FromBytes(bytes),
            _ => throw new InvalidTransactionException($"'to' must be empty or 20 bytes, not {bytes.Length}."),
        };
    }

    private static List<AccessListEntry> AccessList(RlpItem item)
    {
        var list = new List<AccessListEntry>();
        foreach (var entry in AsList(item, "accessList"))
        {
            var pair = AsList(entry, "access-list entry");
            if (pair.Count != 2)
            {
                throw new InvalidTransactionException("An access-list entry is [address, storageKeys].");
            }

            var address = Str(pair[0], "access-list address").Value.Span;
            if (address.Length != Address.Size)
            {
                throw new InvalidTransactionException("An access-list address has 20 bytes.");
            }

            var keys = AsList(pair[1], "storage keys").Select(k =>
            {
                var key = Str(k, "storage key").ToArray();
                return key.Length == 32 ? key : throw new InvalidTransactionException("A storage key has 32 bytes.");
            }).ToList();
            list.Add(new AccessListEntry(Address.FromBytes(address), keys));
        }

        return list;
    }

    private static BigInteger Integer(RlpItem item, string name)
    {
        var s = Str(item, name);
        if (s.Value.Length > 32)
        {
            throw new InvalidTransactionException($"'{name}' exceeds 256 bits.");
        }

        try
        {
            return s.ToBigInteger();
        }
        catch (RlpException e)
        {
            throw new InvalidTransactionException($"'{name}': {e.Message}");
        }
    }

    private static ulong UInt64(RlpItem item, string name)
    {
        try
        {
            return Str(item, name).ToUInt64();
        }
        catch (RlpException e)
        {
            throw new InvalidTransactionException($"'{name}': {e.Message}");
        }
    }

    private static byte[] Bytes(RlpItem item, string name) => Str(item, name).ToArray();

    private static RlpString Str(RlpItem item, string name) =>
        item as RlpString ?? throw new InvalidTransactionException($"'{name}' must be a byte string, not a list.");

    private static RlpList AsList(RlpItem item, string name) =>
        item as RlpList ?? throw new InvalidTransactionException($"'{name}' must be a list.");
}

/// <summary>A serialised transaction that is malformed, non-canonical, unsupported or badly signed.</summary>
public sealed class InvalidTransactionException(string message) : FormatException(message);
