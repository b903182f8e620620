// Property tests (fast-check) over random sequences of actions, direct, relayed and batched. A small model of the
// rules predicts each action's outcome (success or the exact custom error); after every step the chain must agree
// with the model, and:
//   - custody changes only by a successful two-party handoff;
//   - event counts only grow (by exactly one per successful action);
//   - the stored head equals the fold of the emitted events;
//   - a claimed piece cannot be claimed again.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const fc = require("fast-check");
const { loadFixture } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const {
  Status,
  Kind,
  Action,
  record,
  sortAddresses,
  makersHash,
  fold,
  signAction,
  signHandoffConsent,
  deployRegistryFixture,
  wallet,
} = require("./helpers");

// Instrumented (coverage) runs are ~5x slower: fewer sequences there, from a fixed seed so the run is repeatable.
const COVERAGE = Boolean(require("hardhat").__SOLIDITY_COVERAGE_RUNNING);
const RUNS = Number(process.env.PROVENANCE_PROPERTY_RUNS ?? (COVERAGE ? 12 : 60));
const SEED = process.env.PROVENANCE_PROPERTY_SEED ?? (COVERAGE ? "20261130" : undefined);
const ACTORS = ["admin", "artisan", "artisan2", "handler", "handler2", "certifier", "outsider"];
const PIECES = [ethers.id("prop-piece-0"), ethers.id("prop-piece-1")];
const CLAIM_KEYS = [wallet("prop-claim-0"), wallet("prop-claim-1")];
const WRONG_KEY = wallet("prop-claim-wrong");
const LIVE = [Status.Active, Status.Sold, Status.Claimed];

// ---- the model ------------------------------------------------------------------------------------------------

function newModel(f) {
  const roles = {
    artisan: new Set([f.artisan.address, f.artisan2.address]),
    handler: new Set([f.handler.address, f.handler2.address]),
    certifier: new Set([f.certifier.address]),
    admin: new Set([f.admin.address]),
  };
  return { roles, pieces: new Map() };
}

