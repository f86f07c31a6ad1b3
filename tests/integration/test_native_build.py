"""The compiled hot path (``bastion.native``) answers exactly as its pure-Python sources, and a stale build never runs.

``make test`` builds it first (``make native``); where the build failed or is stale the compiled-side tests are
skipped with the reason, and the sources are what every other test ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion import native

ROOT = Path(__file__).resolve().parents[2]

VERDICTS = r"""
import json, sys
import anyio
from bastion import native
from bastion.http.paths import PathError, normalize_path
from bastion.chain.policy import PolicyDeps
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange
from bench.waf import load
from pathlib import Path

policy = WafPolicy(WafConfig(), PolicyDeps())
items = []
for name, step in (("bench/waf/corpus.jsonl", 10), ("bench/waf/fresh34/corpus.jsonl", 1),
                   ("bench/waf/fresh41/corpus.jsonl", 2), ("bench/waf/fresh9/corpus.jsonl", 4)):
    items += load(Path(name))[::step]
out = {}

async def run():
    for item in items:
        raw_path, _, query = item["target"].partition("?")
        try:
            path = normalize_path(raw_path)
        except PathError:
            out[item["id"]] = "normaliser"
            continue
        body = item["body"].encode() if item["body"] is not None else None
        ex = make_exchange(item["method"], path, query=query, headers=[tuple(h) for h in item["headers"]], body=body)
        hit = policy.inspect(ex)
        out[item["id"]] = "" if hit is None else f"{hit[0]} {hit[1].rule.id} {hit[1].snippet} {hit[1].decoded}"

anyio.run(run)
json.dump({"compiled": native.compiled(), "verdicts": out}, sys.stdout)
"""


def _run(script: str, pure: bool) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PYTHONHASHSEED": "0"}
    env.pop(native.PURE_ENV, None)
    if pure:
        env[native.PURE_ENV] = "1"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _need_fresh_build() -> None:
    if not native.build_is_fresh():
        pytest.skip("no fresh compiled build in this checkout (make native): only the sources exist to test")


@pytest.mark.timeout(900)  # two processes over the sample: about a minute on a quiet machine
def test_compiled_waf_gives_the_same_verdicts_as_the_sources() -> None:
    """Every verdict, rule id, pointer and redacted snippet on ~18,000 corpus requests (attacks and benign, every
    location) is the same whether the detection modules run compiled or from their sources."""
    _need_fresh_build()
    compiled = _run(VERDICTS, pure=False)
    pure = _run(VERDICTS, pure=True)
    assert compiled["compiled"] is True and pure["compiled"] is False
    verdicts = compiled["verdicts"]
    assert isinstance(verdicts, dict) and len(verdicts) > 15_000
    assert sum(1 for v in verdicts.values() if v) > 3_000  # attacks were caught, not every request passed
    assert verdicts == pure["verdicts"]


WHICH = "from bastion import native; import bastion.detection.engine as e; print(native.compiled(), e.__file__)"


def test_fresh_build_loads_and_pure_switch_loads_sources() -> None:
    _need_fresh_build()
    compiled = subprocess.run([sys.executable, "-c", WHICH], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={k: v for k, v in os.environ.items() if k != native.PURE_ENV})
    assert compiled.stdout.startswith("True ") and compiled.stdout.strip().endswith(".so")
    pure = subprocess.run([sys.executable, "-c", WHICH], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, native.PURE_ENV: "1"})
    assert pure.stdout.startswith("False ") and pure.stdout.strip().endswith("engine.py")


def test_a_changed_source_makes_the_whole_build_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build recorded for other sources (one edited file, or another interpreter) is not fresh, so the finder
    puts every listed module's source first: mixing one fresh source with compiled neighbours is never allowed."""
    manifest = tmp_path / "native-build.json"
    monkeypatch.setattr(native, "MANIFEST", manifest)
    assert not native.build_is_fresh()  # no manifest
    digests = native.digests()
    manifest.write_text(json.dumps({"python": sys.implementation.cache_tag, "sources": digests}))
    assert native.build_is_fresh()
    edited = {**digests, native.MODULES[3]: "0" * 64}
    manifest.write_text(json.dumps({"python": sys.implementation.cache_tag, "sources": edited}))
    assert not native.build_is_fresh()
    manifest.write_text(json.dumps({"python": "cpython-99", "sources": digests}))
    assert not native.build_is_fresh()
    manifest.write_text("{not json")
    assert not native.build_is_fresh()


def test_source_finder_names_only_the_listed_modules() -> None:
    finder = native._SourceFinder(native.MODULES)
    spec = finder.find_spec("bastion.detection.engine", None)
    assert spec is not None and spec.origin is not None and spec.origin.endswith("detection/engine.py")
    assert finder.find_spec("bastion.detection.sqli", None) is None
    assert finder.find_spec("json", None) is None


def test_every_listed_module_exists() -> None:
    for module in native.MODULES:
        assert native.source(module).is_file(), module
