// Relayed form: every action through execute(), EIP-712 digests, and the signature attacks.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const { anyValue } = require("@nomicfoundation/hardhat-chai-matchers/withArgs");
const {
  Status,
  Kind,
  Action,
  TYPES,
  PIECE,
  record,
  sortAddresses,
  typedMessage,
  signTyped,
  signAction,
  domainOf,
  deployRegistryFixture,
  registeredFixture,
  handedOffFixture,
  wallet,
} = require("./helpers");

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The address a signature over `action`'s typed data recovers to under `domain`. */
function recoverAction(domain, action) {
  const [type, message] = typedMessage(action, action.auth.nonce, action.auth.deadline);
  return ethers.verifyTypedData(domain, { [type]: TYPES[type] }, message, action.auth.signature);
}

async function appendAction(f, opts = {}) {
  return signAction(
    f.registry,
    f.artisan,
    { action: Action.AppendEvent, id: f.id, kind: Kind.Processing, recordHash: record("spin") },
    opts,
  );
}

describe("ProvenanceRegistry relayed actions", function () {
  describe("execute", function () {
    it("test_execute_register_relayerPaysArtisanActs", async function () {
      const { registry, artisan, artisan2, relayer } = await loadFixture(deployRegistryFixture);
      const makers = sortAddresses([artisan.address, artisan2.address]);
      const claimKey = wallet("c");
      const action = await signAction(registry, artisan, {
        action: Action.Register,
        id: PIECE,
        recordHash: record("p"),
        makers,
        account: claimKey.address,
      });
      await expect(registry.connect(relayer).execute(action))
        .to.emit(registry, "PieceRegistered")
        .withArgs(PIECE, artisan.address, claimKey.address, makers, record("p"), ethers.isHexString);
      expect((await registry.piece(PIECE)).custodian).to.equal(artisan.address);
      expect(await registry.nonces(artisan.address)).to.equal(1n);
    });

    it("test_execute_appendEvent_consumesOneNonce", async function () {
      const f = await loadFixture(registeredFixture);
      await expect(f.registry.connect(f.relayer).execute(await appendAction(f)))
        .to.emit(f.registry, "EventAppended")
        .withArgs(f.id, Kind.Processing, f.artisan.address, 2, record("spin"), ethers.isHexString);
      expect(await f.registry.nonces(f.artisan.address)).to.equal(1n);
      await f.registry.connect(f.relayer).execute(await appendAction(f));
      expect(await f.registry.nonces(f.artisan.address)).to.equal(2n);
    });

    it("test_execute_handoff_needsAndConsumesBothSignatures", async function () {
      const { registry, artisan, handler, relayer, id } = await loadFixture(registeredFixture);
      const fields = { action: Action.Handoff, id, account: handler.address, recordHash: record("h") };
      const onlyCustodian = await signAction(registry, artisan, fields);
      // An absent receiver authorisation (deadline 0) is rejected before the signature is even looked at.
      await expect(registry.connect(relayer).execute(onlyCustodian))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryExpiredSignature")
        .withArgs(handler.address, 0);
      const unsigned = { ...onlyCustodian, receiverAuth: { nonce: 0n, deadline: ethers.MaxUint256, signature: "0x" } };
      await expect(registry.connect(relayer).execute(unsigned))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(handler.address, ethers.ZeroAddress);
      const both = await signAction(registry, artisan, fields, { receiver: handler });
      await expect(registry.connect(relayer).execute(both))
        .to.emit(registry, "CustodyTransferred")
        .withArgs(id, artisan.address, handler.address, 2, record("h"), ethers.isHexString);
      expect(await registry.nonces(artisan.address)).to.equal(1n);
      expect(await registry.nonces(handler.address)).to.equal(1n);
    });

    it("test_execute_flagUnflagRevoke_byCertifierSignature", async function () {
      const { registry, certifier, relayer, id } = await loadFixture(registeredFixture);
      for (const [action, kind, status] of [
        [Action.Flag, Kind.Flag, Status.Flagged],
        [Action.Unflag, Kind.Unflag, Status.Active],
        [Action.Revoke, Kind.Revocation, Status.Revoked],
      ]) {
        const signed = await signAction(registry, certifier, { action, id, recordHash: record(kind) });
        await expect(registry.connect(relayer).execute(signed))
          .to.emit(registry, "StatusChanged")
          .withArgs(id, certifier.address, kind, anyValue, status, anyValue, record(kind), ethers.isHexString);
      }
      expect(await registry.nonces(certifier.address)).to.equal(3n);
    });

    it("test_execute_claim_signedByClaimKeyNamesOwner", async function () {
      const { registry, claimKey, consumer, relayer, id } = await loadFixture(registeredFixture);
      const action = await signAction(registry, claimKey, { action: Action.Claim, id, account: consumer.address });
      await expect(registry.connect(relayer).execute(action))
        .to.emit(registry, "PieceClaimed")
        .withArgs(id, consumer.address, claimKey.address, 2, ethers.isHexString);
      expect((await registry.piece(id)).owner).to.equal(consumer.address);
    });

    it("test_execute_claimFrontRunWithOtherOwner_reverts", async function () {
      const { registry, claimKey, consumer, outsider, id } = await loadFixture(registeredFixture);
      const action = await signAction(registry, claimKey, { action: Action.Claim, id, account: consumer.address });
      // A mempool observer copies the signature but names itself as owner.
      const stolen = { ...action, account: outsider.address };
      const recovered = recoverAction(await domainOf(registry), stolen);
      expect(recovered).to.not.equal(claimKey.address);
      await expect(registry.connect(outsider).execute(stolen))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(claimKey.address, recovered);
      await registry.connect(outsider).execute(action); // the original still works
      expect((await registry.piece(id)).owner).to.equal(consumer.address);
    });

    it("test_execute_claimKeyOfAnotherPiece_reverts", async function () {
      const { registry, artisan, consumer, id } = await loadFixture(registeredFixture);
      const other = ethers.id("other");
      const otherKey = wallet("other-claim");
      await registry.connect(artisan).register(other, record("o"), [artisan.address], otherKey.address);
      const action = await signAction(registry, otherKey, { action: Action.Claim, id, account: consumer.address });
      await expect(registry.execute(action))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotClaimSigner")
        .withArgs(id, otherKey.address);
    });

    it("test_execute_businessFailure_revertsAndKeepsNonce", async function () {
      const { registry, handler, id } = await loadFixture(registeredFixture);
      const action = await signAction(registry, handler, {
        action: Action.AppendEvent,
        id,
        kind: Kind.Shipping,
        recordHash: record("x"),
      });
      await expect(registry.execute(action)).to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotCustodian");
      expect(await registry.nonces(handler.address)).to.equal(0n);
    });
  });

  describe("actionDigests", function () {
    it("test_actionDigests_matchEthersTypedDataHash", async function () {
      const { registry, artisan, handler, id } = await loadFixture(registeredFixture);
      const domain = await domainOf(registry);
      const cases = [
        { action: Action.Register, id, recordHash: record("p"), makers: [artisan.address], account: artisan.address },
        { action: Action.AppendEvent, id, kind: Kind.Export, recordHash: record("e") },
        { action: Action.Handoff, id, account: handler.address, recordHash: record("h") },
        { action: Action.Flag, id, recordHash: record("f") },
        { action: Action.Unflag, id, recordHash: record("u") },
        { action: Action.Revoke, id, recordHash: record("r") },
        { action: Action.Claim, id, account: handler.address },
      ];
      for (const fields of cases) {
        const action = await signAction(registry, artisan, fields, { nonce: 7n, deadline: 1234n, receiver: handler, receiverNonce: 3n, receiverDeadline: 99n });
        const [type, message] = typedMessage(action, 7n, 1234n);
        const [signerDigest, receiverDigest] = await registry.actionDigests(action);
        expect(signerDigest).to.equal(ethers.TypedDataEncoder.hash(domain, { [type]: TYPES[type] }, message));
        if (fields.action === Action.Handoff) {
          const receiverMessage = { ...message, nonce: 3n, deadline: 99n };
          expect(receiverDigest).to.equal(ethers.TypedDataEncoder.hash(domain, { Handoff: TYPES.Handoff }, receiverMessage));
        } else {
          expect(receiverDigest).to.equal(ethers.ZeroHash);
        }
      }
    });
  });

  describe("signature attacks", function () {
    it("test_execute_replay_revertsInvalidNonce", async function () {
      const f = await loadFixture(registeredFixture);
      const action = await appendAction(f);
      await f.registry.execute(action);
      await expect(f.registry.execute(action))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidNonce")
        .withArgs(f.artisan.address, 1, 0);
    });

    it("test_execute_futureNonce_revertsInvalidNonce", async function () {
      const f = await loadFixture(registeredFixture);
      await expect(f.registry.execute(await appendAction(f, { nonce: 1n })))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidNonce")
        .withArgs(f.artisan.address, 0, 1);
    });

    it("test_execute_wrongChainId_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const domain = { ...(await domainOf(f.registry)), chainId: 1n };
      const action = await appendAction(f, { domain });
      const recovered = recoverAction(await domainOf(f.registry), action);
      await expect(f.registry.execute(action))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(f.artisan.address, recovered);
    });

    it("test_execute_wrongContract_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const other = await ethers.deployContract("ProvenanceRegistry", [0, f.admin.address]);
      const domain = { ...(await domainOf(f.registry)), verifyingContract: await other.getAddress() };
      const action = await appendAction(f, { domain });
      await expect(f.registry.execute(action))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(f.artisan.address, recoverAction(await domainOf(f.registry), action));
    });

    it("test_execute_wrongDomainName_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const domain = { ...(await domainOf(f.registry)), version: "2" };
      await expect(f.registry.execute(await appendAction(f, { domain }))).to.be.revertedWithCustomError(
        f.registry,
        "ProvenanceRegistryInvalidSignature",
      );
    });

    it("test_execute_expiredDeadline_revertsExpiredSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const now = BigInt(await time.latest());
      const action = await appendAction(f, { deadline: now + 10n });
      await time.setNextBlockTimestamp(now + 11n);
      await expect(f.registry.execute(action))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryExpiredSignature")
        .withArgs(f.artisan.address, now + 10n);
      const onTime = await appendAction(f, { deadline: now + 20n });
      await time.setNextBlockTimestamp(now + 20n);
      await expect(f.registry.execute(onTime)).to.emit(f.registry, "EventAppended");
    });

    it("test_execute_highS_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const action = await appendAction(f);
      const sig = ethers.Signature.from(action.auth.signature);
      const highS = ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32);
      const flippedV = sig.v === 27 ? 28 : 27;
      const malleable = ethers.concat([sig.r, highS, ethers.toBeHex(flippedV, 1)]);
      // The malleable twin is a valid secp256k1 signature of the same digest by the same key...
      const digest = (await f.registry.actionDigests(action))[0];
      // (checked with the bare ecrecover precompile, since ethers refuses high-s too)
      const raw = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: ethers.concat([digest, ethers.toBeHex(flippedV, 32), sig.r, highS]),
      });
      expect(ethers.getAddress(ethers.dataSlice(raw, 12))).to.equal(f.artisan.address);
      // ...and the registry rejects it.
      await expect(f.registry.execute({ ...action, auth: { ...action.auth, signature: malleable } }))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(f.artisan.address, ethers.ZeroAddress);
    });

    it("test_execute_malformedSignature_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const action = await appendAction(f);
      const sig = ethers.Signature.from(action.auth.signature);
      const malformed = [
        "0x",
        ethers.concat([sig.r, sig.yParityAndS]), // 64-byte EIP-2098 form is not accepted
        ethers.concat([action.auth.signature, "0x00"]), // 66 bytes
        ethers.concat([sig.r, sig.s, "0x1d"]), // v = 29
        ethers.concat([ethers.ZeroHash, sig.s, ethers.toBeHex(sig.v, 1)]), // r = 0
      ];
      for (const signature of malformed) {
        await expect(f.registry.execute({ ...action, auth: { ...action.auth, signature } }))
          .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidSignature")
          .withArgs(f.artisan.address, ethers.ZeroAddress);
      }
    });

    it("test_execute_wrongSigner_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      // artisan2 signs an action that claims to come from the custodian.
      const forged = await signAction(f.registry, f.artisan2, {
        action: Action.AppendEvent,
        id: f.id,
        kind: Kind.Sale,
        recordHash: record("fake-sale"),
      });
      await expect(f.registry.execute({ ...forged, signer: f.artisan.address }))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(f.artisan.address, f.artisan2.address);
    });

    it("test_execute_alteredField_revertsInvalidSignature", async function () {
      const f = await loadFixture(registeredFixture);
      const action = await appendAction(f);
      await expect(f.registry.execute({ ...action, kind: Kind.Sale })).to.be.revertedWithCustomError(
        f.registry,
        "ProvenanceRegistryInvalidSignature",
      );
      await expect(f.registry.execute({ ...action, recordHash: record("other") })).to.be.revertedWithCustomError(
        f.registry,
        "ProvenanceRegistryInvalidSignature",
      );
    });

    it("test_execute_actionTypeSwap_revertsInvalidSignature", async function () {
      const { registry, certifier, id } = await loadFixture(registeredFixture);
      const flag = await signAction(registry, certifier, { action: Action.Flag, id, recordHash: record("f") });
      // Same fields, other type: a Flag signature cannot be used as a Revoke.
      await expect(registry.execute({ ...flag, action: Action.Revoke })).to.be.revertedWithCustomError(
        registry,
        "ProvenanceRegistryInvalidSignature",
      );
    });

    it("test_handoff_receiverConsentReplay_revertsInvalidNonce", async function () {
      const f = await loadFixture(handedOffFixture);
      const { registry, artisan, handler, handler2, id } = f;
      // handler -> handler2 -> handler ... the first consent of handler2 cannot be replayed later.
      const consent = await require("./helpers").signHandoffConsent(registry, handler2, {
        id,
        from: handler.address,
        to: handler2.address,
        recordHash: record("x"),
      });
      await registry.connect(handler).handoff(id, handler2.address, record("x"), consent);
      const back = await require("./helpers").signHandoffConsent(registry, handler, {
        id,
        from: handler2.address,
        to: handler.address,
        recordHash: record("y"),
      });
      await registry.connect(handler2).handoff(id, handler.address, record("y"), back);
      await expect(registry.connect(handler).handoff(id, handler2.address, record("x"), consent))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidNonce")
        .withArgs(handler2.address, 1, 0);
      expect(artisan.address).to.not.equal(handler.address);
    });

    it("test_handoff_receiverConsentExpired_reverts", async function () {
      const { registry, artisan, handler, id } = await loadFixture(registeredFixture);
      const now = BigInt(await time.latest());
      const consent = await require("./helpers").signHandoffConsent(
        registry,
        handler,
        { id, from: artisan.address, to: handler.address, recordHash: record("h") },
        { deadline: now },
      );
      await expect(registry.connect(artisan).handoff(id, handler.address, record("h"), consent))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryExpiredSignature")
        .withArgs(handler.address, now);
    });

    it("test_signTyped_walletAndNodeSignaturesAgree", async function () {
      // The deterministic claim wallet and the node's eth_signTypedData_v4 produce verifiable signatures alike.
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      const domain = await domainOf(registry);
      const message = { id: PIECE, owner: artisan.address, nonce: 0n, deadline: 1n };
      const w = wallet("x");
      const sig = await signTyped(w, domain, "Claim", message);
      expect(ethers.verifyTypedData(domain, { Claim: TYPES.Claim }, message, sig)).to.equal(w.address);
      const sig2 = await signTyped(artisan, domain, "Claim", message);
      expect(ethers.verifyTypedData(domain, { Claim: TYPES.Claim }, message, sig2)).to.equal(artisan.address);
    });
  });
});
