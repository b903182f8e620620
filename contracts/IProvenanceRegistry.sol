// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IProvenanceRegistry
 * @author Provenance contributors
 * @notice On-chain registry of handicraft pieces: who registered and made each piece, who holds it, its status,
 * the order of its events and the keccak256 hash of every off-chain record (RFC 8785 canonical JSON).
 *
 * @dev Every write exists in two forms:
 *
 * - a direct form (`register`, `appendEvent`, `handoff`, `flag`, `unflag`, `revoke`, `claim`) where `msg.sender`
 *   is the actor, and
 * - a relayed form: a {SignedAction} carrying the actor's EIP-712 signature, run by {execute} (reverts on failure)
 *   or {executeBatch} (each action isolated, outcome logged per action). Anyone may relay; the relayer pays gas
 *   and gains no authority.
 *
 * Both forms run the same internal write path, so the same rules and the same custom errors apply.
 *
 * EIP-712 domain: name `ProvenanceRegistry`, version `1`, the chain id and the registry's address.
 * Signed types (one per {ActionType}; `nonce` and `deadline` are the signer's own):
 *
 * - `Register(bytes32 id,bytes32 recordHash,address[] makers,address claimSigner,uint256 nonce,uint256 deadline)`
 * - `AppendEvent(bytes32 id,uint8 kind,bytes32 recordHash,uint256 nonce,uint256 deadline)`
 * - `Handoff(bytes32 id,address from,address to,bytes32 recordHash,uint256 nonce,uint256 deadline)` - signed by
 *   both the custodian (`from`) and the receiver (`to`), each with its own nonce and deadline
 * - `Flag(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)`
 * - `Unflag(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)`
 * - `Revoke(bytes32 id,bytes32 recordHash,uint256 nonce,uint256 deadline)`
 * - `Claim(bytes32 id,address owner,uint256 nonce,uint256 deadline)` - signed by the piece's committed claim key
 *
 * A signature is 65 bytes `r ‖ s ‖ v` with low `s` (EIP-2) and `v` 27 or 28. Each signer has one nonce counter
 * ({nonces}); a signed action must carry exactly the current value, which it then consumes.
 *
 * Hash chain: every piece starts with `head = 0`; each state-changing action on the piece (the registration
 * included) increments `eventCount` to `seq` and sets
 *
 *     head = keccak256(abi.encode(head, id, seq, uint8(kind), actor, counterparty, recordHash, makersHash))
 *
 * with `seq` a uint256, `counterparty` the claim signer (Registration), the receiver (Handoff), the owner (Claim)
 * or address(0), `recordHash` zero for Claim, and `makersHash = keccak256(abi.encodePacked(makers))` (each
 * address left-padded to 32 bytes, as EIP-712 hashes an `address[]`) for Registration and zero otherwise. Every
 * event below carries the fields to recompute it and the resulting `head`. Gas does not depend on history.
 */
interface IProvenanceRegistry {
    // ------------------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Lifecycle of a piece. `None` means never registered.
    enum PieceStatus {
        None,
        Active,
        Sold,
        Claimed,
        Flagged,
        Revoked
    }

    /**
     * @notice Kind of an entry in a piece's history, folded into its head.
     * @dev `appendEvent` accepts Processing..Note; the others are produced by their own actions.
     * Who may append: Processing, Shipping, Export, Sale - the current custodian; Certification - a certifier;
     * PaymentConfirmed - the registering artisan; Note - the custodian, the registering artisan or a certifier.
     */
    enum EventKind {
        Registration,
        Processing,
        Certification,
        Shipping,
        Export,
        Sale,
        PaymentConfirmed,
        Note,
        Handoff,
        Flag,
        Unflag,
        Revocation,
        Claim
    }

    /// @notice The action a {SignedAction} authorises; selects its EIP-712 type.
    enum ActionType {
        Register,
        AppendEvent,
        Handoff,
        Flag,
        Unflag,
        Revoke,
        Claim
    }

    /**
     * @notice One signer's authorisation of an action.
     * @param nonce the signer's current nonce ({nonces}); consumed by the action
     * @param deadline last block timestamp at which the signature is accepted
     * @param signature 65-byte EIP-712 signature `r ‖ s ‖ v` over the action's typed data
     */
    struct Authorization {
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /**
     * @notice A relayed action: what the actor authorises, and the actor's (and for a handoff the receiver's)
     * signature. Fields an action does not use are ignored and not signed.
     * @param action which action; selects the EIP-712 type
     * @param signer the actor: registering artisan, appender, custodian (handoff), certifier/admin, claim key
     * @param id piece id, `keccak256(bytes(code))`
     * @param kind AppendEvent: the event kind
     * @param recordHash keccak256 of the action's off-chain record (all but Claim)
     * @param account Register: claim signer; Handoff: receiver; Claim: new owner
     * @param makers Register: the makers, strictly ascending addresses, each holding ARTISAN_ROLE
     * @param auth the signer's authorisation
     * @param receiverAuth Handoff: the receiver's authorisation of the same `Handoff` typed data
     */
    struct SignedAction {
        ActionType action;
        address signer;
        bytes32 id;
        EventKind kind;
        bytes32 recordHash;
        address account;
        address[] makers;
        Authorization auth;
        Authorization receiverAuth;
    }

    /**
     * @notice Everything a verifier needs about a piece, read from storage.
     * @param status current status (`None` if unknown)
     * @param statusBeforeFlag the status a `unflag` restores (meaningful while Flagged)
     * @param custodian current holder
     * @param artisan the registering artisan
     * @param claimSigner the committed claim key; zero once the piece is claimed
     * @param owner the claimed owner; zero until claimed
     * @param eventCount number of entries in the history (the registration is entry 1)
     * @param claimedAt block timestamp of the claim, zero until claimed
     * @param head hash-chain head after entry `eventCount`
     */
    struct PieceView {
        PieceStatus status;
        PieceStatus statusBeforeFlag;
        address custodian;
        address artisan;
        address claimSigner;
        address owner;
        uint256 eventCount;
        uint256 claimedAt;
        bytes32 head;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------------------

    /// @notice The piece id is zero.
    error ProvenanceRegistryInvalidId(bytes32 id);
    /// @notice A piece with this id is already registered.
    error ProvenanceRegistryPieceExists(bytes32 id);
    /// @notice No piece with this id is registered.
    error ProvenanceRegistryUnknownPiece(bytes32 id);
    /// @notice `account` lacks `role` (for flag/unflag/revoke the default admin is accepted too).
    error ProvenanceRegistryMissingRole(address account, bytes32 role);
    /// @notice The maker list is empty or longer than MAX_MAKERS.
    error ProvenanceRegistryInvalidMakerCount(uint256 count);
    /// @notice `makers[index]` is not strictly greater than `makers[index - 1]`.
    error ProvenanceRegistryMakersNotSorted(uint256 index);
    /// @notice The claim signer committed at registration is address(0).
    error ProvenanceRegistryInvalidClaimSigner(address claimSigner);
    /// @notice `appendEvent` was given a kind that only another action produces.
    error ProvenanceRegistryInvalidEventKind(EventKind kind);
    /// @notice The action is not allowed while the piece has `status`.
    error ProvenanceRegistryInvalidStatus(bytes32 id, PieceStatus status);
    /// @notice `actor` is not the current custodian `custodian`.
    error ProvenanceRegistryNotCustodian(bytes32 id, address actor, address custodian);
    /// @notice `actor` is not the registering artisan `artisan`.
    error ProvenanceRegistryNotArtisan(bytes32 id, address actor, address artisan);
    /// @notice `actor` is neither custodian, registering artisan nor certifier (notes).
    error ProvenanceRegistryNotPieceParty(bytes32 id, address actor);
    /// @notice A handoff to the current custodian itself.
    error ProvenanceRegistryInvalidReceiver(bytes32 id, address to);
    /// @notice The piece was already claimed by `owner`.
    error ProvenanceRegistryAlreadyClaimed(bytes32 id, address owner);
    /// @notice The claim was not authorised by the piece's committed claim key.
    error ProvenanceRegistryNotClaimSigner(bytes32 id, address signer);
    /// @notice The new owner is address(0).
    error ProvenanceRegistryInvalidOwner(address owner);
    /// @notice The signature of `signer` expired at `deadline`.
    error ProvenanceRegistryExpiredSignature(address signer, uint256 deadline);
    /// @notice The signed nonce `nonce` is not `signer`'s current nonce `currentNonce`.
    error ProvenanceRegistryInvalidNonce(address signer, uint256 currentNonce, uint256 nonce);
    /// @notice The signature does not recover to `signer` (`recovered` is zero when malformed or high-s).
    error ProvenanceRegistryInvalidSignature(address signer, address recovered);

    // ------------------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @notice A piece was registered (history entry 1, kind Registration).
     * @param id piece id
     * @param artisan registering artisan, the first custodian
     * @param claimSigner address of the claim key derived from the hidden claim code
     * @param makers the makers (strictly ascending)
     * @param recordHash keccak256 of the piece's canonical off-chain record
     * @param head hash-chain head after the registration
     */
    event PieceRegistered(
        bytes32 indexed id,
        address indexed artisan,
        address claimSigner,
        address[] makers,
        bytes32 recordHash,
        bytes32 head
    );

    /**
     * @notice An event was appended (kinds Processing..Note). A Sale also moves the piece from Active to Sold.
     * @param id piece id
     * @param kind event kind
     * @param actor who authorised it
     * @param seq its position in the history (new eventCount)
     * @param recordHash keccak256 of the event's canonical off-chain record
     * @param head hash-chain head after it
     */
    event EventAppended(
        bytes32 indexed id,
        EventKind indexed kind,
        address indexed actor,
        uint256 seq,
        bytes32 recordHash,
        bytes32 head
    );

    /**
     * @notice Custody moved from `from` to `to`, both having signed (kind Handoff; actor `from`, counterparty `to`).
     * @param id piece id
     * @param from previous custodian
     * @param to new custodian
     * @param seq position in the history
     * @param recordHash keccak256 of the handoff record
     * @param head hash-chain head after it
     */
    event CustodyTransferred(
        bytes32 indexed id,
        address indexed from,
        address indexed to,
        uint256 seq,
        bytes32 recordHash,
        bytes32 head
    );

    /**
     * @notice A certifier or the admin flagged, unflagged or revoked a piece.
     * @param id piece id
     * @param actor certifier or admin
     * @param kind Flag, Unflag or Revocation
     * @param previousStatus status before
     * @param status status after
     * @param seq position in the history
     * @param recordHash keccak256 of the reason record
     * @param head hash-chain head after it
     */
    event StatusChanged(
        bytes32 indexed id,
        address indexed actor,
        EventKind kind,
        PieceStatus previousStatus,
        PieceStatus status,
        uint256 seq,
        bytes32 recordHash,
        bytes32 head
    );

    /**
     * @notice The holder of the claim code claimed the piece for `owner` (kind Claim; actor `claimSigner`,
     * counterparty `owner`, recordHash zero).
     * @param id piece id
     * @param owner new owner
     * @param claimSigner the committed claim key that signed
     * @param seq position in the history
     * @param head hash-chain head after it
     */
    event PieceClaimed(bytes32 indexed id, address indexed owner, address claimSigner, uint256 seq, bytes32 head);

    /**
     * @notice Batch outcome: action `index` of the {executeBatch} call succeeded (logged after the action's own event).
     * @param index position of the action in the batch
     */
    event ActionSucceeded(uint256 index);

    /**
     * @notice Batch outcome: action `index` of the {executeBatch} call failed and changed nothing except, when
     * `nonceConsumed`, the signer's (and for a handoff the receiver's) nonce.
     * @param index position of the action in the batch
     * @param signer the action's signer
     * @param nonce the signer's nonce in the action
     * @param nonceConsumed true when the authorisation was valid (signature, nonce, deadline) and the action failed
     * on the registry's rules; false when the authorisation itself was rejected
     * @param reason the revert data: a custom error of this interface (selector and arguments)
     */
    event ActionFailed(
        uint256 indexed index,
        address indexed signer,
        uint256 nonce,
        bool nonceConsumed,
        bytes reason
    );

    // ------------------------------------------------------------------------------------------------------------
    // Writes, direct form (msg.sender is the actor)
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @notice Registers piece `id`; the caller (an artisan) becomes its first custodian; status Active.
     * @dev Requirements:
     * - `id` is not zero and not registered;
     * - the caller holds ARTISAN_ROLE;
     * - `makers` has 1..MAX_MAKERS strictly ascending addresses, each holding ARTISAN_ROLE;
     * - `claimSigner` is not zero.
     *
     * Emits a {PieceRegistered} event.
     * @param id piece id, `keccak256(bytes(code))`
     * @param recordHash keccak256 of the piece's canonical off-chain record
     * @param makers the makers, strictly ascending
     * @param claimSigner address of the claim key derived from the hidden claim code
     */
    function register(bytes32 id, bytes32 recordHash, address[] calldata makers, address claimSigner) external;

    /**
     * @notice Appends an event of kind Processing..Note to piece `id`.
     * @dev Requirements:
     * - the piece exists and `kind` is one of Processing, Certification, Shipping, Export, Sale, PaymentConfirmed,
     *   Note;
     * - status: not Revoked; Processing, Shipping, Export need Active, Sold or Claimed; Sale needs Active (and
     *   moves the piece to Sold); Certification, PaymentConfirmed and Note are also accepted while Flagged;
     * - actor: Processing, Shipping, Export, Sale - the custodian, still holding its custody role (ARTISAN_ROLE
     *   before the first handoff, HANDLER_ROLE after); Certification - CERTIFIER_ROLE; PaymentConfirmed - the
     *   registering artisan holding ARTISAN_ROLE; Note - any of those three.
     *
     * Emits an {EventAppended} event.
     * @param id piece id
     * @param kind event kind
     * @param recordHash keccak256 of the event's canonical off-chain record
     */
    function appendEvent(bytes32 id, EventKind kind, bytes32 recordHash) external;

    /**
     * @notice Moves custody of piece `id` from the caller (its custodian) to `to`, with `to`'s signature of
     * `Handoff(id, from = caller, to, recordHash, receiverAuth.nonce, receiverAuth.deadline)`.
     * @dev Requirements:
     * - `receiverAuth` is valid for `to` (deadline, current nonce, signature); its nonce is consumed;
     * - the piece exists with status Active, Sold or Claimed;
     * - the caller is the custodian, still holding its custody role;
     * - `to` is not the caller and holds HANDLER_ROLE.
     *
     * Emits a {CustodyTransferred} event.
     * @param id piece id
     * @param to the receiver, a handler
     * @param recordHash keccak256 of the handoff record
     * @param receiverAuth the receiver's authorisation
     */
    function handoff(bytes32 id, address to, bytes32 recordHash, Authorization calldata receiverAuth) external;

    /**
     * @notice Flags piece `id` (suspected stolen, counterfeit, recalled); custody actions and claims stop.
     * @dev Requirements: the piece exists with status Active, Sold or Claimed; the caller holds CERTIFIER_ROLE or is
     * the default admin.
     *
     * Emits a {StatusChanged} event.
     * @param id piece id
     * @param recordHash keccak256 of the reason record
     */
    function flag(bytes32 id, bytes32 recordHash) external;

    /**
     * @notice Clears a flag: the piece returns to the status it had when flagged.
     * @dev Requirements: the piece is Flagged; the caller holds CERTIFIER_ROLE or is the default admin.
     *
     * Emits a {StatusChanged} event.
     * @param id piece id
     * @param recordHash keccak256 of the reason record
     */
    function unflag(bytes32 id, bytes32 recordHash) external;

    /**
     * @notice Revokes piece `id` for good (e.g. proven counterfeit); every later write on it fails.
     * @dev Requirements: the piece exists and is not Revoked; the caller holds CERTIFIER_ROLE or is the default
     * admin.
     *
     * Emits a {StatusChanged} event.
     * @param id piece id
     * @param recordHash keccak256 of the reason record
     */
    function revoke(bytes32 id, bytes32 recordHash) external;

    /**
     * @notice Claims piece `id` for `owner`; the caller must be the committed claim key itself. Consumers normally
     * use the relayed form instead: a `Claim` signature by the claim key, run through {execute}.
     * @dev Requirements: the piece exists with status Active or Sold and was never claimed; the caller is the
     * committed claim signer; `owner` is not zero.
     *
     * Emits a {PieceClaimed} event.
     * @param id piece id
     * @param owner the new owner
     */
    function claim(bytes32 id, address owner) external;

    // ------------------------------------------------------------------------------------------------------------
    // Writes, relayed form
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @notice Runs one signed action; reverts with the action's error on any failure (nothing is consumed).
     * @dev Requirements: `block.timestamp <= auth.deadline`; `auth.nonce == nonces(signer)`; `auth.signature` is
     * `signer`'s signature of the action's typed data (for a Handoff the same for `receiverAuth` and `account`,
     * unless `account` is the signer itself - a handoff that then fails with {ProvenanceRegistryInvalidReceiver});
     * then the direct form's requirements with `signer` as the actor.
     *
     * Emits the direct form's event.
     * @param action the signed action
     */
    function execute(SignedAction calldata action) external;

    /**
     * @notice Runs many signed actions in order, each in isolation: a failing action changes nothing (see below)
     * and does not stop the others.
     * @dev Per action: if the authorisation is rejected (expired, wrong nonce, bad signature - of the signer or,
     * for a handoff, the receiver) no nonce is consumed and {ActionFailed} is logged with `nonceConsumed = false`.
     * Otherwise the nonces are consumed and the action runs; if it reverts, its state changes are undone but the
     * nonces stay consumed and {ActionFailed} is logged with `nonceConsumed = true`, so a relayer's nonces stay
     * contiguous. On success the action's own event is followed by {ActionSucceeded}. Malformed calldata (e.g. an
     * out-of-range enum) reverts the whole call, and so does running out of gas: no action runs in a sub-call, so a
     * relayer cannot make one action fail, and burn its nonce, by starving it of gas.
     * @param actions the signed actions
     * @return succeeded per action, whether it succeeded
     */
    function executeBatch(SignedAction[] calldata actions) external returns (bool[] memory succeeded);

    // ------------------------------------------------------------------------------------------------------------
    // Reads
    // ------------------------------------------------------------------------------------------------------------

    /**
     * @notice The stored state of piece `id` (all zero, status None, if unknown).
     * @param id piece id
     * @return state the piece's state
     */
    function piece(bytes32 id) external view returns (PieceView memory state);

    /**
     * @notice The next unused nonce of `signer`; a signed action must carry exactly this value.
     * @param signer the signer
     * @return nonce the current nonce
     */
    function nonces(address signer) external view returns (uint256 nonce);

    /**
     * @notice The piece id of a piece code: `keccak256(bytes(code))`.
     * @param code the piece code printed on the tag
     * @return id the piece id
     */
    function pieceId(string calldata code) external pure returns (bytes32 id);

    /**
     * @notice The EIP-712 digests a relayed action's signatures must sign.
     * @param action the action (signatures ignored)
     * @return signerDigest digest for `action.signer`
     * @return receiverDigest Handoff: digest for the receiver (`action.account`); zero otherwise
     */
    function actionDigests(
        SignedAction calldata action
    ) external view returns (bytes32 signerDigest, bytes32 receiverDigest);

    /**
     * @notice The EIP-712 domain separator of this registry on this chain.
     * @return separator the domain separator
     */
    function DOMAIN_SEPARATOR() external view returns (bytes32 separator); // solhint-disable-line func-name-mixedcase
}
