// Role x function matrix: every principal against every write, direct and relayed. A cell either succeeds
// because the table says so, or fails with exactly the error the table names. No unexpected success.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const {
  Kind,
  Action,
  ROLE,
  record,
  signAction,
  signHandoffConsent,
  registeredFixture,
  wallet,
} = require("./helpers");

const PRINCIPALS = ["admin", "registrar", "artisan", "artisan2", "handler", "certifier", "outsider"];
const NEW_PIECE = ethers.id("matrix-new-piece");

async function flaggedFixture() {
  const f = await registeredFixture();
  await f.registry.connect(f.certifier).flag(f.id, record("flag"));
  return f;
}

/** Runs a write as `who`, directly or relayed through execute(). Returns the transaction promise. */
function appendCell(kind) {
  return {
    direct: (f, who) => f.registry.connect(who).appendEvent(f.id, kind, record(kind)),
    relayed: async (f, who) =>
      f.registry
        .connect(f.relayer)
        .execute(await signAction(f.registry, who, { action: Action.AppendEvent, id: f.id, kind, recordHash: record(kind) })),
  };
}

function statusCell(fn, action) {
  return {
    direct: (f, who) => f.registry.connect(who)[fn](f.id, record(fn)),
    relayed: async (f, who) =>
      f.registry.connect(f.relayer).execute(await signAction(f.registry, who, { action, id: f.id, recordHash: record(fn) })),
  };
}

const notCustodian = (f, who) => ["ProvenanceRegistryNotCustodian", [f.id, who.address, f.artisan.address]];
const missing = (role) => (f, who) => ["ProvenanceRegistryMissingRole", [who.address, role]];
const unauthorized = (role) => (f, who) => ["AccessControlUnauthorizedAccount", [who.address, role]];

const WRITES = [
  {
    name: "register",
    allowed: ["artisan", "artisan2"],
    error: missing(ROLE.ARTISAN),
    direct: (f, who) => f.registry.connect(who).register(NEW_PIECE, record("n"), [f.artisan.address], wallet("k").address),
    relayed: async (f, who) =>
      f.registry.connect(f.relayer).execute(
        await signAction(f.registry, who, {
          action: Action.Register,
          id: NEW_PIECE,
          recordHash: record("n"),
          makers: [f.artisan.address],
          account: wallet("k").address,
        }),
      ),
  },
  ...[Kind.Processing, Kind.Shipping, Kind.Export, Kind.Sale].map((kind) => ({
    name: `appendEvent(${Object.keys(Kind).find((k) => Kind[k] === kind)})`,
    allowed: ["artisan"],
    error: notCustodian,
    ...appendCell(kind),
  })),
  { name: "appendEvent(Certification)", allowed: ["certifier"], error: missing(ROLE.CERTIFIER), ...appendCell(Kind.Certification) },
  {
    name: "appendEvent(PaymentConfirmed)",
    allowed: ["artisan"],
    error: (f, who) => ["ProvenanceRegistryNotArtisan", [f.id, who.address, f.artisan.address]],
    ...appendCell(Kind.PaymentConfirmed),
  },
  {
    name: "appendEvent(Note)",
    allowed: ["artisan", "certifier"],
    error: (f, who) => ["ProvenanceRegistryNotPieceParty", [f.id, who.address]],
    ...appendCell(Kind.Note),
  },
  {
    name: "handoff",
    allowed: ["artisan"],
    error: notCustodian,
    direct: async (f, who) => {
      const consent = await signHandoffConsent(f.registry, f.handler, {
        id: f.id,
        from: who.address,
        to: f.handler.address,
        recordHash: record("h"),
      });
      return f.registry.connect(who).handoff(f.id, f.handler.address, record("h"), consent);
    },
    relayed: async (f, who) =>
      f.registry
        .connect(f.relayer)
        .execute(
          await signAction(
            f.registry,
            who,
            { action: Action.Handoff, id: f.id, account: f.handler.address, recordHash: record("h") },
            { receiver: f.handler },
          ),
        ),
    skip: ["handler"], // the receiver handing to itself is covered by InvalidReceiver tests
  },
  { name: "flag", allowed: ["admin", "certifier"], error: missing(ROLE.CERTIFIER), ...statusCell("flag", Action.Flag) },
  {
    name: "unflag",
    fixture: flaggedFixture,
    allowed: ["admin", "certifier"],
    error: missing(ROLE.CERTIFIER),
    ...statusCell("unflag", Action.Unflag),
  },
  { name: "revoke", allowed: ["admin", "certifier"], error: missing(ROLE.CERTIFIER), ...statusCell("revoke", Action.Revoke) },
  {
    name: "claim",
    allowed: [],
    error: (f, who) => ["ProvenanceRegistryNotClaimSigner", [f.id, who.address]],
    direct: (f, who) => f.registry.connect(who).claim(f.id, who.address),
    relayed: async (f, who) =>
      f.registry.connect(f.relayer).execute(await signAction(f.registry, who, { action: Action.Claim, id: f.id, account: who.address })),
  },
  {
    name: "grantRole(ARTISAN)",
    allowed: ["registrar"],
    error: unauthorized(ROLE.REGISTRAR),
    direct: (f, who) => f.registry.connect(who).grantRole(ROLE.ARTISAN, wallet("new").address),
  },
  {
    name: "revokeRole(HANDLER)",
    allowed: ["registrar"],
    error: unauthorized(ROLE.REGISTRAR),
    direct: (f, who) => f.registry.connect(who).revokeRole(ROLE.HANDLER, f.handler.address),
  },
  {
    name: "grantRole(REGISTRAR)",
    allowed: ["admin"],
    error: unauthorized(ROLE.DEFAULT_ADMIN),
    direct: (f, who) => f.registry.connect(who).grantRole(ROLE.REGISTRAR, wallet("new").address),
  },
  {
    name: "beginDefaultAdminTransfer",
    allowed: ["admin"],
    error: unauthorized(ROLE.DEFAULT_ADMIN),
    direct: (f, who) => f.registry.connect(who).beginDefaultAdminTransfer(wallet("new").address),
  },
];

describe("ProvenanceRegistry role x function matrix", function () {
  for (const write of WRITES) {
    for (const form of ["direct", "relayed"]) {
      if (!write[form]) continue;
      describe(`${write.name} ${form}`, function () {
        for (const principal of PRINCIPALS) {
          if (write.skip?.includes(principal)) continue;
          const expected = write.allowed.includes(principal) ? "succeeds" : "reverts";
          it(`test_${write.name}_${principal}_${expected}`, async function () {
            const f = await loadFixture(write.fixture ?? registeredFixture);
            const who = f[principal];
            const tx = write[form](f, who);
            if (expected === "succeeds") {
              await expect(tx).to.not.be.reverted;
            } else {
              const [name, args] = write.error(f, who);
              await expect(tx)
                .to.be.revertedWithCustomError(f.registry, name)
                .withArgs(...args);
            }
          });
        }
      });
    }
  }
});
