"""A request body arriving from the client: buffered up to a high-water mark, with flow control."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable


class BodyError(Exception):
    status = 400


class BodyTooLarge(BodyError):
    status = 413


class BodyTimeout(BodyError):
    status = 408


class ClientGone(BodyError):
    status = 499


class MalformedBody(BodyError):
    status = 400


HIGH_WATER = 256 * 1024


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(BodyTimeout("request body timed out"))


class BodyStream:
    __slots__ = ("_chunks", "_error", "_pause", "_resume", "_size", "_timeout", "_waiter", "complete", "received")

    def __init__(self, timeout: float, pause: Callable[[], None], resume: Callable[[], None]) -> None:
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._waiter: asyncio.Future[None] | None = None
        self._error: BodyError | None = None
        self._timeout = timeout
        self._pause = pause
        self._resume = resume
        self.complete = False
        self.received = 0

    # -- producer side (the connection) --
    def feed(self, data: bytes) -> None:
        self._chunks.append(data)
        self._size += len(data)
        self.received += len(data)
        if self._size > HIGH_WATER:
            self._pause()
        self._wake()

    def finish(self) -> None:
        self.complete = True
        self._wake()

    def fail(self, error: BodyError) -> None:
        if not self.complete:
            self._error = error
            self._wake()

    def _wake(self) -> None:
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)

    # -- consumer side (the handler) --
    async def _wait(self) -> None:
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(self._timeout, _expire, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None

    async def read_all(self, limit: int) -> bytes:
        while not self.complete:
            if self._error is not None:
                raise self._error
            if self.received > limit:
                raise BodyTooLarge("request body too large")
            if self._size > HIGH_WATER // 2:
                self._resume()
            await self._wait()
        return self._take(limit)

    async def read_upto(self, threshold: int, limit: int) -> bytes:
        """Wait until the body is complete or more than ``threshold`` bytes are buffered; take them."""
        while not self.complete and self._size <= threshold:
            if self._error is not None:
                raise self._error
            await self._wait()
        return self._take(limit)

    def _take(self, limit: int) -> bytes:
        """Everything buffered so far, after checking for errors and the size limit."""
        if self._error is not None:
            raise self._error
        if self.received > limit:
            raise BodyTooLarge("request body too large")
        data = b"".join(self._chunks)
        self._chunks.clear()
        self._size = 0
        self._resume()
        return data

    async def iter_chunks(self, limit: int, first: bytes = b"") -> AsyncIterator[bytes]:
        if first:
            yield first
        while True:
            if self._chunks:
                yield self._take(limit)
                continue
            if self._error is not None:
                raise self._error
            if self.complete:
                return
            await self._wait()
