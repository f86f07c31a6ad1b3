"""CONNECT tunnels: dial the checked address, then splice bytes both ways until one side ends or a limit.

The client side is the gateway's connection after its CONNECT head (``HTTP1Connection.detach``); the
partner side a TCP connection to the IP address that ``PinnedBackend.checked_address`` approved. The
name is resolved once, by bastion, and that literal is dialled, so a second DNS answer (rebinding) is
never used. Nothing in between is parsed or changed: no partner credential can be injected into a
tunnel and nothing that comes back is validated. Callers bring their own credentials, and TLS runs
end to end between caller and partner.

Both directions apply back-pressure: reading from one side pauses while the other side's write buffer
is full. A tunnel ends when either side closes (what the other side had sent is still delivered),
after ``idle_timeout`` without a byte in either direction, or ``max_duration`` after it opened;
``expiry`` decides, from clock readings alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from bastion.egress.errors import PartnerTimeout, PartnerUnreachable
from bastion.server.http1 import TunnelSink

HIGH_WATER = 256 * 1024
READ_SIZE = 64 * 1024


@dataclass(slots=True)
class TunnelStats:
    bytes_up: int = 0
    """Client → partner."""
    bytes_down: int = 0
    """Partner → client."""
    ended_by: str = ""
    """``client-closed``, ``partner-closed``, ``idle-timeout``, ``max-duration`` or ``cancelled``."""
    duration: float = 0.0


def expiry(now: float, opened: float, last_activity: float, idle: float, total: float) -> tuple[str | None, float]:
    """``(reason, 0)`` once a limit has passed; else ``(None, seconds before one could pass)``."""
    if now - opened >= total:
        return "max-duration", 0.0
    if now - last_activity >= idle:
        return "idle-timeout", 0.0
    return None, min(opened + total, last_activity + idle) - now


class ClientSide(Protocol):
    """What the tunnel needs of the client connection (``HTTP1Connection``)."""

    closed: bool

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...

    def detach(self, sink: TunnelSink) -> None: ...

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def close(self) -> None: ...


async def dial(address: str, port: int, timeout: float) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection to an IP literal; errors mapped to the egress tree (messages for the audit only)."""
    try:
        async with asyncio.timeout(timeout):
            return await asyncio.open_connection(address, port, limit=READ_SIZE)
    except TimeoutError:
        raise PartnerTimeout(f"connect to {address}:{port} timed out") from None
    except OSError as exc:
        raise PartnerUnreachable(f"connect to {address}:{port} failed: {type(exc).__name__}") from None


class _Inbox:
    """Bytes from the client, waiting for the partner side; reading pauses above ``HIGH_WATER``."""

    __slots__ = ("_chunks", "_client", "_ended", "_size", "_waiter")

    def __init__(self, client: ClientSide) -> None:
        self._client = client
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._ended = False
        self._waiter: asyncio.Future[None] | None = None

    def feed(self, data: bytes) -> None:
        self._chunks.append(data)
        self._size += len(data)
        if self._size > HIGH_WATER:
            self._client.pause_reading()
        self._wake()

    def lost(self) -> None:
        self._ended = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> bytes | None:
        """The next bytes, or ``None`` once the client has gone and everything it sent was taken."""
        while not self._chunks:
            if self._ended:
                return None
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        data = b"".join(self._chunks)
        self._chunks.clear()
        self._size = 0
        self._client.resume_reading()
        return data


class Tunnel:
    def __init__(self, client: ClientSide, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 idle_timeout: float, max_duration: float) -> None:
        self.client = client
        self.reader = reader
        self.writer = writer
        self.idle_timeout = idle_timeout
        self.max_duration = max_duration
        self.stats = TunnelStats()
        self._loop = asyncio.get_running_loop()
        self._opened = self._last = self._loop.time()

    async def run(self) -> TunnelStats:
        """Splice until the tunnel ends; both connections are closed on return."""
        inbox = _Inbox(self.client)
        self.client.detach(inbox)
        self.client.resume_reading()
        tasks = {self._loop.create_task(c) for c in (self._up(inbox), self._down(), self._watch())}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            self.stats.ended_by = next(iter(done)).result()
        except asyncio.CancelledError:
            self.stats.ended_by = "cancelled"
            raise
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.stats.duration = self._loop.time() - self._opened
            self.writer.close()
            self.client.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        return self.stats

    async def _up(self, inbox: _Inbox) -> str:
        while True:
            data = await inbox.get()
            if data is None:
                return "client-closed"
            self.stats.bytes_up += len(data)
            self._last = self._loop.time()
            try:
                self.writer.write(data)
                await self.writer.drain()
            except OSError:
                return "partner-closed"

    async def _down(self) -> str:
        while True:
            try:
                data = await self.reader.read(READ_SIZE)
            except OSError:
                return "partner-closed"
            if not data:
                return "partner-closed"
            self.stats.bytes_down += len(data)
            self._last = self._loop.time()
            self.client.write(data)
            await self.client.drain()
            if self.client.closed:
                return "client-closed"

    async def _watch(self) -> str:
        while True:
            reason, wait = expiry(self._loop.time(), self._opened, self._last, self.idle_timeout, self.max_duration)
            if reason is not None:
                return reason
            await asyncio.sleep(wait)
