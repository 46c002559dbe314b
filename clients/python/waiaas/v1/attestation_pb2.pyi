from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PLATFORM_NITRO: Platform
PLATFORM_SOFTWARE: Platform
PLATFORM_UNSPECIFIED: Platform

class AttestationReport(_message.Message):
    __slots__ = ["agent_public_key", "format_version", "ledger_head", "measurement", "multisig", "nonce", "owner_public_keys", "owner_threshold", "platform", "policy_hash", "policy_version", "time_unix_ms", "vault"]
    AGENT_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    LEDGER_HEAD_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_FIELD_NUMBER: _ClassVar[int]
    MULTISIG_FIELD_NUMBER: _ClassVar[int]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    OWNER_PUBLIC_KEYS_FIELD_NUMBER: _ClassVar[int]
    OWNER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    POLICY_HASH_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    TIME_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    VAULT_FIELD_NUMBER: _ClassVar[int]
    agent_public_key: bytes
    format_version: int
    ledger_head: LedgerHead
    measurement: CodeMeasurement
    multisig: bytes
    nonce: bytes
    owner_public_keys: _containers.RepeatedScalarFieldContainer[bytes]
    owner_threshold: int
    platform: Platform
    policy_hash: bytes
    policy_version: int
    time_unix_ms: int
    vault: bytes
    def __init__(self, format_version: _Optional[int] = ..., agent_public_key: _Optional[bytes] = ..., owner_public_keys: _Optional[_Iterable[bytes]] = ..., owner_threshold: _Optional[int] = ..., multisig: _Optional[bytes] = ..., vault: _Optional[bytes] = ..., policy_hash: _Optional[bytes] = ..., policy_version: _Optional[int] = ..., ledger_head: _Optional[_Union[LedgerHead, _Mapping]] = ..., measurement: _Optional[_Union[CodeMeasurement, _Mapping]] = ..., platform: _Optional[_Union[Platform, str]] = ..., nonce: _Optional[bytes] = ..., time_unix_ms: _Optional[int] = ...) -> None: ...

class CodeMeasurement(_message.Message):
    __slots__ = ["configuration_sha384", "executable_sha384"]
    CONFIGURATION_SHA384_FIELD_NUMBER: _ClassVar[int]
    EXECUTABLE_SHA384_FIELD_NUMBER: _ClassVar[int]
    configuration_sha384: bytes
    executable_sha384: bytes
    def __init__(self, executable_sha384: _Optional[bytes] = ..., configuration_sha384: _Optional[bytes] = ...) -> None: ...

class LedgerHead(_message.Message):
    __slots__ = ["hash", "sequence"]
    HASH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    hash: bytes
    sequence: int
    def __init__(self, sequence: _Optional[int] = ..., hash: _Optional[bytes] = ...) -> None: ...

class Platform(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
