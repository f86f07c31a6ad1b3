"""Record what a CLI command changed on the gateway's tamper-evident audit log.

With ``-c bastion.yaml``, commands that rotate credentials (``bastion secrets rotate``, a ``set`` that
adds a version, a master-key rotation) append ``secret.rotation`` / ``key.rotation`` events through the
same ``AuditTrail`` and signed, hash-chained writer the gateway uses, on a chain of their own
(``<chain_id>-cli``, so a running gateway's chain is not contended). The ``audit:`` section decides the
sink and signing key exactly as for ``bastion serve``. Events carry names, versions and key ids, never
values. A failure to record is reported, not raised: the change itself has already been made.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bastion.observability.trail import AuditTrail


def record(config: Path | None, emit: Callable[[AuditTrail], object]) -> str | None:
    """Write the events ``emit`` makes on the audit log ``config`` names. Returns why nothing was
    recorded when the log could not be written, else ``None`` (also when there is no config or the
    audit log is disabled there)."""
    if config is None:
        return None
    import anyio
    import yaml

    from bastion.observability.config import AuditSection

    base = config.resolve().parent
    try:
        doc = yaml.safe_load(config.read_text()) or {}
        section = AuditSection.model_validate(doc.get("audit") or {})
    except Exception as exc:
        return f"the audit: section cannot be read ({type(exc).__name__})"
    if not section.enabled:
        return None
    try:
        anyio.run(_write, section, base, emit)
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


async def _write(section: Any, base: Path, emit: Callable[[AuditTrail], object]) -> None:
    from bastion.observability.audit.signing import load_or_create_signer
    from bastion.observability.audit.sink import open_sink
    from bastion.observability.audit.writer import AuditLog
    from bastion.secrets.references import is_reference, resolve_reference

    pem = None
    if section.key:
        key_path = Path(section.key)
        pem = (resolve_reference(section.key, base_dir=base).encode() if is_reference(section.key)
               else (key_path if key_path.is_absolute() else base / key_path).read_bytes())
    state_dir = Path(section.state_dir)
    signer = load_or_create_signer(pem, state_dir if state_dir.is_absolute() else base / state_dir)
    chain = f"{section.chain_id or socket.gethostname()}-cli"
    log = AuditLog(open_sink(section.sink, section.table, base), signer, chain)
    await log.start()
    try:
        emit(AuditTrail(log))
    finally:
        await log.stop()
