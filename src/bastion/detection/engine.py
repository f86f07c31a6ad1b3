"""The engine: decode a value, prefilter it once, run only the analysers whose trigger fired.

``Engine`` is built once per policy at config load (the prefilter database is compiled there) and
is then pure and thread-safe: ``inspect`` keeps no state between calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bastion.detection import signatures
from bastion.detection.decode import base64_text, needs_decoding, variants
from bastion.detection.prefilter import TRIGGERS, Prefilter
from bastion.detection.rules import RULES, Context, Detection, redact
from bastion.detection.shell import is_cmdi
from bastion.detection.sqli import is_sqli
from bastion.detection.ssrf import URL_NAMES, is_ssrf
from bastion.detection.xss import is_xss

Analyser = Callable[[str, Context], "tuple[int, int] | None"]

ANALYSERS: dict[str, Analyser] = {
    "jndi": signatures.jndi,
    "xxe": signatures.xxe,
    "sqli": lambda v, c: is_sqli(v),
    "xss": lambda v, c: is_xss(v),
    "cmdi": lambda v, c: is_cmdi(v),
    "traversal": signatures.traversal,
    "ssrf": lambda v, c: is_ssrf(v, c.name),
    "nosqli": signatures.nosqli,
    "ldapi": signatures.ldapi,
    "ssti": signatures.ssti,
    "crlf": signatures.crlf,
    "proto": signatures.proto,
}
"""In reporting order: the most specific class wins when a payload fits several."""


class Engine:
    def __init__(self, disabled: Iterable[str] = (), *, use_hyperscan: bool = True) -> None:
        off = set(disabled)
        unknown = off - set(ANALYSERS)
        if unknown:
            raise ValueError(f"unknown attack classes: {sorted(unknown)}")
        self.classes = tuple(c for c in ANALYSERS if c not in off)
        self.document_classes = tuple(c for c in self.classes if c == "xxe")
        self.prefilter = Prefilter({c: TRIGGERS[c] for c in self.classes}, use_hyperscan=use_hyperscan)

    def inspect(self, value: str, ctx: Context, *, base64: bool = False,
                skip: frozenset[str] = frozenset()) -> Detection | None:
        """The first detection in ``value`` (or what it decodes to), or ``None``."""
        forms = variants(value) if needs_decoding(value) else [value]
        if base64 and (text := base64_text(value)) is not None:
            forms.extend(variants(text))
        classes = self.document_classes if ctx.kind == "document" else self.classes
        url_named = bool(ctx.name) and "ssrf" in self.classes and URL_NAMES.search(ctx.name) is not None
        for index, form in enumerate(forms):
            hits = self.prefilter.scan(form)
            if url_named:
                hits.add("ssrf")
            if ctx.is_key:
                hits.update(("nosqli", "proto"))
            if not hits:
                continue
            for cls in classes:
                if cls in hits and cls not in skip:
                    span = ANALYSERS[cls](form, ctx)
                    if span is not None:
                        return Detection(RULES[cls], redact(form, *span), decoded=index > 0)
        return None
