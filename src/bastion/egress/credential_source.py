"""Where partner credentials come from: the secret store (versioned) or ``${env:}``/``${file:}``.

Values are read lazily and kept for ``ttl`` seconds so the hot path does no database round trip;
``refresh`` forgets the cached answer (after a partner says 401, to pick up a rotation at once).
Versions are labelled ``NAME@vN`` for the audit record; env and file references are labelled by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bastion.clock import SYSTEM_CLOCK, Clock
from bastion.egress.errors import CredentialUnavailable
from bastion.errors import SecretError
from bastion.secrets.references import Secret, parse_reference, resolve_reference
from bastion.secrets.store import SecretStore


@dataclass(frozen=True, slots=True)
class Versioned:
    version: str
    """``NAME@vN``, ``env:NAME`` or ``file`` — safe to log and audit."""
    value: Secret


class CredentialSource:
    def __init__(self, store: SecretStore | None = None, *, clock: Clock = SYSTEM_CLOCK, ttl: float = 5.0,
                 base_dir: Path | None = None) -> None:
        self.store = store
        self.clock = clock
        self.ttl = ttl
        self.base_dir = base_dir
        self._cache: dict[str, tuple[float, list[Versioned]]] = {}

    async def versions(self, ref: str) -> list[Versioned]:
        """Usable versions, newest first (older ones only while their rotation overlap lasts)."""
        now = self.clock.monotonic()
        hit = self._cache.get(ref)
        if hit is not None and now < hit[0]:
            return hit[1]
        found = await self._load(ref)
        self._cache[ref] = (now + self.ttl, found)
        return found

    async def current(self, ref: str) -> Versioned:
        return (await self.versions(ref))[0]

    def refresh(self, ref: str) -> None:
        self._cache.pop(ref, None)

    async def _load(self, ref: str) -> list[Versioned]:
        parsed = parse_reference(ref)
        if parsed is None:
            raise CredentialUnavailable("credential is not a reference")
        kind, target = parsed
        try:
            if kind == "secret":
                if self.store is None:
                    raise CredentialUnavailable(f"${{secret:{target}}} used but no secret store is configured")
                found = [Versioned(f"{target}@v{v.meta.version}", v.value) for v in await self.store.usable(target)]
                if not found:
                    raise CredentialUnavailable(f"secret {target!r} has no usable version")
                return found
            value = resolve_reference(ref, base_dir=self.base_dir)
        except SecretError as exc:
            raise CredentialUnavailable(str(exc)) from None
        return [Versioned(f"env:{target}" if kind == "env" else "file", Secret(value))]
