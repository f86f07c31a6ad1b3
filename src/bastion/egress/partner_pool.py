"""A partner's connections: one keep-alive pool per origin, on the gateway's upstream pool
(``proxy.upstream``: asyncio protocols + httptools), every new connection opened by the pinned
connector (``PinnedBackend.connect``: allow-list, checked and pinned address, verified TLS, SPKI pins).

The pool's own retry and circuit breaker are off (``PartnerClient`` decides retries per method); its
connections bound what a third party can make the gateway hold (``PartnerConnection``).
"""

from __future__ import annotations

from bastion.egress.connector import PinnedBackend
from bastion.proxy.upstream import PoolSettings, UpstreamConnection, UpstreamPool

KEEPALIVE = 4.0
"""Seconds an idle partner connection is reused: below the 5 s keep-alive of common servers (uvicorn,
Node.js), so a request is never written into a connection the partner is closing. Over TLS that race
can leave the request unanswered until the total timeout instead of failing at once."""
MAX_HEAD_BYTES = 16 * 1024
"""Bytes of a partner's response head (status line, headers, interim 1xx answers), as h11 allowed."""
NO_BREAKER = 1 << 62
"""``breaker_failures`` for partner pools: partner calls have no circuit breaker."""


class PartnerConnection(UpstreamConnection):
    """An upstream connection for a third party. Its response head may not exceed ``MAX_HEAD_BYTES`` and
    at most about ``proxy.upstream.BODY_BUFFER`` of its body waits unread, as on every upstream connection
    (the call's ``max_bytes`` bounds the rest). A body that runs to the end of the connection is accepted as
    the gateway's pool accepts it (a truncated JSON answer then fails validation), as h11, the previous
    client's parser, did."""

    head_limit = MAX_HEAD_BYTES


class OriginPool(UpstreamPool):
    """The keep-alive pool of one origin. Every new connection is opened by the pinned connector; once
    retired (TLS context replaced, client closed) it keeps no connection: each closes when its call ends."""

    def __init__(self, settings: PoolSettings, backend: PinnedBackend) -> None:
        super().__init__(settings)
        self.backend = backend
        self.retired = False

    async def _connect(self, deadline: float | None = None) -> UpstreamConnection:
        s = self.settings
        assert s.ssl is not None  # partner pools are always TLS
        return await self.backend.connect(s.host, s.port, s.ssl, lambda: PartnerConnection(self),
                                          self.connect_timeout(deadline))

    def retire(self) -> None:
        self.retired = True
        self.settings.max_idle = 0  # connections still in use close when their call ends (put_idle aborts them)
        self.close()

    @property
    def idle(self) -> int:
        """Connections waiting for reuse."""
        return len(self._idle)
