// The registry's enums are the Ethereum layer's bindings (src/Provenance.Ethereum/Contracts/Registry/RegistryTypes.cs);
// aliased project-wide so the gateway's features name them without importing that namespace, whose SignedAction
// (byte-valued, for ABI encoding) would clash with the gateway's stored Chain.SignedAction (hex strings).
global using ActionType = Provenance.Ethereum.Contracts.Registry.ActionType;
global using EventKind = Provenance.Ethereum.Contracts.Registry.EventKind;
global using PieceStatus = Provenance.Ethereum.Contracts.Registry.PieceStatus;