/** Predicts [errorName | null, apply()] for a command whose actor/accounts are resolved to addresses. */
function predict(model, c) {
  const { roles } = model;
  const p = model.pieces.get(c.id);
  const err = (name) => [name, null];
  switch (c.type) {
    case "register": {
      if (p) return err("ProvenanceRegistryPieceExists");
      if (!roles.artisan.has(c.actor)) return err("ProvenanceRegistryMissingRole");
      if (c.makers.length === 0) return err("ProvenanceRegistryInvalidMakerCount");
      for (const m of c.makers) if (!roles.artisan.has(m)) return err("ProvenanceRegistryMissingRole");
      return [
        null,
        () =>
          model.pieces.set(c.id, {
            status: Status.Active,
            before: Status.None,
            custodian: c.actor,
            artisan: c.actor,
            claimSigner: c.claimSigner,
            owner: ethers.ZeroAddress,
            count: 1,
          }),
      ];
    }
    case "append": {
      if (!p) return err("ProvenanceRegistryUnknownPiece");
      const k = c.kind;
      if (k === Kind.Certification) {
        if (!roles.certifier.has(c.actor)) return err("ProvenanceRegistryMissingRole");
      } else if (k === Kind.PaymentConfirmed) {
        if (c.actor !== p.artisan) return err("ProvenanceRegistryNotArtisan");
      } else if (k === Kind.Note) {
        const party = c.actor === p.custodian || roles.certifier.has(c.actor) || c.actor === p.artisan;
        if (!party) return err("ProvenanceRegistryNotPieceParty");
      } else {
        if (c.actor !== p.custodian) return err("ProvenanceRegistryNotCustodian");
        if (p.status === Status.Flagged || (k === Kind.Sale && p.status !== Status.Active)) {
          return err("ProvenanceRegistryInvalidStatus");
        }
      }
      if (p.status === Status.Revoked) return err("ProvenanceRegistryInvalidStatus");
      return [
        null,
        () => {
          if (k === Kind.Sale) p.status = Status.Sold;
          p.count++;
        },
      ];
    }
    case "handoff": {
      if (!p) return err("ProvenanceRegistryUnknownPiece");
      if (c.actor !== p.custodian) return err("ProvenanceRegistryNotCustodian");
      if (!LIVE.includes(p.status)) return err("ProvenanceRegistryInvalidStatus");
      if (c.to === c.actor) return err("ProvenanceRegistryInvalidReceiver");
      if (!roles.handler.has(c.to)) return err("ProvenanceRegistryMissingRole");
      return [
        null,
        () => {
          p.custodian = c.to;
          p.count++;
        },
      ];
    }
    case "status": {
      if (!p) return err("ProvenanceRegistryUnknownPiece");
      if (!roles.certifier.has(c.actor) && !roles.admin.has(c.actor)) return err("ProvenanceRegistryMissingRole");
      if (c.op === "flag" && !LIVE.includes(p.status)) return err("ProvenanceRegistryInvalidStatus");
      if (c.op === "unflag" && p.status !== Status.Flagged) return err("ProvenanceRegistryInvalidStatus");
      if (c.op === "revoke" && p.status === Status.Revoked) return err("ProvenanceRegistryInvalidStatus");
      return [
        null,
        () => {
          if (c.op === "flag") {
            p.before = p.status;
            p.status = Status.Flagged;
          } else if (c.op === "unflag") {
            p.status = p.before;
          } else {
            p.status = Status.Revoked;
          }
          p.count++;
        },
      ];
    }
    case "claim": {
      if (!p) return err("ProvenanceRegistryUnknownPiece");
      if (p.owner !== ethers.ZeroAddress) return err("ProvenanceRegistryAlreadyClaimed");
      if (p.status !== Status.Active && p.status !== Status.Sold) return err("ProvenanceRegistryInvalidStatus");
      if (c.signerWallet.address !== p.claimSigner) return err("ProvenanceRegistryNotClaimSigner");
      return [
        null,
        () => {
          p.status = Status.Claimed;
          p.owner = c.owner;
          p.claimSigner = ethers.ZeroAddress;
          p.count++;
        },
      ];
    }
    default:
      throw new Error(`unknown command ${c.type}`);
  }
}

// ---- commands -------------------------------------------------------------------------------------------------

const actorArb = fc.constantFrom(...ACTORS);
// "@custodian" resolves to the piece's current custodian, to reach deep states more often.
const custodyActorArb = fc.oneof(fc.constant("@custodian"), actorArb);
const pieceArb = fc.nat({ max: PIECES.length - 1 });
// Mostly well-formed actions by the right kind of actor, sometimes anyone: deep states and every error both occur.
const often = (likely, arb) => fc.oneof({ weight: 4, arbitrary: likely }, { weight: 1, arbitrary: arb });
const registrantArb = often(fc.constantFrom("artisan", "artisan2"), actorArb);
const makersArb = often(fc.subarray(["artisan", "artisan2"], { minLength: 1 }), fc.subarray(["artisan", "artisan2", "outsider"]));
const authorityArb = often(fc.constantFrom("certifier", "admin"), actorArb);
const commandArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant("register"), piece: pieceArb, actor: registrantArb, makers: makersArb }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant("append"), piece: pieceArb, actor: custodyActorArb, kind: fc.integer({ min: Kind.Processing, max: Kind.Note }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("handoff"), piece: pieceArb, actor: custodyActorArb, to: fc.oneof(fc.constantFrom("handler", "handler2"), actorArb) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("status"), piece: pieceArb, actor: authorityArb, op: fc.constantFrom("flag", "unflag", "revoke") }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("claim"), piece: pieceArb, rightKey: often(fc.constant(true), fc.boolean()), owner: actorArb }) },
);
// Each step is run directly, through execute(), or (a group of consecutive relayed steps) in one executeBatch.
const formArb = fc.constantFrom("direct", "relayed", "batch");
const stepArb = fc.record({ command: commandArb, form: formArb });
// Most sequences start by registering both pieces, so that later steps act on registered pieces.
const registrationArb = (piece) =>
  fc.record({
    command: fc.record({ type: fc.constant("register"), piece: fc.constant(piece), actor: fc.constantFrom("artisan", "artisan2"), makers: fc.subarray(["artisan", "artisan2"], { minLength: 1 }) }),
    form: formArb,
  });
