// executeBatch: isolation of failing actions, outcome logs, nonce semantics.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const {
  Status,
  Kind,
  Action,
  ROLE,
  record,
  sortAddresses,
  signAction,
  deployRegistryFixture,
  registeredFixture,
  wallet,
  errorData,
} = require("./helpers");

describe("ProvenanceRegistry executeBatch", function () {
  it("test_executeBatch_failingMiddleAction_othersSucceedAndOutcomesLogged", async function () {
    const { registry, artisan, handler, relayer, id } = await loadFixture(registeredFixture);
    const first = await signAction(registry, artisan, {
      action: Action.AppendEvent,
      id,
      kind: Kind.Processing,
      recordHash: record("spin"),
    });
    // The handler is not the custodian: a rule failure.
    const middle = await signAction(registry, handler, {
      action: Action.AppendEvent,
      id,
      kind: Kind.Shipping,
      recordHash: record("ship"),
    });
    const last = await signAction(
      registry,
      artisan,
      { action: Action.AppendEvent, id, kind: Kind.Export, recordHash: record("export") },
      { nonce: 1n },
    );
    const batch = [first, middle, last];
    expect(await registry.connect(relayer).executeBatch.staticCall(batch)).to.deep.equal([true, false, true]);

    const tx = registry.connect(relayer).executeBatch(batch);
    const reason = errorData(registry, "ProvenanceRegistryNotCustodian", [id, handler.address, artisan.address]);
    await expect(tx).to.emit(registry, "ActionSucceeded").withArgs(0);
    await expect(tx).to.emit(registry, "ActionFailed").withArgs(1, handler.address, 0, true, reason);
    await expect(tx).to.emit(registry, "ActionSucceeded").withArgs(2);

    const receipt = await (await tx).wait();
    const names = receipt.logs.map((l) => registry.interface.parseLog(l).name);
    expect(names).to.deep.equal(["EventAppended", "ActionSucceeded", "ActionFailed", "EventAppended", "ActionSucceeded"]);
    const appended = receipt.logs.map((l) => registry.interface.parseLog(l)).filter((l) => l.name === "EventAppended");
    expect(appended.map((l) => Number(l.args.kind))).to.deep.equal([Kind.Processing, Kind.Export]);
    expect(appended.map((l) => l.args.seq)).to.deep.equal([2n, 3n]);

    expect((await registry.piece(id)).eventCount).to.equal(3n);
    // The failed action's nonce is consumed (documented), the others' too.
    expect(await registry.nonces(handler.address)).to.equal(1n);
    expect(await registry.nonces(artisan.address)).to.equal(2n);
  });

  it("test_executeBatch_authenticationFailure_nonceNotConsumed", async function () {
    const { registry, artisan, artisan2, relayer, id } = await loadFixture(registeredFixture);
    const forged = await signAction(registry, artisan2, {
      action: Action.AppendEvent,
      id,
      kind: Kind.Sale,
      recordHash: record("fake"),
    });
    forged.signer = artisan.address;
    const tx = registry.connect(relayer).executeBatch([forged]);
    const reason = errorData(registry, "ProvenanceRegistryInvalidSignature", [artisan.address, artisan2.address]);
    await expect(tx).to.emit(registry, "ActionFailed").withArgs(0, artisan.address, 0, false, reason);
    expect(await registry.nonces(artisan.address)).to.equal(0n);
    expect((await registry.piece(id)).status).to.equal(Status.Active);
  });

  it("test_executeBatch_expiredAction_nonceKeptSoLaterNonceFails", async function () {
    const { registry, artisan, relayer, id } = await loadFixture(registeredFixture);
    const now = BigInt(await time.latest());
    const expired = await signAction(
      registry,
      artisan,
      { action: Action.AppendEvent, id, kind: Kind.Processing, recordHash: record("a") },
      { nonce: 0n, deadline: now },
    );
    const next = await signAction(
      registry,
      artisan,
      { action: Action.AppendEvent, id, kind: Kind.Processing, recordHash: record("b") },
      { nonce: 1n },
    );
    const tx = registry.connect(relayer).executeBatch([expired, next]);
    await expect(tx)
      .to.emit(registry, "ActionFailed")
      .withArgs(0, artisan.address, 0, false, errorData(registry, "ProvenanceRegistryExpiredSignature", [artisan.address, now]));
    await expect(tx)
      .to.emit(registry, "ActionFailed")
      .withArgs(1, artisan.address, 1, false, errorData(registry, "ProvenanceRegistryInvalidNonce", [artisan.address, 0, 1]));
    expect(await registry.nonces(artisan.address)).to.equal(0n);
  });

  it("test_executeBatch_ruleFailureKeepsNoncesContiguous", async function () {
    const { registry, artisan, certifier, relayer, id } = await loadFixture(registeredFixture);
    await registry.connect(certifier).flag(id, record("f"));
    const fields = (kind, label) => ({ action: Action.AppendEvent, id, kind, recordHash: record(label) });
    const batch = [
      await signAction(registry, artisan, fields(Kind.Shipping, "blocked"), { nonce: 0n }), // flagged: rule failure
      await signAction(registry, artisan, fields(Kind.PaymentConfirmed, "paid"), { nonce: 1n }), // allowed while flagged
    ];
    expect(await registry.connect(relayer).executeBatch.staticCall(batch)).to.deep.equal([false, true]);
    await registry.connect(relayer).executeBatch(batch);
    expect(await registry.nonces(artisan.address)).to.equal(2n);
  });

  it("test_executeBatch_handoffRuleFailure_consumesBothNonces", async function () {
    const { registry, artisan, handler, certifier, relayer, id } = await loadFixture(registeredFixture);
    await registry.connect(certifier).flag(id, record("f"));
    const handoff = await signAction(
      registry,
      artisan,
      { action: Action.Handoff, id, account: handler.address, recordHash: record("h") },
      { receiver: handler },
    );
    const tx = registry.connect(relayer).executeBatch([handoff]);
    await expect(tx)
      .to.emit(registry, "ActionFailed")
      .withArgs(0, artisan.address, 0, true, errorData(registry, "ProvenanceRegistryInvalidStatus", [id, Status.Flagged]));
    expect(await registry.nonces(artisan.address)).to.equal(1n);
    expect(await registry.nonces(handler.address)).to.equal(1n);
    expect((await registry.piece(id)).custodian).to.equal(artisan.address);
  });

  it("test_executeBatch_handoffBadReceiverSignature_consumesNoNonce", async function () {
    const { registry, artisan, handler, handler2, relayer, id } = await loadFixture(registeredFixture);
    const handoff = await signAction(
      registry,
      artisan,
      { action: Action.Handoff, id, account: handler.address, recordHash: record("h") },
      { receiver: handler2 },
    );
    await expect(registry.connect(relayer).executeBatch([handoff]))
      .to.emit(registry, "ActionFailed")
      .withArgs(
        0,
        artisan.address,
        0,
        false,
        errorData(registry, "ProvenanceRegistryInvalidSignature", [handler.address, handler2.address]),
      );
    expect(await registry.nonces(artisan.address)).to.equal(0n);
    expect(await registry.nonces(handler.address)).to.equal(0n);
  });

  it("test_executeBatch_manyRegistrationsBySameArtisan_allSucceed", async function () {
    const { registry, artisan, relayer } = await loadFixture(deployRegistryFixture);
    const batch = [];
    for (let i = 0; i < 10; i++) {
      batch.push(
        await signAction(
          registry,
          artisan,
          {
            action: Action.Register,
            id: ethers.id(`piece-${i}`),
            recordHash: record(i),
            makers: [artisan.address],
            account: wallet(`c${i}`).address,
          },
          { nonce: BigInt(i) },
        ),
      );
    }
    const receipt = await (await registry.connect(relayer).executeBatch(batch)).wait();
    const succeeded = receipt.logs.map((l) => registry.interface.parseLog(l)).filter((l) => l.name === "ActionSucceeded");
    expect(succeeded.map((l) => l.args.index)).to.deep.equal([...Array(10).keys()].map(BigInt));
    expect(await registry.nonces(artisan.address)).to.equal(10n);
    for (let i = 0; i < 10; i++) expect((await registry.piece(ethers.id(`piece-${i}`))).status).to.equal(Status.Active);
  });

  it("test_executeBatch_empty_returnsEmpty", async function () {
    const { registry, relayer } = await loadFixture(deployRegistryFixture);
    expect(await registry.connect(relayer).executeBatch.staticCall([])).to.deep.equal([]);
    await expect(registry.connect(relayer).executeBatch([])).to.not.emit(registry, "ActionFailed");
  });

  it("test_executeBatch_gasStarved_revertsWholeNeverFailsOneAction", async function () {
    const f = await loadFixture(deployRegistryFixture);
    const { registry, registrar, artisan, relayer } = f;
    const makers = sortAddresses(Array.from({ length: 8 }, (_, i) => wallet(`starve-maker-${i}`).address));
    for (const m of makers) await registry.connect(registrar).grantRole(ROLE.ARTISAN, m);
    const action = await signAction(registry, artisan, {
      action: Action.Register,
      id: ethers.id("starved"),
      recordHash: record("s"),
      makers,
      account: wallet("starve-claim").address,
    });
    const estimate = await registry.connect(relayer).executeBatch.estimateGas([action]);
    // At every gas limit below the estimate the batch either still succeeds or reverts as a whole: a relayer
    // cannot make the action fail on its own (and burn the signer's nonce) by starving it of gas.
    let reverted = 0;
    for (let gas = estimate; gas > estimate - 40_000n; gas -= 2_000n) {
      try {
        const result = await registry.connect(relayer).executeBatch.staticCall([action], { gasLimit: gas });
        expect(result).to.deep.equal([true], `partial outcome at gas ${gas}`);
      } catch (e) {
        const data = typeof e.data === "string" ? e.data : "0x";
        expect(data).to.equal("0x", "an out-of-gas revert carries no error");
        reverted++;
      }
    }
    expect(reverted).to.be.greaterThan(0);
    expect(await registry.nonces(artisan.address)).to.equal(0n);
  });
});
