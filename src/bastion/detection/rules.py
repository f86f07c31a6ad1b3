"""The rule catalogue: stable ids, OWASP and CWE ids for every attack class the engine reports.

Rule ids are kebab-case and stable (``waf.sqli``); baselines, exclusions and audit queries refer to
them. Injection has no category of its own in the OWASP API Security Top 10 2023: it is filed under
API8:2023 (Security Misconfiguration, "lack of input sanitisation"), with the OWASP Top 10 2021 id
alongside in ``web``; SSRF is API7:2023.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bastion.findings.model import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    attack: str
    """Attack class, also the short name used in exclusions (``sqli``, ``xss`` …)."""
    title: str
    owasp: str
    web: str
    """OWASP Top 10 (2021) id, for teams that track the web list."""
    cwe: int
    severity: Severity


class Context(NamedTuple):
    """Where a value came from, which some analysers need (SSRF looks at URL-valued names)."""

    kind: str
    """``path``, ``query``, ``header``, ``cookie``, ``body`` (JSON/form/XML/text)."""
    name: str = ""
    """Parameter, header or cookie name, or the nearest JSON key (lower-cased)."""
    is_key: bool = False
    """The value is itself a key (a JSON member name or a query parameter name)."""


@dataclass(frozen=True, slots=True)
class Detection:
    rule: Rule
    snippet: str
    """The matched fragment, redacted (see ``redact``): safe for logs, never sent to the client."""
    decoded: bool
    """True when the attack only appeared after decoding."""


def _r(attack: str, title: str, cwe: int, web: str = "A03:2021", owasp: str = "API8:2023",
       severity: Severity = Severity.HIGH) -> Rule:
    return Rule(f"waf.{attack}", attack, title, owasp, web, cwe, severity)


RULES: dict[str, Rule] = {
    r.attack: r
    for r in (
        _r("sqli", "SQL injection", 89, severity=Severity.CRITICAL),
        _r("xss", "Cross-site scripting", 79),
        _r("cmdi", "OS command injection", 78, severity=Severity.CRITICAL),
        _r("traversal", "Path traversal", 22, web="A01:2021"),
        _r("ssrf", "Server-side request forgery", 918, web="A10:2021", owasp="API7:2023"),
        _r("nosqli", "NoSQL operator injection", 943),
        _r("ldapi", "LDAP injection", 90),
        _r("xxe", "XML external entity", 611, web="A05:2021"),
        _r("ssti", "Server-side template injection", 1336, severity=Severity.CRITICAL),
        _r("jndi", "JNDI / Log4j lookup injection", 917, severity=Severity.CRITICAL),
        _r("crlf", "CRLF / header injection", 93),
        _r("proto", "Prototype pollution", 1321, web="A08:2021"),
        _r("scanner", "Attack tool user agent", 200, web="A05:2021", severity=Severity.MEDIUM),
    )
}

_LONG_RUN = 16


def redact(text: str, start: int, end: int, width: int = 48) -> str:
    """The matched fragment only, at most ``width`` characters, control characters escaped and long
    alphanumeric runs (tokens, ids, e-mail local parts) elided, so no secret or PII reaches a log."""
    frag = text[max(0, start) : min(len(text), max(end, start + 1))][:width]
    out: list[str] = []
    run = 0
    for ch in frag:
        if ch.isalnum():
            run += 1
            if run == _LONG_RUN:
                out.append("…")
            if run >= _LONG_RUN:
                continue
        else:
            run = 0
        out.append(ch if ch.isprintable() and ch != "\\" else ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)