const sequenceArb = fc
  .tuple(fc.boolean(), registrationArb(0), registrationArb(1), fc.array(stepArb, { minLength: 1, maxLength: 30, size: "max" }))
  .map(([prefix, r0, r1, steps]) => (prefix ? [r0, r1, ...steps] : steps));

function resolve(f, model, cmd) {
  const id = PIECES[cmd.piece];
  const c = { ...cmd, id };
  if (cmd.actor === "@custodian") c.actor = model.pieces.get(id)?.custodian ?? f.artisan.address;
  else if (cmd.actor) c.actor = f[cmd.actor].address;
  if (cmd.type === "register") {
    c.makers = sortAddresses(cmd.makers.map((n) => f[n].address));
    c.claimSigner = CLAIM_KEYS[cmd.piece].address;
  }
  if (cmd.type === "handoff") c.to = f[cmd.to].address;
  if (cmd.type === "claim") {
    c.signerWallet = cmd.rightKey ? CLAIM_KEYS[cmd.piece] : WRONG_KEY;
    c.owner = f[cmd.owner].address;
  }
  return c;
}

const fieldsOf = (c) => {
  switch (c.type) {
    case "register":
      return { action: Action.Register, id: c.id, recordHash: record(c.id), makers: c.makers, account: c.claimSigner };
    case "append":
      return { action: Action.AppendEvent, id: c.id, kind: c.kind, recordHash: record(`e${c.kind}`) };
    case "handoff":
      return { action: Action.Handoff, id: c.id, account: c.to, recordHash: record("handoff") };
    case "status":
      return { action: { flag: Action.Flag, unflag: Action.Unflag, revoke: Action.Revoke }[c.op], id: c.id, recordHash: record(c.op) };
    default:
      return { action: Action.Claim, id: c.id, account: c.owner };
  }
};

async function sendDirect(f, c) {
  const r = f.registry;
  const signer = c.type === "claim" ? null : f.byAddress.get(c.actor);
  switch (c.type) {
    case "register":
      return r.connect(signer).register(c.id, record(c.id), c.makers, c.claimSigner);
    case "append":
      return r.connect(signer).appendEvent(c.id, c.kind, record(`e${c.kind}`));
    case "handoff": {
      const consent = await signHandoffConsent(r, f.byAddress.get(c.to), { id: c.id, from: c.actor, to: c.to, recordHash: record("handoff") });
      return r.connect(signer).handoff(c.id, c.to, record("handoff"), consent);
    }
    case "status":
      return r.connect(signer)[c.op](c.id, record(c.op));
    default: // the claim keys hold no ether: a claim is always relayed
      return r.connect(f.relayer).execute(await signAction(r, c.signerWallet, fieldsOf(c)));
  }
}

/** Signs `c` for a batch, tracking the nonces the batch will consume (every authentic action consumes them). */
async function signForBatch(f, c, nonces) {
  const r = f.registry;
  const signer = c.type === "claim" ? c.signerWallet : f.byAddress.get(c.actor);
  const next = async (addr) => {
    if (!nonces.has(addr)) nonces.set(addr, await r.nonces(addr));
    const n = nonces.get(addr);
    nonces.set(addr, n + 1n);
    return n;
  };
  const opts = { nonce: await next(signer.address) };
  if (c.type === "handoff" && c.to !== c.actor) {
    opts.receiver = f.byAddress.get(c.to);
    opts.receiverNonce = await next(c.to);
  }
  return signAction(r, signer, fieldsOf(c), opts);
}

