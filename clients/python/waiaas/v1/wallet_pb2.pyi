from waiaas.v1 import rpc_pb2 as _rpc_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DECISION_ALLOW: Decision
DECISION_APPROVAL_REQUIRED: Decision
DECISION_DENY: Decision
DECISION_UNSPECIFIED: Decision
DESCRIPTOR: _descriptor.FileDescriptor
PROPOSAL_STATUS_ACTIVE: ProposalStatus
PROPOSAL_STATUS_APPROVED: ProposalStatus
PROPOSAL_STATUS_CANCELLED: ProposalStatus
PROPOSAL_STATUS_DRAFT: ProposalStatus
PROPOSAL_STATUS_EXECUTED: ProposalStatus
PROPOSAL_STATUS_EXECUTING: ProposalStatus
PROPOSAL_STATUS_NO_PROPOSAL: ProposalStatus
PROPOSAL_STATUS_REJECTED: ProposalStatus
PROPOSAL_STATUS_STALE: ProposalStatus
PROPOSAL_STATUS_UNSPECIFIED: ProposalStatus
SUBMISSION_STATUS_CONFIRMED: SubmissionStatus
SUBMISSION_STATUS_EXPIRED: SubmissionStatus
SUBMISSION_STATUS_FAILED: SubmissionStatus
SUBMISSION_STATUS_FINALIZED: SubmissionStatus
SUBMISSION_STATUS_PROCESSED: SubmissionStatus
SUBMISSION_STATUS_SENT: SubmissionStatus
SUBMISSION_STATUS_UNSPECIFIED: SubmissionStatus

