"""Read a secret store's rotation state for an audit: without the master key and without writing.

``bastion audit --config`` runs where the gateway's master key may not be (a CI job, a laptop), and an
audit must not create databases or tables. Only metadata is read (names, versions, dates, policies):
no ciphertext is decrypted, so no value can leak into a report.
"""

from __future__ import annotations

from pathlib import Path

from bastion.errors import SecretError
from bastion.findings.model import Finding
from bastion.secrets.backend import SqlSecretBackend
from bastion.secrets.config import SecretsSection
from bastion.secrets.rotation import RotationStatus, assess_all, to_findings, unchecked_finding
from bastion.secrets.sql import open_driver, sqlite_path


class StoreMissing(SecretError):
    """The SQLite file the config names does not exist here."""


async def read_rotation_status(section: SecretsSection, *, base_dir: Path | None, now: float) -> list[RotationStatus]:
    """Rotation state of the current version of every secret, with the policies the gateway would apply
    (the config's per-secret policies over those stored, then the section's default)."""
    path = sqlite_path(section.store, base_dir)
    if isinstance(path, Path) and not path.is_file():
        raise StoreMissing("no such file here")
    backend = SqlSecretBackend(open_driver(section.store, base_dir), section.table_prefix)
    try:
        current = await backend.current()
        policies = await backend.policies_by_name()
    except SecretError:
        raise
    except Exception as exc:  # a missing table, a wrong schema: name the kind only (no DSN, no path)
        raise SecretError(f"cannot read its tables ({type(exc).__name__})") from None
    finally:
        await backend.driver.close()
    policies.update({name: cfg.policy() for name, cfg in section.policies.items()})
    return assess_all(current, policies, section.rotation.policy(), now)


async def rotation_findings(section: SecretsSection, *, base_dir: Path | None, now: float) -> list[Finding]:
    """Overdue and soon-due secrets as findings, or one ``secrets.rotation-unchecked`` finding saying why
    the store could not be read."""
    try:
        statuses = await read_rotation_status(section, base_dir=base_dir, now=now)
    except StoreMissing as exc:
        return [unchecked_finding(str(exc), missing=True)]
    except SecretError as exc:
        return [unchecked_finding(str(exc))]
    return to_findings(statuses, now)
