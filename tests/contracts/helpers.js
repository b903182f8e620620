// Shared fixtures and EIP-712 helpers for the registry tests.
const { ethers } = require("hardhat");

const Status = { None: 0, Active: 1, Sold: 2, Claimed: 3, Flagged: 4, Revoked: 5 };
const Kind = {
  Registration: 0,
  Processing: 1,
  Certification: 2,
  Shipping: 3,
  Export: 4,
  Sale: 5,
  PaymentConfirmed: 6,
  Note: 7,
  Handoff: 8,
  Flag: 9,
  Unflag: 10,
  Revocation: 11,
  Claim: 12,
};
const Action = { Register: 0, AppendEvent: 1, Handoff: 2, Flag: 3, Unflag: 4, Revoke: 5, Claim: 6 };
const ActionName = Object.fromEntries(Object.entries(Action).map(([k, v]) => [v, k]));

const ROLE = {
  DEFAULT_ADMIN: ethers.ZeroHash,
  REGISTRAR: ethers.id("REGISTRAR_ROLE"),
  ARTISAN: ethers.id("ARTISAN_ROLE"),
  HANDLER: ethers.id("HANDLER_ROLE"),
  CERTIFIER: ethers.id("CERTIFIER_ROLE"),
};

const MAX_UINT = ethers.MaxUint256;
const ZERO_SIG = { nonce: 0n, deadline: 0n, signature: "0x" };

