from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
UNLISTED_PROGRAM_ACTION_APPROVAL: UnlistedProgramAction
UNLISTED_PROGRAM_ACTION_DENY: UnlistedProgramAction

class ActiveHours(_message.Message):
    __slots__ = ["end_minute", "start_minute", "time_zone", "weekdays"]
    END_MINUTE_FIELD_NUMBER: _ClassVar[int]
    START_MINUTE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_FIELD_NUMBER: _ClassVar[int]
    end_minute: int
    start_minute: int
    time_zone: str
    weekdays: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, time_zone: _Optional[str] = ..., weekdays: _Optional[_Iterable[int]] = ..., start_minute: _Optional[int] = ..., end_minute: _Optional[int] = ...) -> None: ...

class Amount(_message.Message):
    __slots__ = ["value"]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: int
    def __init__(self, value: _Optional[int] = ...) -> None: ...

class AssetRule(_message.Message):
    __slots__ = ["approval_threshold", "decimals", "mint", "per_transaction", "symbol", "windows"]
    APPROVAL_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    DECIMALS_FIELD_NUMBER: _ClassVar[int]
    MINT_FIELD_NUMBER: _ClassVar[int]
    PER_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    approval_threshold: Amount
    decimals: int
    mint: bytes
    per_transaction: Amount
    symbol: str
    windows: _containers.RepeatedCompositeFieldContainer[WindowLimit]
    def __init__(self, mint: _Optional[bytes] = ..., symbol: _Optional[str] = ..., decimals: _Optional[int] = ..., per_transaction: _Optional[_Union[Amount, _Mapping]] = ..., windows: _Optional[_Iterable[_Union[WindowLimit, _Mapping]]] = ..., approval_threshold: _Optional[_Union[Amount, _Mapping]] = ...) -> None: ...

class ControlRule(_message.Message):
    __slots__ = ["allow_allocate", "allow_assign", "allow_close_to_foreign", "allow_instructions", "allow_nonce_authority_change", "allow_set_authority", "allow_token_approve"]
    ALLOW_ALLOCATE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_ASSIGN_FIELD_NUMBER: _ClassVar[int]
    ALLOW_CLOSE_TO_FOREIGN_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_NONCE_AUTHORITY_CHANGE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_SET_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    ALLOW_TOKEN_APPROVE_FIELD_NUMBER: _ClassVar[int]
    allow_allocate: bool
    allow_assign: bool
    allow_close_to_foreign: bool
    allow_instructions: _containers.RepeatedScalarFieldContainer[str]
    allow_nonce_authority_change: bool
    allow_set_authority: bool
    allow_token_approve: bool
    def __init__(self, allow_assign: bool = ..., allow_allocate: bool = ..., allow_token_approve: bool = ..., allow_set_authority: bool = ..., allow_close_to_foreign: bool = ..., allow_nonce_authority_change: bool = ..., allow_instructions: _Optional[_Iterable[str]] = ...) -> None: ...

class DestinationRule(_message.Message):
    __slots__ = ["allow", "deny"]
    ALLOW_FIELD_NUMBER: _ClassVar[int]
    DENY_FIELD_NUMBER: _ClassVar[int]
    allow: _containers.RepeatedScalarFieldContainer[bytes]
    deny: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, allow: _Optional[_Iterable[bytes]] = ..., deny: _Optional[_Iterable[bytes]] = ...) -> None: ...

class FreezeAfter(_message.Message):
    __slots__ = ["denials", "seconds"]
    DENIALS_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    denials: int
    seconds: int
    def __init__(self, denials: _Optional[int] = ..., seconds: _Optional[int] = ...) -> None: ...

class OffchainRule(_message.Message):
    __slots__ = ["allowed", "allowed_domains", "allowed_prefixes"]
    ALLOWED_DOMAINS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_PREFIXES_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    allowed_domains: _containers.RepeatedScalarFieldContainer[bytes]
    allowed_prefixes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, allowed: bool = ..., allowed_prefixes: _Optional[_Iterable[str]] = ..., allowed_domains: _Optional[_Iterable[bytes]] = ...) -> None: ...