const errorName = (f, e) => {
  const data = typeof e.data === "string" ? e.data : undefined;
  if (!data) throw e;
  return f.registry.interface.parseError(data)?.name;
};

// ---- fold of emitted events -----------------------------------------------------------------------------------

function foldLogs(f, receipt, heads) {
  for (const log of receipt.logs) {
    const ev = f.registry.interface.parseLog(log);
    const a = ev.args;
    let step;
    switch (ev.name) {
      case "PieceRegistered":
        step = [a.id, 1n, Kind.Registration, a.artisan, a.claimSigner, a.recordHash, makersHash([...a.makers])];
        break;
      case "EventAppended":
        step = [a.id, a.seq, Number(a.kind), a.actor, ethers.ZeroAddress, a.recordHash, ethers.ZeroHash];
        break;
      case "CustodyTransferred":
        step = [a.id, a.seq, Kind.Handoff, a.from, a.to, a.recordHash, ethers.ZeroHash];
        break;
      case "StatusChanged":
        step = [a.id, a.seq, Number(a.kind), a.actor, ethers.ZeroAddress, a.recordHash, ethers.ZeroHash];
        break;
      case "PieceClaimed":
        step = [a.id, a.seq, Kind.Claim, a.claimSigner, a.owner, ethers.ZeroHash, ethers.ZeroHash];
        break;
      default:
        continue; // batch outcome logs
    }
    const [id, seq] = step;
    const prev = heads.get(id) ?? { head: ethers.ZeroHash, seq: 0n };
    expect(seq).to.equal(prev.seq + 1n, `${ev.name} seq`);
    const head = fold(prev.head, ...step);
    expect(a.head).to.equal(head, `${ev.name} head`);
    heads.set(id, { head, seq });
  }
}

// ---- the property ---------------------------------------------------------------------------------------------

async function checkAgainstChain(f, model, heads, before, results) {
  for (const id of PIECES) {
    const chain = await f.registry.piece(id);
    const m = model.pieces.get(id);
    const prev = before.get(id);
    // Event counts only grow, by one per successful action on the piece.
    const successes = results.filter((r) => r.c.id === id && r.ok).length;
    expect(chain.eventCount).to.equal(prev.eventCount + BigInt(successes), "event count");
    // Custody of a registered piece changes only through a successful handoff.
    if (prev.status !== BigInt(Status.None) && chain.custodian !== prev.custodian) {
      expect(results.some((r) => r.c.id === id && r.ok && r.c.type === "handoff")).to.equal(true, "custody moved");
    }
    if (!m) {
      expect(chain.status).to.equal(BigInt(Status.None));
      continue;
    }
    expect(Number(chain.status)).to.equal(m.status, "status");
    expect(chain.custodian).to.equal(m.custodian, "custodian");
    expect(chain.artisan).to.equal(m.artisan, "artisan");
    expect(chain.owner).to.equal(m.owner, "owner");
    expect(chain.claimSigner).to.equal(m.claimSigner, "claim signer");
    expect(chain.eventCount).to.equal(BigInt(m.count), "model count");
    // The head equals the fold of the emitted events.
    expect(chain.head).to.equal(heads.get(id).head, "head");
  }
}

async function propertyFixture() {
  const f = await deployRegistryFixture();
  const byAddress = new Map();
  for (const name of [...ACTORS, "relayer"]) byAddress.set(f[name].address, f[name]);
  return { ...f, byAddress };
}

