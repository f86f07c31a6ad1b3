"""Records of the secret store: stored version rows, public metadata and rotation policies."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.secrets.references import Secret


@dataclass(frozen=True, slots=True)
class SecretMeta:
    """What may be shown about a secret version (CLI tables, audit, metrics): no value."""

    name: str
    version: int
    created_at: float
    expires_at: float | None
    rotated_by: str
    retired_at: float | None
    """When this version stops being usable (set when a newer version supersedes it)."""
    master_kid: str

    def usable_at(self, now: float) -> bool:
        if self.expires_at is not None and now >= self.expires_at:
            return False
        return self.retired_at is None or now < self.retired_at


@dataclass(frozen=True, slots=True)
class VersionRow(SecretMeta):
    """One stored version, as persisted: the metadata plus ciphertext and a wrapped data key."""

    wrapped_key: bytes
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"VersionRow(name={self.name!r}, version={self.version}, master_kid={self.master_kid!r})"

    def meta(self) -> SecretMeta:
        return SecretMeta(self.name, self.version, self.created_at, self.expires_at, self.rotated_by,
                          self.retired_at, self.master_kid)


@dataclass(frozen=True, slots=True)
class SecretVersion:
    """A decrypted version: metadata plus the masked value."""

    meta: SecretMeta
    value: Secret

    def __repr__(self) -> str:
        return f"SecretVersion(name={self.meta.name!r}, version={self.meta.version}, value=Secret('***'))"


@dataclass(frozen=True, slots=True)
class RotationPolicy:
    """How often a secret must be rotated and how early to warn. Seconds; ``None`` means no limit."""

    max_age: float | None = None
    warn_window: float | None = None
    overlap: float | None = None
    """How long a superseded version stays usable after rotation (``None``: the store default)."""
