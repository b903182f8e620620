using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Verification.Scans;

/// <summary>
/// Who is asking, without keeping who they are: HMAC-SHA256 of the address (and user agent) under a random salt that
/// lives only in memory and is replaced every <see cref="ScanSignalOptions.SaltRotation"/>. Neither the address nor
/// the salt is ever stored, so a stored hash cannot be traced back (an IPv4 space is small enough to try every
/// address against a kept salt).
/// </summary>
/// <param name="SaltId">Random id of the salt period the hashes belong to (hashes of different periods never compare).</param>
/// <param name="Client">Hash of address + user agent: one phone or browser.</param>
/// <param name="Address">Hash of the address alone: for rate limits.</param>
/// <param name="Place">Hash of the network area (IPv4 /16, IPv6 /32): "different places".</param>
public readonly record struct ClientFingerprint(long SaltId, long Client, long Address, long Place)
{
    /// <summary>The client hash as text, for <see cref="IClaimService"/>.</summary>
    public string ClientId => $"{SaltId:x16}.{Client:x16}";
}

/// <summary>Computes <see cref="ClientFingerprint"/>s under the current rotating salt.</summary>
public sealed class ClientFingerprints(IOptions<VerificationOptions> options, TimeProvider time)
{
    private readonly long _rotationTicks = options.Value.Scans.SaltRotation.Ticks;
    private readonly Lock _gate = new();
    private Salt _salt = Salt.New(-1);

    private static readonly object ItemKey = new();

    /// <summary>
    /// The fingerprint of the request's client, computed once per request and, on an HTTP/1.x keep-alive connection,
    /// once per connection while the address, user agent and salt stay the same (a busy client does not pay three
    /// HMACs per request). HTTP/1.x carries one request at a time, so the connection's entry is never shared by two
    /// requests at once; HTTP/2 and HTTP/3 streams run concurrently and compute per request.
    /// </summary>
    public ClientFingerprint Of(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is ClientFingerprint fingerprint)
        {
            return fingerprint;
        }

        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        var salt = Current();
        var connectionItems = HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
            ? context.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
        if (connectionItems is not null
            && connectionItems.TryGetValue(ItemKey, out var remembered)
            && remembered is ConnectionEntry entry && entry.Matches(salt.Id, address, agent))
        {
            fingerprint = entry.Fingerprint;
        }
        else
        {
            fingerprint = Compute(salt, address, agent);
            if (connectionItems is not null)
            {
                connectionItems[ItemKey] = new ConnectionEntry(salt.Id, address, agent, fingerprint);
            }
        }

        context.Items[ItemKey] = fingerprint;
        return fingerprint;
    }

    private static ClientFingerprint Compute(Salt salt, IPAddress address, string agent)
    {
        Span<byte> addressBytes = stackalloc byte[16];
        address.TryWriteBytes(addressBytes, out var written);
        var ip = addressBytes[..written];
        var prefixLength = address.AddressFamily == AddressFamily.InterNetwork ? 2 : Math.Min(4, written);

        var agentBytes = Encoding.UTF8.GetBytes(agent.Length > 512 ? agent[..512] : agent);
        var clientInput = new byte[1 + written + agentBytes.Length];
        clientInput[0] = (byte)'c';
        ip.CopyTo(clientInput.AsSpan(1));
        agentBytes.CopyTo(clientInput.AsSpan(1 + written));

        return new ClientFingerprint(
            salt.Id,
            Hash(salt.Key, clientInput),
            Hash(salt.Key, [(byte)'a', .. ip]),
            Hash(salt.Key, [(byte)'p', .. ip[..prefixLength]]));
    }

    private Salt Current()
    {
        var period = time.GetUtcNow().UtcTicks / _rotationTicks;
        var salt = Volatile.Read(ref _salt);
        if (salt.Period == period)
        {
            return salt;
        }

        lock (_gate)
        {
            if (_salt.Period != period)
            {
                _salt = Salt.New(period);
            }

            return _salt;
        }
    }

    private static long Hash(byte[] key, ReadOnlySpan<byte> input)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, input, mac);
        return BinaryPrimitives.ReadInt64LittleEndian(mac);
    }

    /// <summary>A connection's last fingerprint and what it was computed from (kept in memory with the connection).</summary>
    private sealed record ConnectionEntry(long SaltId, IPAddress Address, string Agent, ClientFingerprint Fingerprint)
    {
        public bool Matches(long saltId, IPAddress address, string agent) =>
            SaltId == saltId && Address.Equals(address) && string.Equals(Agent, agent, StringComparison.Ordinal);
    }

    private sealed record Salt(long Period, long Id, byte[] Key)
    {
        public static Salt New(long period) =>
            new(period, BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8)), RandomNumberGenerator.GetBytes(32));
    }
}
