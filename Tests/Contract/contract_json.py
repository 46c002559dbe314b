"""The JSON convention of golden.json, for Python (make_golden.py and the pytest runner).

Field values are keyed by proto field name: bytes as lower-case hex strings,
64-bit integers as decimal strings, 32-bit integers and enums as numbers,
bools, strings, nested messages as objects, repeated fields as arrays, maps as
objects; a field at its default is left out, a oneof member is present only
when set.
"""
from __future__ import annotations

from typing import Any, Dict

from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message import Message

_INT64 = {FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_SINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64}


def _is_map(fd: FD) -> bool:
    return fd.message_type is not None and fd.message_type.GetOptions().map_entry


def _is_repeated(fd: FD) -> bool:
    repeated = getattr(fd, "is_repeated", None)  # protobuf >= 6; `label` before
    if repeated is not None:
        return bool(repeated)
    return bool(fd.label == FD.LABEL_REPEATED)


def _scalar_to(fd: FD, v: Any) -> Any:
    if fd.type == FD.TYPE_BYTES:
        return v.hex()
    if fd.type in _INT64:
        return str(v)
    return v


def _scalar_from(fd: FD, v: Any) -> Any:
    if fd.type == FD.TYPE_BYTES:
        return bytes.fromhex(v)
    if fd.type in _INT64:
        return int(v)
    return v


def to_json(msg: Message) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for fd, value in msg.ListFields():  # set fields only, in number order
        if _is_map(fd):
            vfd = fd.message_type.fields_by_name["value"]
            out[fd.name] = {str(k): (to_json(v) if vfd.message_type else _scalar_to(vfd, v)) for k, v in value.items()}
        elif _is_repeated(fd):
            out[fd.name] = [to_json(v) if fd.message_type else _scalar_to(fd, v) for v in value]
        elif fd.message_type is not None:
            out[fd.name] = to_json(value)
        else:
            out[fd.name] = _scalar_to(fd, value)
    return out


def from_json(cls: Any, fields: Dict[str, Any]) -> Message:
    msg = cls()
    fill(msg, fields)
    return msg


def fill(msg: Message, fields: Dict[str, Any]) -> None:
    for name, v in fields.items():
        fd = msg.DESCRIPTOR.fields_by_name[name]
        if _is_map(fd):
            vfd = fd.message_type.fields_by_name["value"]
            target = getattr(msg, name)
            for k, x in v.items():
                if vfd.message_type:
                    fill(target[k], x)
                else:
                    target[k] = _scalar_from(vfd, x)
        elif _is_repeated(fd):
            target = getattr(msg, name)
            for x in v:
                if fd.message_type:
                    fill(target.add(), x)
                else:
                    target.append(_scalar_from(fd, x))
        elif fd.message_type is not None:
            sub = getattr(msg, name)
            sub.SetInParent()
            fill(sub, v)
        else:
            setattr(msg, name, _scalar_from(fd, v))
