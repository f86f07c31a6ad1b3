"""Integration: workers starting together create the state directory's files once (real processes, one disk).

``bastion serve --workers 2`` lost a worker on its first start now and then: both workers found no audit
signing key, both generated one, and the second ``O_EXCL`` create of the key file raised FileExistsError.
"""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

from bastion.observability.audit.signing import load_or_create_signer
from bastion.observability.factory import _admin_token

WORKERS = 8


def _signer_key_id(state_dir: str, start: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    start.wait()
    out.put(load_or_create_signer(None, Path(state_dir)).public_text)


def _token(state_dir: str, start: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    start.wait()
    out.put(_admin_token(None, Path(state_dir)))


def _race(target: object, state_dir: Path) -> list[str]:
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=target, args=(str(state_dir), start, out)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=15) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    return results


def test_workers_starting_together_share_one_audit_signing_key(tmp_path: Path) -> None:
    keys = _race(_signer_key_id, tmp_path / "state")
    assert len(set(keys)) == 1
    files = list((tmp_path / "state").iterdir())
    assert [f.name for f in files] == ["audit-ed25519.pem"]  # no private temporaries left behind
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert load_or_create_signer(None, tmp_path / "state").public_text == keys[0]


def test_workers_starting_together_share_one_admin_token(tmp_path: Path) -> None:
    tokens = _race(_token, tmp_path / "state")
    assert len(set(tokens)) == 1 and len(tokens[0]) >= 40
    assert (tmp_path / "state" / "admin-token").read_text().strip() == tokens[0]
