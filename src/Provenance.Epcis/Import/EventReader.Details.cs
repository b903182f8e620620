using System.Text.Json;
using Provenance.Epcis.Export;
using Provenance.Epcis.Hashing;
using Provenance.Epcis.Vocabulary;

namespace Provenance.Epcis.Import;

/// <summary>The optional parts of an event: certificates, parties, locations, our extensions, the stated eventID.</summary>
internal sealed partial class EventReader
{
    private List<string> ReadCertificationInfo(JsonElement e, string p)
    {
        var value = Member(e, "certificationInfo");
        var pointer = JsonPointer.Append(p, "certificationInfo");
        var uris = new List<string>();
        var items = value.ValueKind switch
        {
            JsonValueKind.Undefined => [],
            JsonValueKind.Array => value.EnumerateArray().Select((v, i) => (v, JsonPointer.Append(pointer, i))).ToList(),
            _ => [(value, pointer)],
        };

        if (value.ValueKind == JsonValueKind.Array && items.Count == 0)
        {
            Add(pointer, "is empty: name at least one certificate URI or leave it out");
        }

        foreach (var (item, itemPointer) in items)
        {
            if (item.ValueKind == JsonValueKind.String && IsAbsoluteUri(item.GetString()!))
            {
                uris.Add(item.GetString()!);
            }
            else
            {
                Add(itemPointer, $"{Show(item)} is not a certificate URI");
            }
        }

        return uris;
    }

    private List<PartyReference> ReadParties(JsonElement e, string p, string listName, string member)
    {
        var value = Member(e, listName);
        var pointer = JsonPointer.Append(p, listName);
        var parties = new List<PartyReference>();
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return parties;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(pointer, $"must be an array of {{type, {member}}} objects, found {JsonPointer.Describe(value.ValueKind)}");
            return parties;
        }

        var i = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var entryPointer = JsonPointer.Append(pointer, i++);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                Add(entryPointer, $"must be a {{type, {member}}} object, found {JsonPointer.Describe(entry.ValueKind)}");
                continue;
            }

            var type = RequiredString(entry, entryPointer, "type");
            var id = RequiredString(entry, entryPointer, member);
            var typeUri = type is null ? null : Cbv.SourceDestinationType.ToWebUri(prefixes.ExpandValue(type)) ?? prefixes.ExpandValue(type);
            if (typeUri is not null && !IsAbsoluteUri(typeUri))
            {
                Add(JsonPointer.Append(entryPointer, "type"), $"'{type}' is neither a CBV source/destination type nor a URI");
            }

            if (id is not null && !IsAbsoluteUri(id))
            {
                Add(JsonPointer.Append(entryPointer, member), $"'{id}' is not a URI");
            }

            if (typeUri is not null && id is not null)
            {
                parties.Add(new PartyReference(typeUri, id));
            }
        }

        return parties;
    }

    private string? ReadLocation(JsonElement e, string p, string name)
    {
        var value = Member(e, name);
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var pointer = JsonPointer.Append(p, name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(pointer, $"must be an object with an id, found {JsonPointer.Describe(value.ValueKind)}");
            return null;
        }

        var id = RequiredString(value, pointer, "id");
        if (id is not null && !IsAbsoluteUri(id))
        {
            Add(JsonPointer.Append(pointer, "id"), $"'{id}' is not a URI");
            return null;
        }

        return id;
    }

    // Our own extensions (prov:actor, prov:recordHash, prov:onChain), whatever prefix the document binds to our namespace.
    private (string? Actor, string? RecordHash, ChainReference? Chain) ReadExtensions(JsonElement e, string p)
    {
        string? actor = null, recordHash = null;
        ChainReference? chain = null;
        foreach (var member in e.EnumerateObject())
        {
            var pointer = JsonPointer.Append(p, member.Name);
            switch (OurTerm(member.Name))
            {
                case "actor":
                    actor = UriValue(member.Value, pointer);
                    break;
                case "recordHash":
                    recordHash = member.Value.ValueKind == JsonValueKind.String && Bytes32().IsMatch(member.Value.GetString()!)
                        ? member.Value.GetString()
                        : Invalid<string>(pointer, $"{Show(member.Value)} is not a 0x-prefixed 32-byte hex record hash");
                    break;
                case "onChain":
                    chain = ReadChainReference(member.Value, pointer);
                    break;
            }
        }

        return (actor, recordHash, chain);
    }

    private ChainReference? ReadChainReference(JsonElement value, string pointer)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Invalid<ChainReference>(pointer, $"must be an object, found {JsonPointer.Describe(value.ValueKind)}");
        }

        var fields = value.EnumerateObject().ToDictionary(m => OurTerm(m.Name) ?? m.Name, m => m.Value, StringComparer.Ordinal);
        long? chainId = fields.TryGetValue("chainId", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var ci) && ci > 0 ? ci : null;
        ulong? block = fields.TryGetValue("blockNumber", out var b) && b.ValueKind == JsonValueKind.Number && b.TryGetUInt64(out var bn) ? bn : null;
        uint? logIndex = fields.TryGetValue("logIndex", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetUInt32(out var li) ? li : null;
        var contract = fields.TryGetValue("contract", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var tx = fields.TryGetValue("transactionHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        if (chainId is null || block is null || logIndex is null || contract is null || tx is null)
        {
            return Invalid<ChainReference>(pointer, "needs chainId, contract, transactionHash, blockNumber and logIndex");
        }

        var reference = new ChainReference(chainId.Value, contract, tx, block.Value, logIndex.Value);
        try
        {
            reference.Validate();
            return reference;
        }
        catch (ArgumentException ex)
        {
            return Invalid<ChainReference>(pointer, ex.Message);
        }
    }

    private string? ReadStatedEventId(JsonElement e, string p, string hashId)
    {
        var value = Member(e, "eventID");
        var pointer = JsonPointer.Append(p, "eventID");
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !IsAbsoluteUri(value.GetString()!))
        {
            return Invalid<string>(pointer, $"{Show(value)} is not a URI");
        }

        var stated = value.GetString()!;
        if (options.VerifyStatedHashIds && EventHashId.IsHashId(stated) && stated != hashId)
        {
            Add(pointer, $"states hash ID {stated} but the event's content hashes to {hashId}");
        }

        return stated;
    }

    private string? OurTerm(string key)
    {
        var expanded = prefixes.ExpandKey(key);
        var prefix = "{" + profile.VocabularyNamespace + "}";
        if (expanded.StartsWith(prefix, StringComparison.Ordinal))
        {
            return expanded[prefix.Length..];
        }

        // A member may also be named by its full IRI.
        return key.StartsWith(profile.VocabularyNamespace, StringComparison.Ordinal) ? key[profile.VocabularyNamespace.Length..] : null;
    }
}