describe("ProvenanceRegistry properties", function () {
  this.timeout(600_000);
  const successes = new Map();
  const count = (results) => {
    for (const r of results) if (r.ok) successes.set(r.c.type, (successes.get(r.c.type) ?? 0) + 1);
  };

  after(function () {
    console.log(`      ${RUNS} runs; successful actions: ${JSON.stringify(Object.fromEntries(successes))}`);
    // Guard against a vacuous property: every kind of action must have succeeded in some run.
    for (const type of ["register", "append", "handoff", "status", "claim"]) {
      expect(successes.get(type) ?? 0).to.be.greaterThan(0, `no successful ${type} in ${RUNS} runs`);
    }
  });

  it("test_randomActionSequences_chainMatchesModelAndInvariantsHold", async function () {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (steps) => {
        const f = await loadFixture(propertyFixture);
        const model = newModel(f);
        const heads = new Map();
        let i = 0;
        while (i < steps.length) {
          // A "batch" step takes with it the following batch steps.
          let group = [steps[i]];
          if (steps[i].form === "batch") {
            while (i + group.length < steps.length && steps[i + group.length].form === "batch") group.push(steps[i + group.length]);
          }
          i += group.length;
          const before = new Map();
          for (const id of PIECES) before.set(id, await f.registry.piece(id));
          const results = [];

          if (group[0].form === "batch") {
            const nonces = new Map();
            // Resolve against the model as it will be when each action runs.
            const shadow = structuredClone(model);
            const cmds = group.map((s) => {
              const c = resolve(f, shadow, s.command);
              const [, apply] = predict(shadow, c);
              if (apply) apply();
              return c;
            });
            const signed = [];
            for (const c of cmds) signed.push(await signForBatch(f, c, nonces));
            const receipt = await (await f.registry.connect(f.relayer).executeBatch(signed)).wait();
            const outcomes = new Map();
            for (const log of receipt.logs) {
              const ev = f.registry.interface.parseLog(log);
              if (ev.name === "ActionSucceeded") outcomes.set(Number(ev.args.index), null);
              if (ev.name === "ActionFailed") {
                expect(ev.args.nonceConsumed).to.equal(true, "authentic actions consume their nonce");
                outcomes.set(Number(ev.args.index), f.registry.interface.parseError(ev.args.reason).name);
              }
            }
            cmds.forEach((c, k) => {
              const [expected, apply] = predict(model, c);
              expect(outcomes.get(k)).to.equal(expected, `batch[${k}] ${c.type}`);
              if (apply) apply();
              results.push({ c, ok: !expected });
            });
            foldLogs(f, receipt, heads);
            // Every signer used exactly the nonces the batch handed out.
            for (const [addr, n] of nonces) expect(await f.registry.nonces(addr)).to.equal(n, "nonces");
          } else {
            const c = resolve(f, model, group[0].command);
            const [expected, apply] = predict(model, c);
            let actual = null;
            let receipt;
            try {
              const tx =
                group[0].form === "direct" || c.type === "claim"
                  ? await sendDirect(f, c)
                  : await f.registry
                      .connect(f.relayer)
                      .execute(await signForBatch(f, c, new Map()));
              receipt = await tx.wait();
            } catch (e) {
              actual = errorName(f, e);
            }
            expect(actual).to.equal(expected, `${group[0].form} ${c.type}`);
            if (apply) {
              apply();
              foldLogs(f, receipt, heads);
            }
            results.push({ c, ok: !expected });
            // A claimed piece cannot be claimed again.
            const m = model.pieces.get(c.id);
            if (m && m.owner !== ethers.ZeroAddress) {
              const again = await signAction(f.registry, CLAIM_KEYS[PIECES.indexOf(c.id)], {
                action: Action.Claim,
                id: c.id,
                account: f.outsider.address,
              });
              await expect(f.registry.execute(again)).to.be.revertedWithCustomError(
                f.registry,
                "ProvenanceRegistryAlreadyClaimed",
              );
            }
          }
          await checkAgainstChain(f, model, heads, before, results);
          count(results);
        }
      }),
      { numRuns: RUNS, seed: SEED === undefined ? undefined : Number(SEED) },
    );
  });
});
