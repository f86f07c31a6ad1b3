"""``AuditTrail``: the named security events the gateway records on the hash-chained audit log.

The request path's denials arrive through ``Observer.observe``; everything else — admin actions,
configuration reloads, key and secret rotations, anomaly alerts, blocks — through these methods.
Every method only enqueues (``AuditLog.emit``), so any of them is safe to call on the event loop.
Callers pass ids and reasons, never secret values.
"""

from __future__ import annotations

from typing import Any

from bastion.anomaly.blocklist import Block
from bastion.anomaly.model import Alert
from bastion.observability.audit.writer import AuditLog


class AuditTrail:
    def __init__(self, log: AuditLog | None) -> None:
        self.log = log

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.emit(kind, data)

    def config_reload(self, *, ok: bool, file: str, digest: str = "", error: str = "", actor: str = "system") -> None:
        """A configuration (re)load: the file, the SHA-256 of its contents, and the error if it was refused."""
        self.emit("config.reload", {"ok": ok, "file": file, "sha256": digest, "error": error[:500], "actor": actor})

    def admin_action(self, actor: str, action: str, target: str = "", **details: Any) -> None:
        """Anything done through the admin API or dashboard (login, logout, lifting a block…)."""
        self.emit("admin.action", {"actor": actor, "action": action, "target": target, **details})

    def key_rotation(self, what: str, key_id: str, *, actor: str = "system", **details: Any) -> None:
        """A signing-key rotation (``what``: ``jwt``, ``oauth``, ``audit``…), by key id only."""
        self.emit("key.rotation", {"what": what, "key_id": key_id, "actor": actor, **details})

    def secret_rotation(self, name: str, version: int | str, *, actor: str = "system") -> None:
        """A secret or client-secret rotation: the secret's name and new version, never its value."""
        self.emit("secret.rotation", {"name": name, "version": version, "actor": actor})

    def alert(self, alert: Alert) -> None:
        self.emit("anomaly.alert", alert.to_dict())

    def block_added(self, block: Block) -> None:
        self.emit("block.added", block.to_dict())

    def block_lifted(self, key: str, actor: str) -> None:
        self.emit("block.lifted", {"key": key, "actor": actor})

    def block_rejected(self, block: Block, client_ip: str, route: str, count: int) -> None:
        self.emit("block.rejected", {"key": block.key, "client_ip": client_ip, "route": route,
                                     "requests": count, "source": block.source})
