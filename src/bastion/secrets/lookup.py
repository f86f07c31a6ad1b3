"""``${secret:NAME}`` resolution for synchronous callers (the config loader).

Configuration is loaded synchronously, possibly while an event loop is already running (``bastion
serve`` inside ``anyio.run``). ``secret_lookup`` therefore reads the store on a short-lived worker
thread with its own event loop, which works from either context, and returns a plain
``name -> value`` function for ``resolve_reference(..., secret_lookup=...)``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bastion.secrets.config import SecretsSection, open_store
from bastion.secrets.references import SecretLookup


def read_secret_values(
    section: SecretsSection, names: list[str], base_dir: Path | None = None
) -> dict[str, str]:
    """Current values of ``names`` (raises ``SecretNotFound`` for a missing one)."""

    async def fetch() -> dict[str, str]:
        store = await open_store(section, base_dir=base_dir)
        try:
            return {n: (await store.get(n)).value.reveal() for n in names}
        finally:
            await store.backend.driver.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-secrets") as pool:
        return pool.submit(asyncio.run, fetch()).result()


def secret_lookup(section: SecretsSection, base_dir: Path | None = None) -> SecretLookup:
    """A lookup function for config loading; each value is read once and memoised for this load."""
    cache: dict[str, str] = {}

    def lookup(name: str) -> str:
        if name not in cache:
            cache.update(read_secret_values(section, [name], base_dir))
        return cache[name]

    return lookup
