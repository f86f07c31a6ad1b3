"""The scanner's own loopback listener: SSRF payloads point here, and a hit proves the server fetched.

It binds 127.0.0.1 on an ephemeral port, answers every request with a short 200, and remembers the
request paths. It never connects anywhere.
"""

from __future__ import annotations

import asyncio


class Canary:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self._server: asyncio.Server | None = None
        self._event = asyncio.Event()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=5)
            parts = line.decode("latin-1").split()
            if len(parts) >= 2:
                self.paths.append(parts[1][:200])
                self._event.set()
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n"
                         b"connection: close\r\n\r\nok")
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    async def hits(self, token: str, wait: float) -> tuple[str, ...]:
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            found = tuple(p for p in self.paths if token in p)
            remaining = deadline - asyncio.get_running_loop().time()
            if found or remaining <= 0:
                return found
            self._event.clear()
            try:
                await asyncio.wait_for(self._event.wait(), timeout=remaining)
            except TimeoutError:
                pass
