"""Framing, call multiplexing and deadlines over the daemon's Unix socket.

Each frame is a 4-byte big-endian length and a serialized Envelope. A
client picks a fresh call id per call; answers echo it and may arrive in
any order. Call id 0 from the server is a connection-level error, after
which the server closes the connection.
"""
from __future__ import annotations

import asyncio
import enum
import itertools
import math
import socket
import struct
import threading
from typing import Any, Dict, List, Mapping, Optional, Sequence, Type, TypeVar, Union

from google.protobuf.message import Message

from __WAIAAS_ENVELOPE_PACKAGE__ import __WAIAAS_ENVELOPE_MODULE__ as _rpc_pb2

#: The largest answer frame this client accepts (the daemon's default maximum).
MAX_FRAME_BYTES = 262144
#: The daemon caps call deadlines at 300 s.
MAX_TIMEOUT_MS = 300000


class StatusCode(enum.IntEnum):
    """gRPC's status codes, as the daemon uses them (docs/PROTOCOL.md)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class WaiaasError(Exception):
    """A call that did not succeed: the daemon's status, or one this client made up
    (DEADLINE_EXCEEDED when its own timer fired, UNAVAILABLE when the connection is gone)."""

    def __init__(
        self,
        code: int,
        message: str,
        reasons: Sequence[_rpc_pb2.Reason] = (),
        *,
        method: str = "",
        client_side: bool = False,
    ) -> None:
        self.code = int(code)
        self.message = message
        self.reasons: List[_rpc_pb2.Reason] = list(reasons)
        self.method = method
        self.client_side = client_side
        super().__init__(self.__str__())

    @property
    def code_name(self) -> str:
        try:
            return StatusCode(self.code).name
        except ValueError:
            return f"CODE_{self.code}"

    def __str__(self) -> str:
        text = f"{self.code_name}: {self.message}"
        if self.reasons:
            text += " [" + "; ".join(f"{r.code}: {r.message}" for r in self.reasons) + "]"
        return text

    def __repr__(self) -> str:
        return f"WaiaasError({self.code}, {self.message!r}, reasons={[r.code for r in self.reasons]!r})"


M = TypeVar("M", bound=Message)


def _coerce(cls: Type[M], value: Union[M, Mapping[str, Any], None]) -> M:
    """The request message itself, or one built from a dict of its fields."""
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls(**value)
    raise TypeError(f"expected {cls.__name__} or a dict of its fields, got {type(value).__name__}")


def _timeout_ms(timeout: Optional[float]) -> int:
    if timeout is None:
        return 0
    return max(1, min(MAX_TIMEOUT_MS, math.ceil(timeout * 1000)))


def _request_frame(call_id: int, method: str, payload: bytes, timeout: Optional[float],
                   metadata: Optional[Mapping[str, str]]) -> bytes:
    env = _rpc_pb2.Envelope(call_id=call_id, method=method, payload=payload,
                            timeout_ms=_timeout_ms(timeout))
    if metadata:
        env.metadata.update(metadata)
    body = env.SerializeToString()
    return struct.pack(">I", len(body)) + body


def _answer(env: _rpc_pb2.Envelope, method: str) -> Union[bytes, WaiaasError]:
    if env.HasField("status") and env.status.code != 0:
        return WaiaasError(env.status.code, env.status.message, env.status.reasons, method=method)
    return env.payload


def _parse_frame(body: bytes) -> _rpc_pb2.Envelope:
    env = _rpc_pb2.Envelope()
    env.ParseFromString(body)
    return env


class _Slot:
    __slots__ = ("event", "result", "method")

    def __init__(self, method: str) -> None:
        self.event = threading.Event()
        self.result: Union[bytes, WaiaasError, None] = None
        self.method = method


class _Connection:
    """One socket shared by many threads; a reader thread routes answers by call id."""

    def __init__(self, path: str) -> None:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._sock.connect(path)
        except OSError as e:
            self._sock.close()
            raise WaiaasError(StatusCode.UNAVAILABLE, f"cannot connect to {path}: {e}", client_side=True) from e
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._pending: Dict[int, _Slot] = {}
        self._ids = itertools.count(1)
        self._failure: Optional[WaiaasError] = None
        self._reader = threading.Thread(target=self._read_loop, name="waiaas-reader", daemon=True)
        self._reader.start()

    def _recv_exactly(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self._sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("the daemon closed the connection")
            buf += chunk
        return bytes(buf)

    def _read_loop(self) -> None:
        failure: WaiaasError
        try:
            while True:
                (length,) = struct.unpack(">I", self._recv_exactly(4))
                if length == 0 or length > MAX_FRAME_BYTES:
                    raise ConnectionError(f"answer frame of {length} bytes is out of bounds")
                env = _parse_frame(self._recv_exactly(length))
                if env.call_id == 0:
                    failure = WaiaasError(env.status.code, env.status.message, env.status.reasons,
                                          client_side=False)
                    break
                with self._lock:
                    slot = self._pending.pop(env.call_id, None)
                if slot is not None:
                    slot.result = _answer(env, slot.method)
                    slot.event.set()
        except Exception as e:  # the connection is gone: fail every call in flight
            failure = WaiaasError(StatusCode.UNAVAILABLE, f"connection lost: {e}", client_side=True)
        self._fail_all(failure)

    def _fail_all(self, failure: WaiaasError) -> None:
        with self._lock:
            if self._failure is None:
                self._failure = failure
            slots = list(self._pending.values())
            self._pending.clear()
        for slot in slots:
            slot.result = WaiaasError(failure.code, failure.message, failure.reasons,
                                      method=slot.method, client_side=failure.client_side)
            slot.event.set()
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def call(self, method: str, payload: bytes, timeout: Optional[float],
             metadata: Optional[Mapping[str, str]]) -> bytes:
        slot = _Slot(method)
        with self._lock:
            if self._failure is not None:
                f = self._failure
                raise WaiaasError(f.code, f.message, f.reasons, method=method, client_side=f.client_side)
            call_id = next(self._ids)
            self._pending[call_id] = slot
        frame = _request_frame(call_id, method, payload, timeout, metadata)
        try:
            with self._send_lock:
                self._sock.sendall(frame)
        except OSError as e:
            with self._lock:
                self._pending.pop(call_id, None)
            raise WaiaasError(StatusCode.UNAVAILABLE, f"send failed: {e}", method=method,
                              client_side=True) from e
        if not slot.event.wait(timeout):
            with self._lock:
                self._pending.pop(call_id, None)
            if not slot.event.is_set():
                raise WaiaasError(StatusCode.DEADLINE_EXCEEDED,
                                  f"no answer within {timeout} s (client-side deadline)",
                                  method=method, client_side=True)
        result = slot.result
        if isinstance(result, WaiaasError):
            raise result
        assert result is not None
        return result

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._reader.join(timeout=5)
        self._sock.close()


class _AsyncConnection:
    """One socket shared by many tasks; a reader task routes answers by call id."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self._task: Optional[asyncio.Task[None]] = None
        self._pending: Dict[int, asyncio.Future[Union[bytes, WaiaasError]]] = {}
        self._methods: Dict[int, str] = {}
        self._ids = itertools.count(1)
        self._failure: Optional[WaiaasError] = None
        self._connect_lock: Optional[asyncio.Lock] = None
        self._write_lock: Optional[asyncio.Lock] = None

    async def connect(self) -> None:
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
            self._write_lock = asyncio.Lock()
        async with self._connect_lock:
            if self._writer is not None:
                return
            try:
                self._reader, self._writer = await asyncio.open_unix_connection(self._path)
            except OSError as e:
                raise WaiaasError(StatusCode.UNAVAILABLE, f"cannot connect to {self._path}: {e}",
                                  client_side=True) from e
            self._task = asyncio.get_running_loop().create_task(self._read_loop())

    async def _read_loop(self) -> None:
        assert self._reader is not None
        failure: WaiaasError
        try:
            while True:
                (length,) = struct.unpack(">I", await self._reader.readexactly(4))
                if length == 0 or length > MAX_FRAME_BYTES:
                    raise ConnectionError(f"answer frame of {length} bytes is out of bounds")
                env = _parse_frame(await self._reader.readexactly(length))
                if env.call_id == 0:
                    failure = WaiaasError(env.status.code, env.status.message, env.status.reasons)
                    break
                fut = self._pending.pop(env.call_id, None)
                method = self._methods.pop(env.call_id, "")
                if fut is not None and not fut.done():
                    fut.set_result(_answer(env, method))
        except asyncio.CancelledError:
            failure = WaiaasError(StatusCode.UNAVAILABLE, "client closed", client_side=True)
        except Exception as e:
            failure = WaiaasError(StatusCode.UNAVAILABLE, f"connection lost: {e}", client_side=True)
        if self._failure is None:
            self._failure = failure
        pending, self._pending = self._pending, {}
        for call_id, fut in pending.items():
            if not fut.done():
                fut.set_result(WaiaasError(failure.code, failure.message, failure.reasons,
                                           method=self._methods.get(call_id, ""),
                                           client_side=failure.client_side))
        self._methods.clear()

    async def call(self, method: str, payload: bytes, timeout: Optional[float],
                   metadata: Optional[Mapping[str, str]]) -> bytes:
        await self.connect()
        if self._failure is not None:
            f = self._failure
            raise WaiaasError(f.code, f.message, f.reasons, method=method, client_side=f.client_side)
        assert self._writer is not None and self._write_lock is not None
        call_id = next(self._ids)
        fut: asyncio.Future[Union[bytes, WaiaasError]] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = fut
        self._methods[call_id] = method
        try:
            async with self._write_lock:
                self._writer.write(_request_frame(call_id, method, payload, timeout, metadata))
                await self._writer.drain()
            result = await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            raise WaiaasError(StatusCode.DEADLINE_EXCEEDED,
                              f"no answer within {timeout} s (client-side deadline)",
                              method=method, client_side=True) from None
        except OSError as e:
            raise WaiaasError(StatusCode.UNAVAILABLE, f"send failed: {e}", method=method,
                              client_side=True) from e
        finally:
            self._pending.pop(call_id, None)
            self._methods.pop(call_id, None)
        if isinstance(result, WaiaasError):
            raise result
        return result

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except OSError:
                pass
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
