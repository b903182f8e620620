// Write gas does not grow with a piece's history: append and handoff after 1,000 prior events cost within 5% of
// the same write after 1 event (the registration). Absolute figures are a benchmark (scripts/gas-benchmark.js).
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const { Kind, Action, record, signAction, signHandoffConsent, deployRegistryFixture, wallet } = require("./helpers");

const HISTORY = 1_000;
const TOLERANCE = 0.05;

async function gasOf(txPromise) {
  return Number((await (await txPromise).wait()).gasUsed);
}

/** Two pieces: `fresh` (registration only) and `old` (registration + 1,000 appended events). */
async function historyFixture() {
  const f = await deployRegistryFixture();
  const fresh = ethers.id("gas-fresh");
  const old = ethers.id("gas-old");
  const asArtisan = f.registry.connect(f.artisan);
  await asArtisan.register(fresh, record("fresh"), [f.artisan.address], wallet("k1").address);
  await asArtisan.register(old, record("old"), [f.artisan.address], wallet("k2").address);
  for (let i = 0; i < HISTORY; i++) await asArtisan.appendEvent(old, Kind.Note, record(i));
  return { ...f, fresh, old };
}

function expectWithin(after, before, what) {
  const ratio = after / before;
  expect(Math.abs(ratio - 1), `${what}: ${after} gas after ${HISTORY + 1} events vs ${before} after 1`).to.be.at.most(TOLERANCE);
}

describe("ProvenanceRegistry gas does not grow with history", function () {
  this.timeout(300_000);

  it("test_appendEvent_after1000Events_within5PercentOfAfter1", async function () {
    const f = await loadFixture(historyFixture);
    expect((await f.registry.piece(f.old)).eventCount).to.equal(BigInt(HISTORY + 1));
    const asArtisan = f.registry.connect(f.artisan);
    const before = await gasOf(asArtisan.appendEvent(f.fresh, Kind.Processing, record("p")));
    const after = await gasOf(asArtisan.appendEvent(f.old, Kind.Processing, record("p")));
    expectWithin(after, before, "direct append");
  });

  it("test_appendEventRelayed_after1000Events_within5PercentOfAfter1", async function () {
    const f = await loadFixture(historyFixture);
    const relayed = async (id, nonce) =>
      gasOf(
        f.registry
          .connect(f.relayer)
          .execute(await signAction(f.registry, f.artisan, { action: Action.AppendEvent, id, kind: Kind.Export, recordHash: record("e") }, { nonce, deadline: 4_102_444_800n })),
      );
    await relayed(f.fresh, 0n); // the first use of a nonce creates its slot; compare steady-state writes
    const before = await relayed(f.fresh, 1n);
    const after = await relayed(f.old, 2n);
    expectWithin(after, before, "relayed append");
  });

  it("test_handoff_after1000Events_within5PercentOfAfter1", async function () {
    const f = await loadFixture(historyFixture);
    const handoff = async (id, to) => {
      const consent = await signHandoffConsent(f.registry, to, { id, from: f.artisan.address, to: to.address, recordHash: record("h") });
      return gasOf(f.registry.connect(f.artisan).handoff(id, to.address, record("h"), consent));
    };
    // Both are first handoffs to a receiver whose nonce is still 0: the same storage work.
    const before = await handoff(f.fresh, f.handler);
    const after = await handoff(f.old, f.handler2);
    expectWithin(after, before, "first handoff");
    // And a later handoff between handlers.
    const back = async (id, from, to) => {
      const consent = await signHandoffConsent(f.registry, to, { id, from: from.address, to: to.address, recordHash: record("b") });
      return gasOf(f.registry.connect(from).handoff(id, to.address, record("b"), consent));
    };
    const before2 = await back(f.fresh, f.handler, f.handler2);
    const after2 = await back(f.old, f.handler2, f.handler);
    expectWithin(after2, before2, "handoff between handlers");
  });
});
