"""Property: no analyser raises on an attack payload cut short. Scanners and regression suites send statements cut
after a keyword (CRS's ``9'union all``), and a parser that indexes past the last token raises there. The engine
refuses a value an analyser raises on (fail closed), so these tests call the analysers themselves, where a bug
shows. Every 7th payload of every split, cut at each token boundary (prefix and suffix), in two contexts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.detection import Context
from bastion.detection.engine import ANALYSERS

ROOT = Path(__file__).resolve().parents[2] / "bench" / "waf"
CONTEXTS = (Context("query", "q"), Context("body", "url"))


def _payloads() -> list[str]:
    found: set[str] = set()
    for path in sorted([*ROOT.glob("attacks_*.json"), *ROOT.glob("fresh*/attacks_*.json")]):
        for values in json.loads(path.read_text()).values():
            found.update(v for v in values if isinstance(v, str)) if isinstance(values, list) else None
    return sorted(found)[::7]


def _cuts(payload: str) -> set[str]:
    p = payload[:160]
    at = [i for i in range(1, len(p)) if not (p[i].isalnum() and p[i - 1].isalnum())]
    return {p[:i] for i in at} | {p[i:] for i in at}


PAYLOADS = _payloads()


@pytest.mark.parametrize("chunk", range(4))
def test_no_analyser_raises_on_a_cut_payload(chunk: int) -> None:
    assert len(PAYLOADS) > 1000  # the corpora are there: an empty list would pass without testing anything
    for payload in PAYLOADS[chunk::4]:
        for n, form in enumerate(sorted(_cuts(payload))):
            ctx = CONTEXTS[n % 2]
            for name, analyser in ANALYSERS.items():
                try:
                    analyser(form, ctx)
                except Exception as exc:  # the assertion names the class and the form that broke it
                    pytest.fail(f"{name} raised {type(exc).__name__} on {form!r} ({ctx.kind})")


@pytest.mark.parametrize("value", ["0x", "0x.0x", "http://0x/", "0X.1"])
def test_a_bare_hex_prefix_is_zero_to_the_legacy_address_parser(value: str) -> None:
    """``int('0x', 16)`` raised ValueError in the legacy IPv4 parser (found by the cut-payload test)."""
    for name in ("ssrf",):
        ANALYSERS[name](value, Context("body", "url"))
