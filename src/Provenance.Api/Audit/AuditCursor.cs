using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Provenance.Api.Hosting;

namespace Provenance.Api.Audit;

/// <summary>
/// The opaque page cursor of the audit listings: a position in the chain's log order (block number, log index),
/// base64url-encoded. Items come strictly after it, so a listing read while events are appended returns each
/// event exactly once (new events land at higher positions).
/// </summary>
public readonly record struct AuditCursor(long Block, long LogIndex)
{
    /// <summary>Before everything.</summary>
    public static readonly AuditCursor Start = new(-1, -1);

    /// <summary>The cursor text.</summary>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"v1:{Block.ToString(CultureInfo.InvariantCulture)}:{LogIndex.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Parses a cursor given back by a client; 400 when it is not one of ours.</summary>
    public static AuditCursor Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Start;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 3 && parts[0] == "v1"
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var block)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return new AuditCursor(block, index);
            }
        }
        catch (FormatException)
        {
        }

        throw ApiProblemException.BadRequest($"cursor '{text}' is not a cursor this gateway issued (pass nextCursor back unchanged).");
    }
}
