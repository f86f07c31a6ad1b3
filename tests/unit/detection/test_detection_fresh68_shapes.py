"""Unit: the shapes of the fresh68 first contact (NeuraLegion's published attack values: wafalyzer's WAF-fingerprint
payloads and brokencrystals's exploit examples, against npm registry answers recorded by npm-registry-mock).

Fixed: an XPath string literal closed with its predicate and joined by ``|`` to a path of the attacker's
(``xpath_unions``). Left: the README false positives (a ```` ```sh ```` block's ``node example/clean.js``, a README
that shows ``<script>alert(123)</script>`` being stripped, ``default : '/etc/passwd'`` in option docs): the shell
analyser deliberately gives fenced blocks no pass, and the others are the attack text itself. Values are our own;
none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.xpath_unions import xpath_union

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "an XPath literal and predicate closed, then a union with a path": [
        "')] | //* | a[('",
        "x') ] | //user/password",
        '"] | //account',
        "abc')) ] | /users/user[1]",
        "') or ('a'='b')] | //@secret",
    ],
}

PASSED = {
    "subscripts, or-operators, regexes and tables": [
        "opts['a'] | 0",
        'x["k"] || // note',
        "/(['\"]|//.*)/",
        "| 'a' | b |",
        "| cfg['dir'] | /var/lib |",
        "names = row['first'] | row['last']",
        "see `a[\"b\"]` | //comment in the docs",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helper() -> None:
    assert xpath_union("')] | //*") == (0, 9)
    assert xpath_union("'] | /a") is None  # no call closed: only a descendant path counts
    assert xpath_union("'] | //a") == (0, 8)
    assert xpath_union("a | b ]") is None


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("')] |", "'))))))))] | ", "'\" ] |", "] | //", "'" + ")" * 9 + "]|/"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