class AssetAmount(_message.Message):
    __slots__ = ["amount", "decimals", "decimals_known", "mint"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DECIMALS_FIELD_NUMBER: _ClassVar[int]
    DECIMALS_KNOWN_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    amount: int
    decimals: int
    decimals_known: bool
    mint: bytes
    def __init__(self, mint: _Optional[bytes] = ..., amount: _Optional[int] = ..., decimals: _Optional[int] = ..., decimals_known: bool = ...) -> None: ...

class AttestRequest(_message.Message):
    __slots__ = ["nonce"]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    nonce: bytes
    def __init__(self, nonce: _Optional[bytes] = ...) -> None: ...

class AttestResponse(_message.Message):
    __slots__ = ["nitro_document", "report", "signature"]
    NITRO_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    nitro_document: bytes
    report: bytes
    signature: bytes
    def __init__(self, report: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., nitro_document: _Optional[bytes] = ...) -> None: ...

class ExecuteProposalRequest(_message.Message):
    __slots__ = ["recent_blockhash", "submit", "transaction_index"]
    RECENT_BLOCKHASH_FIELD_NUMBER: _ClassVar[int]
    SUBMIT_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    recent_blockhash: bytes
    submit: bool
    transaction_index: int
    def __init__(self, transaction_index: _Optional[int] = ..., submit: bool = ..., recent_blockhash: _Optional[bytes] = ...) -> None: ...

class ExecuteProposalResponse(_message.Message):
    __slots__ = ["ledger_sequence", "reasons", "signature", "signed_transaction", "submission"]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    ledger_sequence: int
    reasons: _containers.RepeatedCompositeFieldContainer[_rpc_pb2.Reason]
    signature: bytes
    signed_transaction: bytes
    submission: Submission
    def __init__(self, signed_transaction: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., ledger_sequence: _Optional[int] = ..., reasons: _Optional[_Iterable[_Union[_rpc_pb2.Reason, _Mapping]]] = ..., submission: _Optional[_Union[Submission, _Mapping]] = ...) -> None: ...

class FreezeRequest(_message.Message):
    __slots__ = ["reason"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...

class FreezeResponse(_message.Message):
    __slots__ = ["already_frozen", "freeze"]
    ALREADY_FROZEN_FIELD_NUMBER: _ClassVar[int]
    FREEZE_FIELD_NUMBER: _ClassVar[int]
    already_frozen: bool
    freeze: FreezeState
    def __init__(self, freeze: _Optional[_Union[FreezeState, _Mapping]] = ..., already_frozen: bool = ...) -> None: ...

class FreezeState(_message.Message):
    __slots__ = ["automatic", "ledger_sequence", "reason", "time_unix_ms"]
    AUTOMATIC_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TIME_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    automatic: bool
    ledger_sequence: int
    reason: str
    time_unix_ms: int
    def __init__(self, reason: _Optional[str] = ..., time_unix_ms: _Optional[int] = ..., ledger_sequence: _Optional[int] = ..., automatic: bool = ...) -> None: ...

class GetBalancesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetBalancesResponse(_message.Message):
    __slots__ = ["lamports", "slot", "tokens"]
    LAMPORTS_FIELD_NUMBER: _ClassVar[int]
    SLOT_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    lamports: int
    slot: int
    tokens: _containers.RepeatedCompositeFieldContainer[TokenBalance]
    def __init__(self, lamports: _Optional[int] = ..., tokens: _Optional[_Iterable[_Union[TokenBalance, _Mapping]]] = ..., slot: _Optional[int] = ...) -> None: ...

class GetPolicyRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetPolicyResponse(_message.Message):
    __slots__ = ["ledger_sequence", "policy", "policy_hash", "signatures", "version"]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    POLICY_HASH_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ledger_sequence: int
    policy: bytes
    policy_hash: bytes
    signatures: _containers.RepeatedCompositeFieldContainer[OwnerSignature]
    version: int
    def __init__(self, policy: _Optional[bytes] = ..., version: _Optional[int] = ..., policy_hash: _Optional[bytes] = ..., signatures: _Optional[_Iterable[_Union[OwnerSignature, _Mapping]]] = ..., ledger_sequence: _Optional[int] = ...) -> None: ...

class GetProposalRequest(_message.Message):
    __slots__ = ["transaction_index"]
    TRANSACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    transaction_index: int
    def __init__(self, transaction_index: _Optional[int] = ...) -> None: ...

class GetProposalResponse(_message.Message):
    __slots__ = ["approvals", "multisig", "proposal", "rejections", "status", "status_time_unix", "threshold", "time_lock_seconds", "transaction_index"]
    APPROVALS_FIELD_NUMBER: _ClassVar[int]
    MULTISIG_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_TIME_UNIX_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    TIME_LOCK_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    approvals: int
    multisig: bytes
    proposal: bytes
    rejections: int
    status: ProposalStatus
    status_time_unix: int
    threshold: int
    time_lock_seconds: int
    transaction_index: int
    def __init__(self, multisig: _Optional[bytes] = ..., transaction_index: _Optional[int] = ..., proposal: _Optional[bytes] = ..., status: _Optional[_Union[ProposalStatus, str]] = ..., approvals: _Optional[int] = ..., rejections: _Optional[int] = ..., threshold: _Optional[int] = ..., time_lock_seconds: _Optional[int] = ..., status_time_unix: _Optional[int] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ["agent_public_key", "budgets", "calls_in_flight", "connections", "freeze", "ledger_sequence", "multisig", "owner_public_keys", "owner_threshold", "platform", "policy_hash", "policy_version", "uptime_ms", "vault", "version"]
    AGENT_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    BUDGETS_FIELD_NUMBER: _ClassVar[int]
    CALLS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    FREEZE_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MULTISIG_FIELD_NUMBER: _ClassVar[int]
    OWNER_PUBLIC_KEYS_FIELD_NUMBER: _ClassVar[int]
    OWNER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    POLICY_HASH_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    UPTIME_MS_FIELD_NUMBER: _ClassVar[int]
    VAULT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    agent_public_key: bytes
    budgets: _containers.RepeatedCompositeFieldContainer[WindowBudget]
    calls_in_flight: int
    connections: int
    freeze: FreezeState
    ledger_sequence: int
    multisig: bytes
    owner_public_keys: _containers.RepeatedScalarFieldContainer[bytes]
    owner_threshold: int
    platform: str
    policy_hash: bytes
    policy_version: int
    uptime_ms: int
    vault: bytes
    version: str
    def __init__(self, version: _Optional[str] = ..., uptime_ms: _Optional[int] = ..., connections: _Optional[int] = ..., agent_public_key: _Optional[bytes] = ..., policy_version: _Optional[int] = ..., policy_hash: _Optional[bytes] = ..., ledger_sequence: _Optional[int] = ..., platform: _Optional[str] = ..., calls_in_flight: _Optional[int] = ..., owner_public_keys: _Optional[_Iterable[bytes]] = ..., owner_threshold: _Optional[int] = ..., multisig: _Optional[bytes] = ..., vault: _Optional[bytes] = ..., freeze: _Optional[_Union[FreezeState, _Mapping]] = ..., budgets: _Optional[_Iterable[_Union[WindowBudget, _Mapping]]] = ...) -> None: ...

class LookupTable(_message.Message):
    __slots__ = ["address", "addresses"]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    address: bytes
    addresses: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, address: _Optional[bytes] = ..., addresses: _Optional[_Iterable[bytes]] = ...) -> None: ...

class OwnerSignature(_message.Message):
    __slots__ = ["public_key", "signature"]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    public_key: bytes
    signature: bytes
    def __init__(self, public_key: _Optional[bytes] = ..., signature: _Optional[bytes] = ...) -> None: ...

class PayX402Request(_message.Message):
    __slots__ = ["client_reference", "dry_run", "requirements", "resource"]
    CLIENT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    client_reference: str
    dry_run: bool
    requirements: str
    resource: str
    def __init__(self, requirements: _Optional[str] = ..., resource: _Optional[str] = ..., client_reference: _Optional[str] = ..., dry_run: bool = ...) -> None: ...

class PayX402Response(_message.Message):
    __slots__ = ["amount", "header_name", "header_value", "mint", "network", "pay_to", "payload_json", "sign", "x402_version"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    HEADER_NAME_FIELD_NUMBER: _ClassVar[int]
    HEADER_VALUE_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    PAY_TO_FIELD_NUMBER: _ClassVar[int]
    SIGN_FIELD_NUMBER: _ClassVar[int]
    X402_VERSION_FIELD_NUMBER: _ClassVar[int]
    amount: int
    header_name: str
    header_value: str
    mint: bytes
    network: str
    pay_to: bytes
    payload_json: str
    sign: SignResponse
    x402_version: int
    def __init__(self, sign: _Optional[_Union[SignResponse, _Mapping]] = ..., x402_version: _Optional[int] = ..., header_name: _Optional[str] = ..., header_value: _Optional[str] = ..., payload_json: _Optional[str] = ..., network: _Optional[str] = ..., pay_to: _Optional[bytes] = ..., mint: _Optional[bytes] = ..., amount: _Optional[int] = ...) -> None: ...

class ProposeRequest(_message.Message):
    __slots__ = ["ephemeral_signers", "lookup_tables", "memo", "recent_blockhash", "spending_limit", "submit", "transaction", "vault_index"]
    EPHEMERAL_SIGNERS_FIELD_NUMBER: _ClassVar[int]
    LOOKUP_TABLES_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    RECENT_BLOCKHASH_FIELD_NUMBER: _ClassVar[int]
    SPENDING_LIMIT_FIELD_NUMBER: _ClassVar[int]
    SUBMIT_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    VAULT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ephemeral_signers: int
    lookup_tables: _containers.RepeatedCompositeFieldContainer[LookupTable]
    memo: str
    recent_blockhash: bytes
    spending_limit: SpendingLimitProposal
    submit: bool
    transaction: bytes
    vault_index: int
    def __init__(self, transaction: _Optional[bytes] = ..., lookup_tables: _Optional[_Iterable[_Union[LookupTable, _Mapping]]] = ..., vault_index: _Optional[int] = ..., submit: bool = ..., recent_blockhash: _Optional[bytes] = ..., memo: _Optional[str] = ..., ephemeral_signers: _Optional[int] = ..., spending_limit: _Optional[_Union[SpendingLimitProposal, _Mapping]] = ...) -> None: ...

class ProposeResponse(_message.Message):
    __slots__ = ["ledger_sequence", "multisig", "proposal", "reasons", "signature", "signed_transaction", "spending_limit", "submission", "submitted", "transaction_index", "vault", "vault_transaction"]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MULTISIG_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    SPENDING_LIMIT_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_INDEX_FIELD_NUMBER: _ClassVar[int]
    VAULT_FIELD_NUMBER: _ClassVar[int]
    VAULT_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    ledger_sequence: int
    multisig: bytes
    proposal: bytes
    reasons: _containers.RepeatedCompositeFieldContainer[_rpc_pb2.Reason]
    signature: bytes
    signed_transaction: bytes
    spending_limit: bytes
    submission: Submission
    submitted: bool
    transaction_index: int
    vault: bytes
    vault_transaction: bytes
    def __init__(self, multisig: _Optional[bytes] = ..., vault: _Optional[bytes] = ..., transaction_index: _Optional[int] = ..., vault_transaction: _Optional[bytes] = ..., proposal: _Optional[bytes] = ..., signed_transaction: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., submitted: bool = ..., ledger_sequence: _Optional[int] = ..., reasons: _Optional[_Iterable[_Union[_rpc_pb2.Reason, _Mapping]]] = ..., submission: _Optional[_Union[Submission, _Mapping]] = ..., spending_limit: _Optional[bytes] = ...) -> None: ...

class SetPolicyRequest(_message.Message):
    __slots__ = ["agent_public_key", "policy", "signatures", "version"]
    AGENT_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    agent_public_key: bytes
    policy: bytes
    signatures: _containers.RepeatedCompositeFieldContainer[OwnerSignature]
    version: int
    def __init__(self, policy: _Optional[bytes] = ..., version: _Optional[int] = ..., signatures: _Optional[_Iterable[_Union[OwnerSignature, _Mapping]]] = ..., agent_public_key: _Optional[bytes] = ...) -> None: ...

class SetPolicyResponse(_message.Message):
    __slots__ = ["ledger_sequence", "policy_hash", "version"]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    POLICY_HASH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ledger_sequence: int
    policy_hash: bytes
    version: int
    def __init__(self, version: _Optional[int] = ..., policy_hash: _Optional[bytes] = ..., ledger_sequence: _Optional[int] = ...) -> None: ...

class SignRequest(_message.Message):
    __slots__ = ["client_reference", "dry_run", "lookup_tables", "offchain_message", "submit", "transaction"]
    CLIENT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    LOOKUP_TABLES_FIELD_NUMBER: _ClassVar[int]
    OFFCHAIN_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SUBMIT_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    client_reference: str
    dry_run: bool
    lookup_tables: _containers.RepeatedCompositeFieldContainer[LookupTable]
    offchain_message: bytes
    submit: bool
    transaction: bytes
    def __init__(self, transaction: _Optional[bytes] = ..., offchain_message: _Optional[bytes] = ..., dry_run: bool = ..., lookup_tables: _Optional[_Iterable[_Union[LookupTable, _Mapping]]] = ..., client_reference: _Optional[str] = ..., submit: bool = ...) -> None: ...

class SignResponse(_message.Message):
    __slots__ = ["decision", "ledger_sequence", "max_fee_lamports", "outflows", "reasons", "replayed", "signature", "signed_transaction", "signer", "submission"]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MAX_FEE_LAMPORTS_FIELD_NUMBER: _ClassVar[int]
    OUTFLOWS_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    SIGNER_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    ledger_sequence: int
    max_fee_lamports: int
    outflows: _containers.RepeatedCompositeFieldContainer[AssetAmount]
    reasons: _containers.RepeatedCompositeFieldContainer[_rpc_pb2.Reason]
    replayed: bool
    signature: bytes
    signed_transaction: bytes
    signer: bytes
    submission: Submission
    def __init__(self, decision: _Optional[_Union[Decision, str]] = ..., signature: _Optional[bytes] = ..., signed_transaction: _Optional[bytes] = ..., ledger_sequence: _Optional[int] = ..., reasons: _Optional[_Iterable[_Union[_rpc_pb2.Reason, _Mapping]]] = ..., signer: _Optional[bytes] = ..., outflows: _Optional[_Iterable[_Union[AssetAmount, _Mapping]]] = ..., replayed: bool = ..., max_fee_lamports: _Optional[int] = ..., submission: _Optional[_Union[Submission, _Mapping]] = ...) -> None: ...

class SpendingLimitProposal(_message.Message):
    __slots__ = ["mint", "vault_index"]
    MINT_FIELD_NUMBER: _ClassVar[int]
    VAULT_INDEX_FIELD_NUMBER: _ClassVar[int]
    mint: bytes
    vault_index: int
    def __init__(self, mint: _Optional[bytes] = ..., vault_index: _Optional[int] = ...) -> None: ...

class Submission(_message.Message):
    __slots__ = ["error", "slot", "status"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SLOT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    error: str
    slot: int
    status: SubmissionStatus
    def __init__(self, status: _Optional[_Union[SubmissionStatus, str]] = ..., error: _Optional[str] = ..., slot: _Optional[int] = ...) -> None: ...

class TokenBalance(_message.Message):
    __slots__ = ["account", "amount", "decimals", "mint", "token_program"]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DECIMALS_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    TOKEN_PROGRAM_FIELD_NUMBER: _ClassVar[int]
    account: bytes
    amount: int
    decimals: int
    mint: bytes
    token_program: bytes
    def __init__(self, mint: _Optional[bytes] = ..., amount: _Optional[int] = ..., decimals: _Optional[int] = ..., token_program: _Optional[bytes] = ..., account: _Optional[bytes] = ...) -> None: ...

class TransferRequest(_message.Message):
    __slots__ = ["amount", "client_reference", "destination", "memo", "mint", "propose_if_approval_required"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    PROPOSE_IF_APPROVAL_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    amount: int
    client_reference: str
    destination: bytes
    memo: str
    mint: bytes
    propose_if_approval_required: bool
    def __init__(self, mint: _Optional[bytes] = ..., destination: _Optional[bytes] = ..., amount: _Optional[int] = ..., memo: _Optional[str] = ..., client_reference: _Optional[str] = ..., propose_if_approval_required: bool = ...) -> None: ...

class TransferResponse(_message.Message):
    __slots__ = ["proposal", "sign"]
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    SIGN_FIELD_NUMBER: _ClassVar[int]
    proposal: ProposeResponse
    sign: SignResponse
    def __init__(self, sign: _Optional[_Union[SignResponse, _Mapping]] = ..., proposal: _Optional[_Union[ProposeResponse, _Mapping]] = ...) -> None: ...

class UnfreezeRequest(_message.Message):
    __slots__ = ["agent_public_key", "freeze_sequence", "signatures"]
    AGENT_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    FREEZE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    agent_public_key: bytes
    freeze_sequence: int
    signatures: _containers.RepeatedCompositeFieldContainer[OwnerSignature]
    def __init__(self, freeze_sequence: _Optional[int] = ..., signatures: _Optional[_Iterable[_Union[OwnerSignature, _Mapping]]] = ..., agent_public_key: _Optional[bytes] = ...) -> None: ...

class UnfreezeResponse(_message.Message):
    __slots__ = ["ledger_sequence"]
    LEDGER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ledger_sequence: int
    def __init__(self, ledger_sequence: _Optional[int] = ...) -> None: ...

class WindowBudget(_message.Message):
    __slots__ = ["decimals", "limit", "mint", "remaining", "spent", "symbol", "window_seconds"]
    DECIMALS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    SPENT_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    decimals: int
    limit: int
    mint: bytes
    remaining: int
    spent: int
    symbol: str
    window_seconds: int
    def __init__(self, mint: _Optional[bytes] = ..., symbol: _Optional[str] = ..., decimals: _Optional[int] = ..., window_seconds: _Optional[int] = ..., limit: _Optional[int] = ..., spent: _Optional[int] = ..., remaining: _Optional[int] = ...) -> None: ...

class SubmissionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProposalStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
