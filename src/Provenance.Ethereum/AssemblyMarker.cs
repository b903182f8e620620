namespace Provenance.Ethereum;
/// <summary>Placeholder until the layer lands.</summary>
public static class AssemblyMarker;
