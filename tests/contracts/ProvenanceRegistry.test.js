// Every write's success path and every custom error, per function (direct form).
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-toolbox/network-helpers");
const {
  Status,
  Kind,
  Action,
  ROLE,
  TYPES,
  PIECE,
  PIECE_CODE,
  record,
  sortAddresses,
  makersHash,
  fold,
  signAction,
  signHandoffConsent,
  deployRegistryFixture,
  registeredFixture,
  handedOffFixture,
  pieceId,
  wallet,
} = require("./helpers");

describe("ProvenanceRegistry", function () {
  describe("deployment and roles", function () {
    it("test_constructor_setsAdminAndRoleAdmins", async function () {
      const { registry, admin } = await loadFixture(deployRegistryFixture);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
      expect(await registry.getRoleAdmin(ROLE.REGISTRAR)).to.equal(ROLE.DEFAULT_ADMIN);
      for (const role of [ROLE.ARTISAN, ROLE.HANDLER, ROLE.CERTIFIER]) {
        expect(await registry.getRoleAdmin(role)).to.equal(ROLE.REGISTRAR);
      }
      expect(await registry.REGISTRAR_ROLE()).to.equal(ROLE.REGISTRAR);
      expect(await registry.ARTISAN_ROLE()).to.equal(ROLE.ARTISAN);
      expect(await registry.HANDLER_ROLE()).to.equal(ROLE.HANDLER);
      expect(await registry.CERTIFIER_ROLE()).to.equal(ROLE.CERTIFIER);
    });

    it("test_grantRole_registrarOnboardsActors_adminCannotWithoutRegistrarRole", async function () {
      const { registry, admin, registrar, outsider } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(admin).grantRole(ROLE.ARTISAN, outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, ROLE.REGISTRAR);
      await expect(registry.connect(registrar).grantRole(ROLE.ARTISAN, outsider.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(ROLE.ARTISAN, outsider.address, registrar.address);
      await expect(registry.connect(registrar).grantRole(ROLE.REGISTRAR, outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(registrar.address, ROLE.DEFAULT_ADMIN);
    });

    it("test_defaultAdminTransfer_isTwoStepWithDelay", async function () {
      const [admin, next] = await ethers.getSigners();
      const registry = await ethers.deployContract("ProvenanceRegistry", [3600, admin.address]);
      await registry.beginDefaultAdminTransfer(next.address);
      await expect(registry.connect(next).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await time.increase(3601);
      await registry.connect(next).acceptDefaultAdminTransfer();
      expect(await registry.defaultAdmin()).to.equal(next.address);
    });

    it("test_supportsInterface_reportsRegistryAndAccessControl", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      const iface = registry.interface;
      // ERC-165 id of IProvenanceRegistry = XOR of its function selectors.
      const names = [
        "register",
        "appendEvent",
        "handoff",
        "flag",
        "unflag",
        "revoke",
        "claim",
        "execute",
        "executeBatch",
        "piece",
        "nonces",
        "pieceId",
        "actionDigests",
        "DOMAIN_SEPARATOR",
      ];
      const id = names.reduce((acc, n) => acc ^ BigInt(iface.getFunction(n).selector), 0n);
      expect(await registry.supportsInterface(ethers.toBeHex(id, 4))).to.equal(true);
      expect(await registry.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("register", function () {
    it("test_register_newPiece_storesStateAndEmits", async function () {
      const { registry, artisan, artisan2 } = await loadFixture(deployRegistryFixture);
      const makers = sortAddresses([artisan.address, artisan2.address]);
      const claimKey = wallet("claim");
      const head = fold(
        ethers.ZeroHash,
        PIECE,
        1,
        Kind.Registration,
        artisan.address,
        claimKey.address,
        record("p"),
        makersHash(makers),
      );
      await expect(registry.connect(artisan).register(PIECE, record("p"), makers, claimKey.address))
        .to.emit(registry, "PieceRegistered")
        .withArgs(PIECE, artisan.address, claimKey.address, makers, record("p"), head);
      const p = await registry.piece(PIECE);
      expect(p.status).to.equal(Status.Active);
      expect(p.custodian).to.equal(artisan.address);
      expect(p.artisan).to.equal(artisan.address);
      expect(p.claimSigner).to.equal(claimKey.address);
      expect(p.owner).to.equal(ethers.ZeroAddress);
      expect(p.eventCount).to.equal(1n);
      expect(p.claimedAt).to.equal(0n);
      expect(p.head).to.equal(head);
    });

    it("test_register_makerOtherThanRegistrant_succeeds", async function () {
      const { registry, artisan, artisan2 } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [artisan2.address], wallet("c").address))
        .to.emit(registry, "PieceRegistered");
    });

    it("test_register_zeroId_reverts", async function () {
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(artisan).register(ethers.ZeroHash, record("p"), [artisan.address], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidId")
        .withArgs(ethers.ZeroHash);
    });

    it("test_register_existingId_reverts", async function () {
      const { registry, artisan, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(artisan).register(id, record("p2"), [artisan.address], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryPieceExists")
        .withArgs(id);
    });

    it("test_register_callerWithoutArtisanRole_reverts", async function () {
      const { registry, handler, artisan } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(handler).register(PIECE, record("p"), [artisan.address], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
        .withArgs(handler.address, ROLE.ARTISAN);
    });

    it("test_register_makerWithoutArtisanRole_reverts", async function () {
      const { registry, artisan, outsider } = await loadFixture(deployRegistryFixture);
      const makers = sortAddresses([artisan.address, outsider.address]);
      await expect(registry.connect(artisan).register(PIECE, record("p"), makers, artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
        .withArgs(outsider.address, ROLE.ARTISAN);
    });

    it("test_register_noMakers_reverts", async function () {
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidMakerCount")
        .withArgs(0);
    });

    it("test_register_tooManyMakers_reverts", async function () {
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      const makers = sortAddresses(Array.from({ length: 33 }, (_, i) => wallet(`m${i}`).address));
      expect(await registry.MAX_MAKERS()).to.equal(32n);
      await expect(registry.connect(artisan).register(PIECE, record("p"), makers, artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidMakerCount")
        .withArgs(33);
    });

    it("test_register_makersUnsortedOrDuplicate_reverts", async function () {
      const { registry, artisan, artisan2 } = await loadFixture(deployRegistryFixture);
      const [low, high] = sortAddresses([artisan.address, artisan2.address]);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [high, low], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMakersNotSorted")
        .withArgs(1);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [low, low], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMakersNotSorted")
        .withArgs(1);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [ethers.ZeroAddress], artisan.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMakersNotSorted")
        .withArgs(0);
    });

    it("test_register_zeroClaimSigner_reverts", async function () {
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(artisan).register(PIECE, record("p"), [artisan.address], ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidClaimSigner")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("appendEvent", function () {
    it("test_appendEvent_custodyKindsByCustodian_foldHeadAndEmit", async function () {
      const { registry, artisan, id } = await loadFixture(registeredFixture);
      let head = (await registry.piece(id)).head;
      let seq = 1;
      for (const kind of [Kind.Processing, Kind.Shipping, Kind.Export, Kind.Sale]) {
        seq += 1;
        head = fold(head, id, seq, kind, artisan.address, ethers.ZeroAddress, record(kind), ethers.ZeroHash);
        await expect(registry.connect(artisan).appendEvent(id, kind, record(kind)))
          .to.emit(registry, "EventAppended")
          .withArgs(id, kind, artisan.address, seq, record(kind), head);
      }
      const p = await registry.piece(id);
      expect(p.eventCount).to.equal(5n);
      expect(p.head).to.equal(head);
      expect(p.status).to.equal(Status.Sold);
    });

    it("test_appendEvent_certificationByCertifier_succeeds", async function () {
      const { registry, certifier, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(certifier).appendEvent(id, Kind.Certification, record("gi")))
        .to.emit(registry, "EventAppended")
        .withArgs(id, Kind.Certification, certifier.address, 2, record("gi"), ethers.isHexString);
    });

    it("test_appendEvent_paymentConfirmedByRegisteringArtisanAfterHandoff_succeeds", async function () {
      const { registry, artisan, id } = await loadFixture(handedOffFixture);
      await expect(registry.connect(artisan).appendEvent(id, Kind.PaymentConfirmed, record("paid")))
        .to.emit(registry, "EventAppended")
        .withArgs(id, Kind.PaymentConfirmed, artisan.address, 3, record("paid"), ethers.isHexString);
    });

    it("test_appendEvent_noteByEachParty_succeeds", async function () {
      const { registry, artisan, handler, certifier, id } = await loadFixture(handedOffFixture);
      for (const who of [handler, artisan, certifier]) {
        await expect(registry.connect(who).appendEvent(id, Kind.Note, record("note"))).to.emit(
          registry,
          "EventAppended",
        );
      }
    });

    it("test_appendEvent_unknownPiece_reverts", async function () {
      const { registry, artisan } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(artisan).appendEvent(PIECE, Kind.Processing, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryUnknownPiece")
        .withArgs(PIECE);
    });

    it("test_appendEvent_kindOfAnotherAction_reverts", async function () {
      const { registry, artisan, id } = await loadFixture(registeredFixture);
      for (const kind of [Kind.Registration, Kind.Handoff, Kind.Flag, Kind.Unflag, Kind.Revocation, Kind.Claim]) {
        await expect(registry.connect(artisan).appendEvent(id, kind, record("x")))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidEventKind")
          .withArgs(kind);
      }
    });

    it("test_appendEvent_kindOutOfRange_revertsWithoutData", async function () {
      const { registry, artisan, id } = await loadFixture(registeredFixture);
      const data = registry.interface.encodeFunctionData("appendEvent", [id, 0, record("x")]);
      const bad = data.slice(0, 10 + 64) + ethers.toBeHex(13, 32).slice(2) + data.slice(10 + 128);
      await expect(artisan.sendTransaction({ to: await registry.getAddress(), data: bad })).to.be.reverted;
    });

    it("test_appendEvent_custodyKindByNonCustodian_reverts", async function () {
      const { registry, artisan, handler, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(handler).appendEvent(id, Kind.Shipping, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotCustodian")
        .withArgs(id, handler.address, artisan.address);
    });

    it("test_appendEvent_custodianLostRole_reverts", async function () {
      const { registry, registrar, artisan, handler, id } = await loadFixture(handedOffFixture);
      await registry.connect(registrar).revokeRole(ROLE.HANDLER, handler.address);
      await expect(registry.connect(handler).appendEvent(id, Kind.Processing, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
        .withArgs(handler.address, ROLE.HANDLER);
      // Before the first handoff the custodian is the artisan and needs the artisan role.
      const f = await loadFixture(registeredFixture);
      await f.registry.connect(f.registrar).revokeRole(ROLE.ARTISAN, f.artisan.address);
      await expect(f.registry.connect(f.artisan).appendEvent(f.id, Kind.Processing, record("x")))
        .to.be.revertedWithCustomError(f.registry, "ProvenanceRegistryMissingRole")
        .withArgs(f.artisan.address, ROLE.ARTISAN);
      expect(artisan.address).to.equal(f.artisan.address);
    });

    it("test_appendEvent_certificationWithoutCertifierRole_reverts", async function () {
      const { registry, artisan, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(artisan).appendEvent(id, Kind.Certification, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
        .withArgs(artisan.address, ROLE.CERTIFIER);
    });

    it("test_appendEvent_paymentConfirmedByOtherThanArtisan_reverts", async function () {
      const { registry, artisan, artisan2, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(artisan2).appendEvent(id, Kind.PaymentConfirmed, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotArtisan")
        .withArgs(id, artisan2.address, artisan.address);
    });

    it("test_appendEvent_paymentConfirmedByArtisanWithoutRole_reverts", async function () {
      const { registry, registrar, artisan, id } = await loadFixture(handedOffFixture);
      await registry.connect(registrar).revokeRole(ROLE.ARTISAN, artisan.address);
      await expect(registry.connect(artisan).appendEvent(id, Kind.PaymentConfirmed, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
        .withArgs(artisan.address, ROLE.ARTISAN);
    });

    it("test_appendEvent_noteByOutsiderOrRolelessParty_reverts", async function () {
      const { registry, registrar, artisan, handler, outsider, id } = await loadFixture(handedOffFixture);
      await expect(registry.connect(outsider).appendEvent(id, Kind.Note, record("x")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotPieceParty")
        .withArgs(id, outsider.address);
      await registry.connect(registrar).revokeRole(ROLE.HANDLER, handler.address);
      await registry.connect(registrar).revokeRole(ROLE.ARTISAN, artisan.address);
      for (const who of [handler, artisan]) {
        await expect(registry.connect(who).appendEvent(id, Kind.Note, record("x")))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotPieceParty")
          .withArgs(id, who.address);
      }
    });

    it("test_appendEvent_statusRules_enforced", async function () {
      const { registry, artisan, handler, certifier, id } = await loadFixture(handedOffFixture);
      await registry.connect(handler).appendEvent(id, Kind.Sale, record("sale"));
      await expect(registry.connect(handler).appendEvent(id, Kind.Sale, record("sale2")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Sold);
      await registry.connect(handler).appendEvent(id, Kind.Shipping, record("after-sale"));
      await registry.connect(certifier).flag(id, record("stolen"));
      for (const kind of [Kind.Processing, Kind.Shipping, Kind.Export, Kind.Sale]) {
        await expect(registry.connect(handler).appendEvent(id, kind, record("x")))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
          .withArgs(id, Status.Flagged);
      }
      await registry.connect(certifier).appendEvent(id, Kind.Certification, record("retest"));
      await registry.connect(artisan).appendEvent(id, Kind.PaymentConfirmed, record("paid"));
      await registry.connect(handler).appendEvent(id, Kind.Note, record("note"));
      await registry.connect(certifier).revoke(id, record("fake"));
      for (const [who, kind] of [
        [handler, Kind.Processing],
        [certifier, Kind.Certification],
        [artisan, Kind.PaymentConfirmed],
        [handler, Kind.Note],
      ]) {
        await expect(registry.connect(who).appendEvent(id, kind, record("x")))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
          .withArgs(id, Status.Revoked);
      }
    });
  });

  describe("handoff", function () {
    it("test_handoff_withReceiverSignature_movesCustodyAndConsumesReceiverNonce", async function () {
      const { registry, artisan, handler, id } = await loadFixture(registeredFixture);
      const r = record("h");
      const auth = await signHandoffConsent(registry, handler, {
        id,
        from: artisan.address,
        to: handler.address,
        recordHash: r,
      });
      const head = fold((await registry.piece(id)).head, id, 2, Kind.Handoff, artisan.address, handler.address, r, ethers.ZeroHash);
      await expect(registry.connect(artisan).handoff(id, handler.address, r, auth))
        .to.emit(registry, "CustodyTransferred")
        .withArgs(id, artisan.address, handler.address, 2, r, head);
      const p = await registry.piece(id);
      expect(p.custodian).to.equal(handler.address);
      expect(p.artisan).to.equal(artisan.address);
      expect(p.head).to.equal(head);
      expect(await registry.nonces(handler.address)).to.equal(1n);
      expect(await registry.nonces(artisan.address)).to.equal(0n);
    });

    it("test_handoff_secondHandoffBetweenHandlers_keepsArtisan", async function () {
      const { registry, artisan, handler, handler2, id } = await loadFixture(handedOffFixture);
      const auth = await signHandoffConsent(registry, handler2, {
        id,
        from: handler.address,
        to: handler2.address,
        recordHash: record("h2"),
      });
      await registry.connect(handler).handoff(id, handler2.address, record("h2"), auth);
      const p = await registry.piece(id);
      expect(p.custodian).to.equal(handler2.address);
      expect(p.artisan).to.equal(artisan.address);
    });

    it("test_handoff_receiverSignatureInvalid_reverts", async function () {
      const { registry, artisan, handler, handler2, id } = await loadFixture(registeredFixture);
      const auth = await signHandoffConsent(registry, handler2, {
        id,
        from: artisan.address,
        to: handler.address,
        recordHash: record("h"),
      });
      const recovered = ethers.verifyTypedData(
        {
          name: "ProvenanceRegistry",
          version: "1",
          chainId: 31337,
          verifyingContract: await registry.getAddress(),
        },
        { Handoff: TYPES.Handoff },
        { id, from: artisan.address, to: handler.address, recordHash: record("h"), nonce: 0, deadline: auth.deadline },
        auth.signature,
      );
      expect(recovered).to.equal(handler2.address);
      await expect(registry.connect(artisan).handoff(id, handler.address, record("h"), auth))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidSignature")
        .withArgs(handler.address, handler2.address);
    });

    it("test_handoff_receiverConsentForOtherRecord_reverts", async function () {
      const { registry, artisan, handler, id } = await loadFixture(registeredFixture);
      const auth = await signHandoffConsent(registry, handler, {
        id,
        from: artisan.address,
        to: handler.address,
        recordHash: record("agreed"),
      });
      await expect(registry.connect(artisan).handoff(id, handler.address, record("other"), auth))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidSignature");
    });

    // Refused handoffs with a valid receiver consent: each rule's error and arguments.
    const refused = [
      {
        name: "test_handoff_unknownPiece_reverts",
        fixture: deployRegistryFixture,
        from: "artisan",
        to: "handler",
        error: "ProvenanceRegistryUnknownPiece",
        args: () => [PIECE],
      },
      {
        name: "test_handoff_byNonCustodian_reverts",
        fixture: registeredFixture,
        from: "handler",
        to: "handler2",
        error: "ProvenanceRegistryNotCustodian",
        args: (f) => [f.id, f.handler.address, f.artisan.address],
      },
      {
        name: "test_handoff_toSelf_reverts",
        fixture: handedOffFixture,
        from: "handler",
        to: "handler",
        error: "ProvenanceRegistryInvalidReceiver",
        args: (f) => [f.id, f.handler.address],
      },
      {
        name: "test_handoff_receiverNotHandler_reverts",
        fixture: registeredFixture,
        from: "artisan",
        to: "artisan2",
        error: "ProvenanceRegistryMissingRole",
        args: (f) => [f.artisan2.address, ROLE.HANDLER],
      },
    ];
    for (const c of refused) {
      it(c.name, async function () {
        const f = await loadFixture(c.fixture);
        const { registry } = f;
        const [from, to, id] = [f[c.from], f[c.to], f.id ?? PIECE];
        const auth = await signHandoffConsent(registry, to, { id, from: from.address, to: to.address, recordHash: record("h") });
        await expect(registry.connect(from).handoff(id, to.address, record("h"), auth))
          .to.be.revertedWithCustomError(registry, c.error)
          .withArgs(...c.args(f));
      });
    }

    it("test_handoff_flaggedOrRevoked_reverts", async function () {
      const { registry, handler, handler2, certifier, id } = await loadFixture(handedOffFixture);
      await registry.connect(certifier).flag(id, record("f"));
      const consent = () =>
        signHandoffConsent(registry, handler2, { id, from: handler.address, to: handler2.address, recordHash: record("h") });
      await expect(registry.connect(handler).handoff(id, handler2.address, record("h"), await consent()))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Flagged);
      await registry.connect(certifier).revoke(id, record("r"));
      await expect(registry.connect(handler).handoff(id, handler2.address, record("h"), await consent()))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Revoked);
    });

    it("test_handoff_afterSaleAndClaim_succeeds", async function () {
      const { registry, handler, handler2, claimKey, consumer, id } = await loadFixture(handedOffFixture);
      await registry.connect(handler).appendEvent(id, Kind.Sale, record("sale"));
      await registry.execute(await signAction(registry, claimKey, { action: Action.Claim, id, account: consumer.address }));
      const auth = await signHandoffConsent(registry, handler2, {
        id,
        from: handler.address,
        to: handler2.address,
        recordHash: record("ship-to-owner"),
      });
      await expect(registry.connect(handler).handoff(id, handler2.address, record("ship-to-owner"), auth)).to.emit(
        registry,
        "CustodyTransferred",
      );
      expect((await registry.piece(id)).status).to.equal(Status.Claimed);
    });
  });

  describe("flag, unflag, revoke", function () {
    it("test_flag_byCertifier_setsFlaggedAndRemembersStatus", async function () {
      const { registry, certifier, handler, id } = await loadFixture(handedOffFixture);
      await registry.connect(handler).appendEvent(id, Kind.Sale, record("sale"));
      const head = fold((await registry.piece(id)).head, id, 4, Kind.Flag, certifier.address, ethers.ZeroAddress, record("stolen"), ethers.ZeroHash);
      await expect(registry.connect(certifier).flag(id, record("stolen")))
        .to.emit(registry, "StatusChanged")
        .withArgs(id, certifier.address, Kind.Flag, Status.Sold, Status.Flagged, 4, record("stolen"), head);
      const p = await registry.piece(id);
      expect(p.status).to.equal(Status.Flagged);
      expect(p.statusBeforeFlag).to.equal(Status.Sold);
    });

    it("test_unflag_byAdmin_restoresPreviousStatus", async function () {
      const { registry, certifier, admin, handler, id } = await loadFixture(handedOffFixture);
      await registry.connect(handler).appendEvent(id, Kind.Sale, record("sale"));
      await registry.connect(certifier).flag(id, record("f"));
      await expect(registry.connect(admin).unflag(id, record("cleared")))
        .to.emit(registry, "StatusChanged")
        .withArgs(id, admin.address, Kind.Unflag, Status.Flagged, Status.Sold, 5, record("cleared"), ethers.isHexString);
      expect((await registry.piece(id)).status).to.equal(Status.Sold);
    });

    it("test_revoke_fromFlagged_isTerminal", async function () {
      const { registry, certifier, admin, id } = await loadFixture(registeredFixture);
      await registry.connect(certifier).flag(id, record("f"));
      await expect(registry.connect(admin).revoke(id, record("fake")))
        .to.emit(registry, "StatusChanged")
        .withArgs(id, admin.address, Kind.Revocation, Status.Flagged, Status.Revoked, 3, record("fake"), ethers.isHexString);
      await expect(registry.connect(certifier).revoke(id, record("again")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Revoked);
      await expect(registry.connect(certifier).unflag(id, record("u")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Revoked);
      await expect(registry.connect(certifier).flag(id, record("f2")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Revoked);
    });

    it("test_flag_alreadyFlagged_reverts", async function () {
      const { registry, certifier, id } = await loadFixture(registeredFixture);
      await registry.connect(certifier).flag(id, record("f"));
      await expect(registry.connect(certifier).flag(id, record("f")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Flagged);
    });

    it("test_unflag_notFlagged_reverts", async function () {
      const { registry, certifier, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(certifier).unflag(id, record("u")))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(id, Status.Active);
    });

    it("test_statusChanges_withoutCertifierOrAdmin_revert", async function () {
      const { registry, artisan, registrar, id } = await loadFixture(registeredFixture);
      for (const fn of ["flag", "unflag", "revoke"]) {
        for (const who of [artisan, registrar]) {
          await expect(registry.connect(who)[fn](id, record("x")))
            .to.be.revertedWithCustomError(registry, "ProvenanceRegistryMissingRole")
            .withArgs(who.address, ROLE.CERTIFIER);
        }
      }
    });

    it("test_statusChanges_unknownPiece_revert", async function () {
      const { registry, certifier } = await loadFixture(deployRegistryFixture);
      for (const fn of ["flag", "unflag", "revoke"]) {
        await expect(registry.connect(certifier)[fn](PIECE, record("x")))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryUnknownPiece")
          .withArgs(PIECE);
      }
    });
  });

  describe("claim", function () {
    it("test_claim_directByClaimKey_recordsOwner", async function () {
      const { registry, admin, artisan, consumer } = await loadFixture(deployRegistryFixture);
      // The direct form needs the claim key to send the transaction itself: use a funded signer as claim key.
      const claimKey = admin;
      await registry.connect(artisan).register(PIECE, record("p"), [artisan.address], claimKey.address);
      const head = fold((await registry.piece(PIECE)).head, PIECE, 2, Kind.Claim, claimKey.address, consumer.address, ethers.ZeroHash, ethers.ZeroHash);
      const tx = registry.connect(claimKey).claim(PIECE, consumer.address);
      await expect(tx).to.emit(registry, "PieceClaimed").withArgs(PIECE, consumer.address, claimKey.address, 2, head);
      const block = await ethers.provider.getBlock((await (await tx).wait()).blockNumber);
      const p = await registry.piece(PIECE);
      expect(p.status).to.equal(Status.Claimed);
      expect(p.owner).to.equal(consumer.address);
      expect(p.claimSigner).to.equal(ethers.ZeroAddress);
      expect(p.claimedAt).to.equal(BigInt(block.timestamp));
    });

    it("test_claim_secondClaim_revertsAlreadyClaimed", async function () {
      const { registry, admin, artisan, consumer, outsider } = await loadFixture(deployRegistryFixture);
      await registry.connect(artisan).register(PIECE, record("p"), [artisan.address], admin.address);
      await registry.connect(admin).claim(PIECE, consumer.address);
      for (const who of [admin, outsider]) {
        await expect(registry.connect(who).claim(PIECE, outsider.address))
          .to.be.revertedWithCustomError(registry, "ProvenanceRegistryAlreadyClaimed")
          .withArgs(PIECE, consumer.address);
      }
    });

    it("test_claim_notClaimKey_reverts", async function () {
      const { registry, consumer, id } = await loadFixture(registeredFixture);
      await expect(registry.connect(consumer).claim(id, consumer.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryNotClaimSigner")
        .withArgs(id, consumer.address);
    });

    it("test_claim_zeroOwner_reverts", async function () {
      const { registry, admin, artisan } = await loadFixture(deployRegistryFixture);
      await registry.connect(artisan).register(PIECE, record("p"), [artisan.address], admin.address);
      await expect(registry.connect(admin).claim(PIECE, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });

    it("test_claim_unknownPiece_reverts", async function () {
      const { registry, consumer } = await loadFixture(deployRegistryFixture);
      await expect(registry.connect(consumer).claim(PIECE, consumer.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryUnknownPiece")
        .withArgs(PIECE);
    });

    it("test_claim_flaggedOrRevoked_reverts", async function () {
      const { registry, admin, artisan, certifier, consumer } = await loadFixture(deployRegistryFixture);
      await registry.connect(artisan).register(PIECE, record("p"), [artisan.address], admin.address);
      await registry.connect(certifier).flag(PIECE, record("f"));
      await expect(registry.connect(admin).claim(PIECE, consumer.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(PIECE, Status.Flagged);
      await registry.connect(certifier).revoke(PIECE, record("r"));
      await expect(registry.connect(admin).claim(PIECE, consumer.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryInvalidStatus")
        .withArgs(PIECE, Status.Revoked);
    });

    it("test_claim_flaggedAfterClaim_unflagRestoresClaimed", async function () {
      const { registry, admin, artisan, certifier, consumer } = await loadFixture(deployRegistryFixture);
      await registry.connect(artisan).register(PIECE, record("p"), [artisan.address], admin.address);
      await registry.connect(admin).claim(PIECE, consumer.address);
      await registry.connect(certifier).flag(PIECE, record("f"));
      await expect(registry.connect(admin).claim(PIECE, consumer.address))
        .to.be.revertedWithCustomError(registry, "ProvenanceRegistryAlreadyClaimed")
        .withArgs(PIECE, consumer.address);
      await registry.connect(certifier).unflag(PIECE, record("u"));
      const p = await registry.piece(PIECE);
      expect(p.status).to.equal(Status.Claimed);
      expect(p.owner).to.equal(consumer.address);
    });
  });

  describe("reads", function () {
    it("test_pieceId_isKeccakOfCode", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      expect(await registry.pieceId(PIECE_CODE)).to.equal(pieceId(PIECE_CODE));
      expect(PIECE).to.equal(pieceId(PIECE_CODE));
    });

    it("test_piece_unknown_isAllZero", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      const p = await registry.piece(ethers.id("nothing"));
      expect(p.status).to.equal(Status.None);
      expect(p.custodian).to.equal(ethers.ZeroAddress);
      expect(p.eventCount).to.equal(0n);
      expect(p.head).to.equal(ethers.ZeroHash);
    });

    it("test_domainSeparator_matchesEip712Domain", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      const expected = ethers.TypedDataEncoder.hashDomain({
        name: "ProvenanceRegistry",
        version: "1",
        chainId: 31337,
        verifyingContract: await registry.getAddress(),
      });
      expect(await registry.DOMAIN_SEPARATOR()).to.equal(expected);
      const d = await registry.eip712Domain();
      expect(d.name).to.equal("ProvenanceRegistry");
      expect(d.version).to.equal("1");
    });

    it("test_typeHashes_matchDocumentedTypeStrings", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      const cases = {
        REGISTER_TYPEHASH: "Register",
        APPEND_EVENT_TYPEHASH: "AppendEvent",
        HANDOFF_TYPEHASH: "Handoff",
        FLAG_TYPEHASH: "Flag",
        UNFLAG_TYPEHASH: "Unflag",
        REVOKE_TYPEHASH: "Revoke",
        CLAIM_TYPEHASH: "Claim",
      };
      for (const [getter, name] of Object.entries(cases)) {
        const typeString = ethers.TypedDataEncoder.from({ [name]: TYPES[name] }).encodeType(name);
        expect(await registry[getter]()).to.equal(ethers.id(typeString), typeString);
      }
    });
  });
});
