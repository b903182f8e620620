// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IProvenanceRegistry} from "./IProvenanceRegistry.sol";

/**
 * @title ProvenanceRegistry
 * @author Provenance contributors
 * @notice Registry of handicraft pieces with signed events, two-party custody and claims. See
 * {IProvenanceRegistry} for the rules, the EIP-712 types and the hash-chain fold.
 * @dev Roles: the default admin (two-step transfer with a delay, {AccessControlDefaultAdminRules}) administers
 * REGISTRAR_ROLE; REGISTRAR_ROLE administers ARTISAN_ROLE, HANDLER_ROLE and CERTIFIER_ROLE.
 *
 * Storage per piece is three slots written at registration (state, head, claim key) and a fourth written once at
 * the first handoff (the registering artisan, who until then is the custodian). No write reads or grows with the
 * history.
 */
contract ProvenanceRegistry is IProvenanceRegistry, AccessControlDefaultAdminRules, EIP712, Nonces {
    /// @notice Onboards actors: admin of the artisan, handler and certifier roles.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice Registers pieces, is named as maker, confirms payment.
    bytes32 public constant ARTISAN_ROLE = keccak256("ARTISAN_ROLE");
    /// @notice Receives custody (middleman, exporter, retailer).
    bytes32 public constant HANDLER_ROLE = keccak256("HANDLER_ROLE");
    /// @notice Certifies; flags, unflags and revokes pieces.
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");

    /// @notice Most makers a registration may name.
    uint256 public constant MAX_MAKERS = 32;

    /// @notice EIP-712 type hash of `Register`.
    bytes32 public constant REGISTER_TYPEHASH = keccak256(
        "Register(bytes32 id,bytes32 recordHash,address[] makers,address claimSigner,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-712 type hash of `AppendEvent`.
    bytes32 public constant APPEND_EVENT_TYPEHASH =
        keccak256("AppendEvent(bytes32 id,uint8 kind,bytes32 recordHash,uint256 nonce,uint256 deadline)");
    /// @notice EIP-712 type hash of `Handoff`.
    bytes32 public constant HANDOFF_TYPEHASH = keccak256(
        "Handoff(bytes32 id,address from,address to,bytes32 recordHash,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-712 type hash of `Flag`.
    bytes32 public constant FLAG_TYPEHASH =
        keccak256("Flag(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)");
    /// @notice EIP-712 type hash of `Unflag`.
    bytes32 public constant UNFLAG_TYPEHASH =
        keccak256("Unflag(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)");
    /// @notice EIP-712 type hash of `Revoke`.
    bytes32 public constant REVOKE_TYPEHASH =
        keccak256("Revoke(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)");
    /// @notice EIP-712 type hash of `Claim`.
    bytes32 public constant CLAIM_TYPEHASH =
        keccak256("Claim(bytes32 id,address owner,uint256 nonce,uint256 deadline)");

    /// @dev Stored state of a piece. Slot 0 is read and written by every action; `artisan` only by handoffs,
    /// payment confirmations and notes. (Slots 2 and 3 hold one address each on purpose: two do not fit in one.)
    // solhint-disable-next-line gas-struct-packing
    struct Piece {
        // slot 0
        address custodian;
        PieceStatus status;
        PieceStatus statusBeforeFlag;
        bool handedOff; // true once custody left the registering artisan; then `artisan` holds it
        uint32 eventCount;
        uint40 claimedAt;
        // slot 1
        bytes32 head;
        // slot 2: the committed claim signer until the piece is claimed, then its owner
        address claimant;
        // slot 3: the registering artisan, copied here at the first handoff (before it, it is `custodian`)
        address artisan;
    }

    mapping(bytes32 id => Piece) private _pieces;

    /**
     * @notice Deploys the registry with `initialAdmin` as default admin.
     * @param initialAdminDelay delay (seconds) of a default-admin transfer
     * @param initialAdmin the default admin
     */
    constructor(
        uint48 initialAdminDelay,
        address initialAdmin
    ) AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin) EIP712("ProvenanceRegistry", "1") {
        _setRoleAdmin(ARTISAN_ROLE, REGISTRAR_ROLE);
        _setRoleAdmin(HANDLER_ROLE, REGISTRAR_ROLE);
        _setRoleAdmin(CERTIFIER_ROLE, REGISTRAR_ROLE);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Direct form
    // ------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceRegistry
    function register(bytes32 id, bytes32 recordHash, address[] calldata makers, address claimSigner) external {
        _orRevert(_register(_msgSender(), id, recordHash, makers, claimSigner));
    }

    /// @inheritdoc IProvenanceRegistry
    function appendEvent(bytes32 id, EventKind kind, bytes32 recordHash) external {
        _orRevert(_appendEvent(_msgSender(), id, kind, recordHash));
    }

    /// @inheritdoc IProvenanceRegistry
    function handoff(bytes32 id, address to, bytes32 recordHash, Authorization calldata receiverAuth) external {
        address from = _msgSender();
        if (to != from) {
            _orRevert(_authorizationError(to, _handoffDigest(id, from, to, recordHash, receiverAuth), receiverAuth));
            _useNonce(to);
        }
        _orRevert(_handoff(from, id, to, recordHash));
    }

    /// @inheritdoc IProvenanceRegistry
    function flag(bytes32 id, bytes32 recordHash) external {
        _orRevert(_flag(_msgSender(), id, recordHash));
    }

    /// @inheritdoc IProvenanceRegistry
    function unflag(bytes32 id, bytes32 recordHash) external {
        _orRevert(_unflag(_msgSender(), id, recordHash));
    }

    /// @inheritdoc IProvenanceRegistry
    function revoke(bytes32 id, bytes32 recordHash) external {
        _orRevert(_revoke(_msgSender(), id, recordHash));
    }

    /// @inheritdoc IProvenanceRegistry
    function claim(bytes32 id, address owner) external {
        _orRevert(_claim(_msgSender(), id, owner));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Relayed form
    // ------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceRegistry
    function execute(SignedAction calldata action) external {
        _orRevert(_authenticationError(action));
        _consumeNonces(action);
        _orRevert(_apply(action));
    }

    /// @inheritdoc IProvenanceRegistry
    function executeBatch(SignedAction[] calldata actions) external returns (bool[] memory succeeded) {
        uint256 count = actions.length;
        succeeded = new bool[](count);
        for (uint256 i = 0; i < count; ++i) {
            SignedAction calldata action = actions[i];
            bytes memory err = _authenticationError(action);
            if (err.length != 0) {
                emit ActionFailed(i, action.signer, action.auth.nonce, false, err);
                continue;
            }
            _consumeNonces(action);
            // A rule that fails has changed nothing (rules check everything before their first write).
            err = _apply(action);
            if (err.length != 0) {
                emit ActionFailed(i, action.signer, action.auth.nonce, true, err);
            } else {
                succeeded[i] = true;
                emit ActionSucceeded(i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reads
    // ------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceRegistry
    function piece(bytes32 id) external view returns (PieceView memory state) {
        Piece storage p = _pieces[id];
        bool claimed = p.claimedAt != 0;
        state = PieceView({
            status: p.status,
            statusBeforeFlag: p.statusBeforeFlag,
            custodian: p.custodian,
            artisan: _artisanOf(p),
            claimSigner: claimed ? address(0) : p.claimant,
            owner: claimed ? p.claimant : address(0),
            eventCount: p.eventCount,
            claimedAt: p.claimedAt,
            head: p.head
        });
    }

    /// @inheritdoc IProvenanceRegistry
    function nonces(address signer) public view override(IProvenanceRegistry, Nonces) returns (uint256 nonce) {
        return super.nonces(signer);
    }

    /// @inheritdoc IProvenanceRegistry
    function pieceId(string calldata code) external pure returns (bytes32 id) {
        return keccak256(bytes(code));
    }

    /// @inheritdoc IProvenanceRegistry
    function actionDigests(
        SignedAction calldata action
    ) external view returns (bytes32 signerDigest, bytes32 receiverDigest) {
        signerDigest = _signerDigest(action);
        if (action.action == ActionType.Handoff) {
            receiverDigest = _handoffDigest(
                action.id,
                action.signer,
                action.account,
                action.recordHash,
                action.receiverAuth
            );
        }
    }

    /// @inheritdoc IProvenanceRegistry
    function DOMAIN_SEPARATOR() external view returns (bytes32 separator) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    /**
     * @notice ERC-165: also reports {IProvenanceRegistry}.
     * @param interfaceId the interface id
     * @return supported whether the registry implements it
     */
    function supportsInterface(bytes4 interfaceId) public view override returns (bool supported) {
        return interfaceId == type(IProvenanceRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Rules: one internal path per action, shared by all forms. Each returns the ABI-encoded custom error it fails
    // with (empty on success) and makes every check before its first write, so a failing rule changes nothing:
    // the direct and relayed forms revert with the error, executeBatch logs it and goes on.
    // ------------------------------------------------------------------------------------------------------------

    function _register(
        address artisan,
        bytes32 id,
        bytes32 recordHash,
        address[] calldata makers,
        address claimSigner
    ) private returns (bytes memory) {
        if (id == bytes32(0)) return abi.encodeWithSelector(ProvenanceRegistryInvalidId.selector, id);
        Piece storage p = _pieces[id];
        if (p.status != PieceStatus.None) return abi.encodeWithSelector(ProvenanceRegistryPieceExists.selector, id);
        if (!hasRole(ARTISAN_ROLE, artisan)) return _missingRole(artisan, ARTISAN_ROLE);
        uint256 count = makers.length;
        if (count == 0 || count > MAX_MAKERS) {
            return abi.encodeWithSelector(ProvenanceRegistryInvalidMakerCount.selector, count);
        }
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            address maker = makers[i];
            // solhint-disable-next-line gas-strict-inequalities
            if (maker <= previous) return abi.encodeWithSelector(ProvenanceRegistryMakersNotSorted.selector, i);
            if (!hasRole(ARTISAN_ROLE, maker)) return _missingRole(maker, ARTISAN_ROLE);
            previous = maker;
        }
        if (claimSigner == address(0)) {
            return abi.encodeWithSelector(ProvenanceRegistryInvalidClaimSigner.selector, claimSigner);
        }

        p.custodian = artisan;
        p.status = PieceStatus.Active;
        p.claimant = claimSigner;
        bytes32 makersHash = keccak256(abi.encodePacked(makers));
        (, bytes32 head) = _record(p, id, EventKind.Registration, artisan, claimSigner, recordHash, makersHash);
        emit PieceRegistered(id, artisan, claimSigner, makers, recordHash, head);
        return "";
    }

    function _appendEvent(
        address actor,
        bytes32 id,
        EventKind kind,
        bytes32 recordHash
    ) private returns (bytes memory err) {
        Piece storage p = _pieces[id];
        PieceStatus status = p.status;
        if (status == PieceStatus.None) return _unknownPiece(id);
        if (kind == EventKind.Registration || kind > EventKind.Note) {
            return abi.encodeWithSelector(ProvenanceRegistryInvalidEventKind.selector, kind);
        }
        if (kind == EventKind.Certification) {
            if (!hasRole(CERTIFIER_ROLE, actor)) return _missingRole(actor, CERTIFIER_ROLE);
        } else if (kind == EventKind.PaymentConfirmed) {
            address artisan = _artisanOf(p);
            if (actor != artisan) {
                return abi.encodeWithSelector(ProvenanceRegistryNotArtisan.selector, id, actor, artisan);
            }
            if (!hasRole(ARTISAN_ROLE, actor)) return _missingRole(actor, ARTISAN_ROLE);
        } else if (kind == EventKind.Note) {
            if (!_isParty(p, actor)) return abi.encodeWithSelector(ProvenanceRegistryNotPieceParty.selector, id, actor);
        } else {
            // Processing, Shipping, Export, Sale: custody-side steps.
            err = _custodianError(p, id, actor);
            if (err.length != 0) return err;
            if (status == PieceStatus.Flagged || (kind == EventKind.Sale && status != PieceStatus.Active)) {
                return _invalidStatus(id, status);
            }
        }
        if (status == PieceStatus.Revoked) return _invalidStatus(id, status);

        if (kind == EventKind.Sale) p.status = PieceStatus.Sold;
        (uint256 seq, bytes32 head) = _record(p, id, kind, actor, address(0), recordHash, bytes32(0));
        emit EventAppended(id, kind, actor, seq, recordHash, head);
        return "";
    }

    function _handoff(address from, bytes32 id, address to, bytes32 recordHash) private returns (bytes memory err) {
        Piece storage p = _pieces[id];
        PieceStatus status = p.status;
        if (status == PieceStatus.None) return _unknownPiece(id);
        err = _custodianError(p, id, from);
        if (err.length != 0) return err;
        if (!_isLive(status)) return _invalidStatus(id, status);
        if (to == from) return abi.encodeWithSelector(ProvenanceRegistryInvalidReceiver.selector, id, to);
        if (!hasRole(HANDLER_ROLE, to)) return _missingRole(to, HANDLER_ROLE);

        if (!p.handedOff) {
            p.handedOff = true;
            p.artisan = from;
        }
        p.custodian = to;
        (uint256 seq, bytes32 head) = _record(p, id, EventKind.Handoff, from, to, recordHash, bytes32(0));
        emit CustodyTransferred(id, from, to, seq, recordHash, head);
        return "";
    }

    function _flag(address actor, bytes32 id, bytes32 recordHash) private returns (bytes memory err) {
        Piece storage p = _pieces[id];
        PieceStatus previous = p.status;
        err = _statusChangeError(p, id, actor);
        if (err.length != 0) return err;
        if (!_isLive(previous)) return _invalidStatus(id, previous);

        p.statusBeforeFlag = previous;
        _changeStatus(p, id, actor, EventKind.Flag, previous, PieceStatus.Flagged, recordHash);
        return "";
    }

    function _unflag(address actor, bytes32 id, bytes32 recordHash) private returns (bytes memory err) {
        Piece storage p = _pieces[id];
        PieceStatus previous = p.status;
        err = _statusChangeError(p, id, actor);
        if (err.length != 0) return err;
        if (previous != PieceStatus.Flagged) return _invalidStatus(id, previous);

        _changeStatus(p, id, actor, EventKind.Unflag, previous, p.statusBeforeFlag, recordHash);
        return "";
    }

    function _revoke(address actor, bytes32 id, bytes32 recordHash) private returns (bytes memory err) {
        Piece storage p = _pieces[id];
        PieceStatus previous = p.status;
        err = _statusChangeError(p, id, actor);
        if (err.length != 0) return err;
        if (previous == PieceStatus.Revoked) return _invalidStatus(id, previous);

        _changeStatus(p, id, actor, EventKind.Revocation, previous, PieceStatus.Revoked, recordHash);
        return "";
    }

    function _claim(address signer, bytes32 id, address owner) private returns (bytes memory) {
        Piece storage p = _pieces[id];
        PieceStatus status = p.status;
        if (status == PieceStatus.None) return _unknownPiece(id);
        if (p.claimedAt != 0) return abi.encodeWithSelector(ProvenanceRegistryAlreadyClaimed.selector, id, p.claimant);
        if (status != PieceStatus.Active && status != PieceStatus.Sold) return _invalidStatus(id, status);
        if (signer != p.claimant) return abi.encodeWithSelector(ProvenanceRegistryNotClaimSigner.selector, id, signer);
        if (owner == address(0)) return abi.encodeWithSelector(ProvenanceRegistryInvalidOwner.selector, owner);

        p.status = PieceStatus.Claimed;
        p.claimedAt = uint40(block.timestamp);
        p.claimant = owner;
        (uint256 seq, bytes32 head) = _record(p, id, EventKind.Claim, signer, owner, bytes32(0), bytes32(0));
        emit PieceClaimed(id, owner, signer, seq, head);
        return "";
    }

    function _changeStatus(
        Piece storage p,
        bytes32 id,
        address actor,
        EventKind kind,
        PieceStatus previous,
        PieceStatus status,
        bytes32 recordHash
    ) private {
        p.status = status;
        (uint256 seq, bytes32 head) = _record(p, id, kind, actor, address(0), recordHash, bytes32(0));
        emit StatusChanged(id, actor, kind, previous, status, seq, recordHash, head);
    }

    /// @dev The one place history grows: next sequence number and the hash-chain fold (see the interface).
    function _record(
        Piece storage p,
        bytes32 id,
        EventKind kind,
        address actor,
        address counterparty,
        bytes32 recordHash,
        bytes32 makersHash
    ) private returns (uint256 seq, bytes32 head) {
        uint32 next = p.eventCount + 1;
        p.eventCount = next;
        seq = next;
        head = keccak256(abi.encode(p.head, id, seq, kind, actor, counterparty, recordHash, makersHash));
        p.head = head;
    }

    function _apply(SignedAction calldata action) private returns (bytes memory) {
        ActionType kind = action.action;
        if (kind == ActionType.Register) {
            return _register(action.signer, action.id, action.recordHash, action.makers, action.account);
        } else if (kind == ActionType.AppendEvent) {
            return _appendEvent(action.signer, action.id, action.kind, action.recordHash);
        } else if (kind == ActionType.Handoff) {
            return _handoff(action.signer, action.id, action.account, action.recordHash);
        } else if (kind == ActionType.Flag) {
            return _flag(action.signer, action.id, action.recordHash);
        } else if (kind == ActionType.Unflag) {
            return _unflag(action.signer, action.id, action.recordHash);
        } else if (kind == ActionType.Revoke) {
            return _revoke(action.signer, action.id, action.recordHash);
        } else {
            return _claim(action.signer, action.id, action.account);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Rule helpers (view; errors returned, never reverted)
    // ------------------------------------------------------------------------------------------------------------

    /// @dev The custodian must still hold its custody role: ARTISAN_ROLE before the first handoff, HANDLER_ROLE after.
    function _custodianError(Piece storage p, bytes32 id, address actor) private view returns (bytes memory) {
        address custodian = p.custodian;
        if (actor != custodian) {
            return abi.encodeWithSelector(ProvenanceRegistryNotCustodian.selector, id, actor, custodian);
        }
        bytes32 role = p.handedOff ? HANDLER_ROLE : ARTISAN_ROLE;
        if (!hasRole(role, actor)) return _missingRole(actor, role);
        return "";
    }

    /// @dev Flag, unflag and revoke: the piece exists and the actor is a certifier or the default admin.
    function _statusChangeError(Piece storage p, bytes32 id, address actor) private view returns (bytes memory) {
        if (p.status == PieceStatus.None) return _unknownPiece(id);
        if (!hasRole(CERTIFIER_ROLE, actor) && !hasRole(DEFAULT_ADMIN_ROLE, actor)) {
            return _missingRole(actor, CERTIFIER_ROLE);
        }
        return "";
    }

    function _isParty(Piece storage p, address actor) private view returns (bool) {
        if (actor == p.custodian) return hasRole(p.handedOff ? HANDLER_ROLE : ARTISAN_ROLE, actor);
        if (hasRole(CERTIFIER_ROLE, actor)) return true;
        return actor == _artisanOf(p) && hasRole(ARTISAN_ROLE, actor);
    }

    function _artisanOf(Piece storage p) private view returns (address) {
        return p.handedOff ? p.artisan : p.custodian;
    }

    function _isLive(PieceStatus status) private pure returns (bool) {
        return status == PieceStatus.Active || status == PieceStatus.Sold || status == PieceStatus.Claimed;
    }

    function _unknownPiece(bytes32 id) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ProvenanceRegistryUnknownPiece.selector, id);
    }

    function _missingRole(address account, bytes32 role) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ProvenanceRegistryMissingRole.selector, account, role);
    }

    function _invalidStatus(bytes32 id, PieceStatus status) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ProvenanceRegistryInvalidStatus.selector, id, status);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Signatures
    // ------------------------------------------------------------------------------------------------------------

    /// @dev Empty if the action's signature(s) are valid now; otherwise the encoded custom error. Never reverts.
    function _authenticationError(SignedAction calldata action) private view returns (bytes memory err) {
        err = _authorizationError(action.signer, _signerDigest(action), action.auth);
        if (err.length == 0 && _needsReceiverAuth(action)) {
            bytes32 digest = _handoffDigest(
                action.id,
                action.signer,
                action.account,
                action.recordHash,
                action.receiverAuth
            );
            err = _authorizationError(action.account, digest, action.receiverAuth);
        }
    }

    function _consumeNonces(SignedAction calldata action) private {
        _useNonce(action.signer);
        if (_needsReceiverAuth(action)) _useNonce(action.account);
    }

    /// @dev A handoff needs the receiver's own authorisation, unless the receiver is the signer (which then fails
    /// on the rules with {ProvenanceRegistryInvalidReceiver}).
    function _needsReceiverAuth(SignedAction calldata action) private pure returns (bool) {
        return action.action == ActionType.Handoff && action.account != action.signer;
    }

    function _authorizationError(
        address signer,
        bytes32 digest,
        Authorization calldata auth
    ) private view returns (bytes memory) {
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > auth.deadline) {
            return abi.encodeWithSelector(ProvenanceRegistryExpiredSignature.selector, signer, auth.deadline);
        }
        uint256 current = nonces(signer);
        if (auth.nonce != current) {
            return abi.encodeWithSelector(ProvenanceRegistryInvalidNonce.selector, signer, current, auth.nonce);
        }
        (address recovered, ECDSA.RecoverError recoverError, ) = ECDSA.tryRecoverCalldata(digest, auth.signature);
        if (recoverError != ECDSA.RecoverError.NoError || recovered != signer) {
            return abi.encodeWithSelector(ProvenanceRegistryInvalidSignature.selector, signer, recovered);
        }
        return "";
    }

    function _signerDigest(SignedAction calldata action) private view returns (bytes32) {
        ActionType kind = action.action;
        Authorization calldata auth = action.auth;
        bytes32 structHash;
        if (kind == ActionType.Register) {
            structHash = keccak256(
                abi.encode(
                    REGISTER_TYPEHASH,
                    action.id,
                    action.recordHash,
                    keccak256(abi.encodePacked(action.makers)),
                    action.account,
                    auth.nonce,
                    auth.deadline
                )
            );
        } else if (kind == ActionType.AppendEvent) {
            structHash = keccak256(
                abi.encode(APPEND_EVENT_TYPEHASH, action.id, action.kind, action.recordHash, auth.nonce, auth.deadline)
            );
        } else if (kind == ActionType.Handoff) {
            return _handoffDigest(action.id, action.signer, action.account, action.recordHash, auth);
        } else if (kind == ActionType.Claim) {
            structHash = keccak256(abi.encode(CLAIM_TYPEHASH, action.id, action.account, auth.nonce, auth.deadline));
        } else {
            bytes32 typeHash = kind == ActionType.Flag
                ? FLAG_TYPEHASH
                : (kind == ActionType.Unflag ? UNFLAG_TYPEHASH : REVOKE_TYPEHASH);
            structHash = keccak256(abi.encode(typeHash, action.id, action.recordHash, auth.nonce, auth.deadline));
        }
        return _hashTypedDataV4(structHash);
    }

    function _handoffDigest(
        bytes32 id,
        address from,
        address to,
        bytes32 recordHash,
        Authorization calldata auth
    ) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(HANDOFF_TYPEHASH, id, from, to, recordHash, auth.nonce, auth.deadline))
        );
    }

    /// @dev Reverts with `err` (an ABI-encoded custom error) unless it is empty.
    function _orRevert(bytes memory err) private pure {
        if (err.length != 0) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(err, 0x20), mload(err))
            }
        }
    }
}