/** EIP-712 types, exactly as documented on IProvenanceRegistry. */
const TYPES = {
  Register: [
    { name: "id", type: "bytes32" },
    { name: "recordHash", type: "bytes32" },
    { name: "makers", type: "address[]" },
    { name: "claimSigner", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  AppendEvent: [
    { name: "id", type: "bytes32" },
    { name: "kind", type: "uint8" },
    { name: "recordHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Handoff: [
    { name: "id", type: "bytes32" },
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "recordHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Flag: [
    { name: "id", type: "bytes32" },
    { name: "recordHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Claim: [
    { name: "id", type: "bytes32" },
    { name: "owner", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
TYPES.Unflag = TYPES.Flag;
TYPES.Revoke = TYPES.Flag;

const pieceId = (code) => ethers.keccak256(ethers.toUtf8Bytes(code));
const record = (label) => ethers.keccak256(ethers.toUtf8Bytes(`record:${label}`));
const sortAddresses = (addrs) =>
  [...addrs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

/** keccak256(abi.encodePacked(address[])) - each address padded to 32 bytes. */
const makersHash = (makers) =>
  ethers.keccak256(ethers.concat(makers.map((m) => ethers.zeroPadValue(m, 32))));

/** One step of the documented hash-chain fold. */
function fold(prevHead, id, seq, kind, actor, counterparty, recordHash, mHash) {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "bytes32", "uint256", "uint8", "address", "address", "bytes32", "bytes32"],
      [prevHead, id, seq, kind, actor, counterparty, recordHash, mHash],
    ),
  );
}

async function domainOf(registry) {
  return {
    name: "ProvenanceRegistry",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await registry.getAddress(),
  };
}

/** The EIP-712 [primaryType, message] a signer signs for `action` with its nonce and deadline. */
function typedMessage(action, nonce, deadline) {
  const name = ActionName[action.action];
  const base = { id: action.id, nonce, deadline };
  switch (action.action) {
    case Action.Register:
      return [name, { ...base, recordHash: action.recordHash, makers: action.makers, claimSigner: action.account }];
    case Action.AppendEvent:
      return [name, { ...base, kind: action.kind, recordHash: action.recordHash }];
    case Action.Handoff:
      return [name, { ...base, from: action.signer, to: action.account, recordHash: action.recordHash }];
    case Action.Claim:
      return [name, { ...base, owner: action.account }];
    default:
      return [name, { ...base, recordHash: action.recordHash }];
  }
}

async function signTyped(signer, domain, primaryType, message) {
  return signer.signTypedData(domain, { [primaryType]: TYPES[primaryType] }, message);
}

/**
 * Builds a signed action. `fields`: { action, id, kind, recordHash, account, makers }.
 * `opts`: { nonce, deadline, domain, receiver (a signer, for Handoff), receiverNonce, receiverDeadline }.
 */
async function signAction(registry, signer, fields, opts = {}) {
  const domain = opts.domain ?? (await domainOf(registry));
  const action = {
    action: fields.action,
    signer: signer.address,
    id: fields.id,
    kind: fields.kind ?? 0,
    recordHash: fields.recordHash ?? ethers.ZeroHash,
    account: fields.account ?? ethers.ZeroAddress,
    makers: fields.makers ?? [],
    auth: null,
    receiverAuth: ZERO_SIG,
  };
  const nonce = opts.nonce ?? (await registry.nonces(signer.address));
  const deadline = opts.deadline ?? MAX_UINT;
  const [type, message] = typedMessage(action, nonce, deadline);
  action.auth = { nonce, deadline, signature: await signTyped(signer, domain, type, message) };
  if (action.action === Action.Handoff && opts.receiver) {
    action.receiverAuth = await signHandoffConsent(
      registry,
      opts.receiver,
      { id: action.id, from: action.signer, to: action.account, recordHash: action.recordHash },
      { nonce: opts.receiverNonce, deadline: opts.receiverDeadline, domain },
    );
  }
  return action;
}

/** The receiver's Authorization for a handoff (used by `handoff` and by a relayed Handoff). */
async function signHandoffConsent(registry, receiver, { id, from, to, recordHash }, opts = {}) {
  const domain = opts.domain ?? (await domainOf(registry));
  const nonce = opts.nonce ?? (await registry.nonces(receiver.address));
  const deadline = opts.deadline ?? MAX_UINT;
  const message = { id, from, to, recordHash, nonce, deadline };
  return { nonce, deadline, signature: await signTyped(receiver, domain, "Handoff", message) };
}

/** A deterministic wallet (for claim keys); not funded. */
const wallet = (label) => new ethers.Wallet(ethers.id(`wallet:${label}`));

async function deployRegistryFixture() {
  const [admin, registrar, artisan, artisan2, handler, handler2, certifier, outsider, relayer, consumer, ...more] =
    await ethers.getSigners();
  const registry = await ethers.deployContract("ProvenanceRegistry", [0, admin.address]);
  await registry.grantRole(ROLE.REGISTRAR, registrar.address);
  const asRegistrar = registry.connect(registrar);
  for (const a of [artisan, artisan2]) await asRegistrar.grantRole(ROLE.ARTISAN, a.address);
  for (const h of [handler, handler2]) await asRegistrar.grantRole(ROLE.HANDLER, h.address);
  await asRegistrar.grantRole(ROLE.CERTIFIER, certifier.address);
  return {
    registry,
    admin,
    registrar,
    artisan,
    artisan2,
    handler,
    handler2,
    certifier,
    outsider,
    relayer,
    consumer,
    more,
  };
}

const PIECE_CODE = "KP7Q3M9XZ2H4K8W";
const PIECE = pieceId(PIECE_CODE);
const CLAIM_KEY = wallet("claim:KP7Q3M9XZ2H4K8W");

async function registeredFixture() {
  const f = await deployRegistryFixture();
  const makers = sortAddresses([f.artisan.address, f.artisan2.address]);
  await f.registry.connect(f.artisan).register(PIECE, record("piece"), makers, CLAIM_KEY.address);
  return { ...f, id: PIECE, makers, claimKey: CLAIM_KEY };
}

/** Registered and handed off once, artisan -> handler. */
async function handedOffFixture() {
  const f = await registeredFixture();
  const auth = await signHandoffConsent(f.registry, f.handler, {
    id: f.id,
    from: f.artisan.address,
    to: f.handler.address,
    recordHash: record("handoff-1"),
  });
  await f.registry.connect(f.artisan).handoff(f.id, f.handler.address, record("handoff-1"), auth);
  return f;
}

/** Encodes a custom error of the registry as revert data (for ActionFailed.reason). */
function errorData(registry, name, args) {
  return registry.interface.encodeErrorResult(name, args);
}

module.exports = {
  Status,
  Kind,
  Action,
  ROLE,
  MAX_UINT,
  ZERO_SIG,
  TYPES,
  PIECE,
  PIECE_CODE,
  pieceId,
  record,
  sortAddresses,
  makersHash,
  fold,
  domainOf,
  typedMessage,
  signTyped,
  signAction,
  signHandoffConsent,
  wallet,
  deployRegistryFixture,
  registeredFixture,
  handedOffFixture,
  errorData,
};