class Policy(_message.Message):
    __slots__ = ["active_hours", "allow_durable_nonce", "assets", "control", "destinations", "format", "freeze_after", "max_fee_lamports", "name", "offchain", "programs", "propose", "rate_limits", "simulate", "validity", "x402"]
    ACTIVE_HOURS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DURABLE_NONCE_FIELD_NUMBER: _ClassVar[int]
    ASSETS_FIELD_NUMBER: _ClassVar[int]
    CONTROL_FIELD_NUMBER: _ClassVar[int]
    DESTINATIONS_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    FREEZE_AFTER_FIELD_NUMBER: _ClassVar[int]
    MAX_FEE_LAMPORTS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFCHAIN_FIELD_NUMBER: _ClassVar[int]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    PROPOSE_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITS_FIELD_NUMBER: _ClassVar[int]
    SIMULATE_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_FIELD_NUMBER: _ClassVar[int]
    X402_FIELD_NUMBER: _ClassVar[int]
    active_hours: _containers.RepeatedCompositeFieldContainer[ActiveHours]
    allow_durable_nonce: bool
    assets: _containers.RepeatedCompositeFieldContainer[AssetRule]
    control: ControlRule
    destinations: DestinationRule
    format: int
    freeze_after: FreezeAfter
    max_fee_lamports: Amount
    name: str
    offchain: OffchainRule
    programs: ProgramRule
    propose: ProposeRule
    rate_limits: _containers.RepeatedCompositeFieldContainer[RateLimit]
    simulate: bool
    validity: Validity
    x402: X402Rule
    def __init__(self, format: _Optional[int] = ..., name: _Optional[str] = ..., assets: _Optional[_Iterable[_Union[AssetRule, _Mapping]]] = ..., programs: _Optional[_Union[ProgramRule, _Mapping]] = ..., control: _Optional[_Union[ControlRule, _Mapping]] = ..., allow_durable_nonce: bool = ..., offchain: _Optional[_Union[OffchainRule, _Mapping]] = ..., max_fee_lamports: _Optional[_Union[Amount, _Mapping]] = ..., rate_limits: _Optional[_Iterable[_Union[RateLimit, _Mapping]]] = ..., validity: _Optional[_Union[Validity, _Mapping]] = ..., active_hours: _Optional[_Iterable[_Union[ActiveHours, _Mapping]]] = ..., destinations: _Optional[_Union[DestinationRule, _Mapping]] = ..., simulate: bool = ..., propose: _Optional[_Union[ProposeRule, _Mapping]] = ..., x402: _Optional[_Union[X402Rule, _Mapping]] = ..., freeze_after: _Optional[_Union[FreezeAfter, _Mapping]] = ...) -> None: ...

class ProgramRule(_message.Message):
    __slots__ = ["allowed", "include_defaults", "unlisted"]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DEFAULTS_FIELD_NUMBER: _ClassVar[int]
    UNLISTED_FIELD_NUMBER: _ClassVar[int]
    allowed: _containers.RepeatedScalarFieldContainer[bytes]
    include_defaults: bool
    unlisted: UnlistedProgramAction
    def __init__(self, allowed: _Optional[_Iterable[bytes]] = ..., include_defaults: bool = ..., unlisted: _Optional[_Union[UnlistedProgramAction, str]] = ...) -> None: ...

class ProposalRate(_message.Message):
    __slots__ = ["max_proposals", "seconds"]
    MAX_PROPOSALS_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    max_proposals: int
    seconds: int
    def __init__(self, seconds: _Optional[int] = ..., max_proposals: _Optional[int] = ...) -> None: ...

class ProposeRule(_message.Message):
    __slots__ = ["max_lamports", "programs", "rate"]
    MAX_LAMPORTS_FIELD_NUMBER: _ClassVar[int]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    max_lamports: Amount
    programs: ProgramRule
    rate: ProposalRate
    def __init__(self, rate: _Optional[_Union[ProposalRate, _Mapping]] = ..., programs: _Optional[_Union[ProgramRule, _Mapping]] = ..., max_lamports: _Optional[_Union[Amount, _Mapping]] = ...) -> None: ...

class RateLimit(_message.Message):
    __slots__ = ["max_signatures", "seconds"]
    MAX_SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    max_signatures: int
    seconds: int
    def __init__(self, seconds: _Optional[int] = ..., max_signatures: _Optional[int] = ...) -> None: ...

class Validity(_message.Message):
    __slots__ = ["not_after", "not_before"]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    not_after: int
    not_before: int
    def __init__(self, not_before: _Optional[int] = ..., not_after: _Optional[int] = ...) -> None: ...

class WindowLimit(_message.Message):
    __slots__ = ["amount", "seconds"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    amount: int
    seconds: int
    def __init__(self, seconds: _Optional[int] = ..., amount: _Optional[int] = ...) -> None: ...

class X402Rule(_message.Message):
    __slots__ = ["max_per_payment", "origins", "pay_to"]
    MAX_PER_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    ORIGINS_FIELD_NUMBER: _ClassVar[int]
    PAY_TO_FIELD_NUMBER: _ClassVar[int]
    max_per_payment: str
    origins: _containers.RepeatedScalarFieldContainer[str]
    pay_to: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, pay_to: _Optional[_Iterable[bytes]] = ..., origins: _Optional[_Iterable[str]] = ..., max_per_payment: _Optional[str] = ...) -> None: ...

class UnlistedProgramAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
