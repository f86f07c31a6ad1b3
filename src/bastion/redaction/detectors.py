"""Find PII and secrets in text: a regex proposes a candidate, a validator decides.

``scan(text, on_found)`` runs the detectors in priority order; each validated finding is replaced
by whatever ``on_found(category, raw)`` returns (a marker, a mask, a pseudonym, or the raw value when
only counting). Later detectors see earlier replacements, which are letters-only markers, so no
text is reported twice. Digit runs (cards, SSNs, phones, French NIR) are split on spaces, dashes,
dots and parentheses and every window of groups is tried, longest first, so ``4111 1111 1111 1111``,
``4111-1111-1111-1111`` and a number glued to unrelated digit groups are all found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate, chain

from bastion.redaction import credentials as cred
from bastion.redaction import validators as v
from bastion.redaction.categories import Category, marker
from bastion.redaction.fieldnames import SECRET_NAME_PARTS, secret_field

OnFound = Callable[[Category, str], str]

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
IBAN = re.compile(r"(?i)(?<![A-Za-z0-9])[A-Z]{2}\d{2}[A-Z0-9]*(?:[ -][A-Z0-9]+)*")
"""From the first group that looks like an IBAN start to the end of the alphanumeric run."""
_IBAN_MAX_CHARS = 50
"""34 characters at most (ISO 13616), plus separators: windows never grow past this, so runs stay linear."""
_IBAN_START = re.compile(r"[A-Za-z]{2}\d{2}")
NINO = re.compile(r"(?i)(?<![A-Za-z0-9])[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D](?![A-Za-z0-9])")
ES_DNI = re.compile(r"(?i)(?<![A-Za-z0-9])[XYZ]?\d{7,8}[ -]?[A-Z](?![A-Za-z0-9])")
DIGIT_RUN = re.compile(r"\+?\(?\d(?:[ .()-]{0,3}\d)*\)?")
_SEPARATORS = re.compile(r"[ .()+-]+")
_MAX_DIGITS = 19


def _compact(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isalnum()).upper()


def _simple(
    pattern: re.Pattern[str], category: Category, ok: Callable[[str], bool], group: int = 0
) -> Callable[[str, OnFound], str]:
    def run(text: str, on_found: OnFound) -> str:
        def sub(m: re.Match[str]) -> str:
            raw = m.group(group)
            if raw is None or raw.startswith("[REDACTED") or not ok(raw):
                return m.group(0)
            start, end = m.start(group) - m.start(0), m.end(group) - m.start(0)
            whole = m.group(0)
            return whole[:start] + on_found(category, raw) + whole[end:]

        return pattern.sub(sub, text)

    return run


def _secret_assignment(text: str, on_found: OnFound) -> str:
    out: list[str] = []
    pos = 0
    for m in cred.SECRET_ASSIGNMENT.finditer(text):
        if m.start() < pos:  # inside a value already replaced
            continue
        group = 3 if m.group(3) is not None else 4 if m.group(4) is not None else 5
        raw = m.group(group)
        category = secret_field(m.group(2))
        if category is None or not raw or raw.startswith(("[REDACTED", "*")):
            continue
        out += [text[pos:m.start(group)], on_found(category, raw)]
        pos = m.end(group)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


_NANP_GROUPS = {(10,), (11,), (3, 3, 4), (1, 3, 3, 4), (3, 7), (1, 10)}
_SSN_GROUPS = {(9,), (3, 2, 4)}


def _number_category(digits: str, international: bool, groups: tuple[int, ...]) -> Category | None:
    """Classify a window of digit groups. Group shapes keep dates and times out of phones and SSNs."""
    if len(digits) == 15 and v.fr_nir_ok(digits):
        return Category.NATIONAL_ID
    if international and v.phone_ok(digits, True):
        return Category.PHONE
    if (len(groups) == 1 or min(groups) >= 3) and v.card_ok(digits):
        return Category.CARD
    if groups in _SSN_GROUPS and v.ssn_ok(digits):
        return Category.SSN
    if not international and groups in _NANP_GROUPS and v.phone_ok(digits, False):
        return Category.PHONE
    return None


def _digit_runs(text: str, on_found: OnFound) -> str:
    def sub(m: re.Match[str]) -> str:
        run = m.group(0)
        groups = [(g.start(), g.end()) for g in re.finditer(r"\d+", run)]
        lengths = [e - s for s, e in groups]
        if sum(lengths) < 7:
            return run
        windows = _Windows(run, groups, lengths)
        out: list[str] = []
        pos = 0
        i = 0
        while i < len(groups):
            found = windows.longest(i)
            if found is None:
                i += 1
                continue
            j, category = found
            start = 0 if i == 0 else groups[i][0]
            end = len(run) if j == len(groups) - 1 and run.endswith(")") else groups[j][1]
            out.append(run[pos:start])
            out.append(on_found(category, run[start:end]))
            pos = end
            i = j + 1
        out.append(run[pos:])
        return "".join(out)

    return DIGIT_RUN.sub(sub, text)


class _Windows:
    """The windows of consecutive digit groups of one run that may be a number (at most ``_MAX_DIGITS`` digits).

    Every group of a run is a start, so ``longest`` runs once per group. Only windows whose length and shape let a
    validator accept them are classified (the guards of ``_number_category``): from any start but the run's first
    (an international number), those are windows of at most four groups (SSN and NANP shapes, one long group),
    of exactly 15 digits (French NIR), or of groups of three digits or more (cards). Taking every window of up to
    19 digits and building its shape with a generator cost 31 µs per group: a second of CPU for a 64 KB body of
    ``1 1 1 …``."""

    def __init__(self, run: str, groups: list[tuple[int, int]], lengths: list[int]) -> None:
        self.parts = [run[s:e] for s, e in groups]
        self.lengths = lengths
        self.prefix = list(accumulate(lengths, initial=0))
        """``prefix[k]``: digits in groups ``0 … k-1``."""
        self.short: list[int] | None = None
        """``short[i]``: the first group at or after ``i`` with fewer than three digits (``len(lengths)``: none). Not
        needed in a run of four groups or fewer (most of them: every window of one is looked at)."""
        if len(lengths) > 4:
            self.short = short = [len(lengths)] * (len(lengths) + 1)
            for k in range(len(lengths) - 1, -1, -1):
                short[k] = k if lengths[k] < 3 else short[k + 1]
        self.international = run.startswith(("+", "(+"))

    def longest(self, i: int) -> tuple[int, Category] | None:
        prefix, lengths = self.prefix, self.lengths
        base = prefix[i]
        last = bisect_right(prefix, base + _MAX_DIGITS) - 2
        """The last group of the longest window from ``i`` within ``_MAX_DIGITS`` digits."""
        international = i == 0 and self.international
        ends: Iterable[int]
        if international:
            ends = range(last, i - 1, -1)
        else:  # up to four groups, or groups of three digits or more: one range; then a 15-digit window past it
            top = last if self.short is None else min(last, max(i + 3, self.short[i] - 1))
            ends = range(top, i - 1, -1)
            k = bisect_left(prefix, base + 15)
            if top < k - 1 <= last and prefix[k] == base + 15:
                ends = chain((k - 1,), ends)
        for j in ends:
            count = prefix[j + 1] - base
            if count < 7:
                continue
            shape = tuple(lengths[i : j + 1])
            if not (international or count == 15 or len(shape) == 1 or min(shape) >= 3
                    or shape in _SSN_GROUPS or shape in _NANP_GROUPS):
                continue  # no category accepts this shape (_number_category would answer None)
            digits = "".join(self.parts[i : j + 1])
            category = _number_category(digits, international, shape)
            if category is not None:
                return j, category
        return None


def _iban(text: str, on_found: OnFound) -> str:
    """Runs of space/dash separated alphanumeric groups; every group that starts like an IBAN is tried
    as a start, longest valid end first, so neighbours (``AB12 DE89…``, two IBANs in a row) don't hide one."""

    def sub(m: re.Match[str]) -> str:
        run = m.group(0)
        tokens = [(t.start(), t.end()) for t in re.finditer(r"[A-Za-z0-9]+", run)]
        out: list[str] = []
        pos = i = 0
        while i < len(tokens):
            start = tokens[i][0]
            found = None
            if _IBAN_START.match(run, start):
                last = i
                while last + 1 < len(tokens) and tokens[last + 1][1] - start <= _IBAN_MAX_CHARS:
                    last += 1
                for j in range(last, i - 1, -1):
                    if v.iban_ok(_compact(run[start:tokens[j][1]])):
                        found = j
                        break
            if found is None:
                i += 1
                continue
            end = tokens[found][1]
            out += [run[pos:start], on_found(Category.IBAN, run[start:end])]
            pos, i = end, found + 1
        out.append(run[pos:])
        return "".join(out)

    return IBAN.sub(sub, text)


def _private_keys(text: str, on_found: OnFound) -> str:
    return cred.PRIVATE_KEY.sub(lambda m: on_found(Category.PRIVATE_KEY, m.group(0)), text)


Prefilter = Callable[[str, int, str], bool]
"""``(text, digit count, text.lower())`` → may this detector find anything? A cheap superset test: Python's
``re`` costs ~0.1 µs per character for patterns that open with a look-behind, so on long values the
prefilters (substring tests) decide most of the cost."""
"""``(text, number of digits in it)`` → worth running the detector? Cheap, and never wrong to say yes."""

_SHORTEST = 6
"""Nothing detected is shorter: ``a@b.cc``, ``1.2.3.4`` and every number with a validator are longer."""
_HEADER_WORDS = ("authorization", "cookie", "api-key")
_PROVIDER_HINTS = ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA", "ghp_", "gho_", "ghu_", "ghs_",
                   "ghr_", "github_pat_", "glpat-", "k_live_", "k_test_", "whsec_", "xox", "AIza", "sk-", "npm_",
                   "SG.", "hvs.", "hvb.")
"""Every alternative of ``credentials.PROVIDER_KEYS`` starts with one of these (case-sensitive)."""
_SCHEME_HINTS = ("bearer", "basic", "digest", "token", "apikey", "dpop", "mac")
"""Every scheme ``credentials.AUTH_SCHEME`` knows (it is case-insensitive: tested on the lower-cased text)."""


def _header_hint(low: str) -> bool:
    return any(w in low for w in _HEADER_WORDS)


def _secret_name_hint(low: str) -> bool:
    """Could any key in the text be a secret field name? ``fieldnames.secret_field`` normalises a key by
    lower-casing and dropping ``-``, ``_`` and spaces; doing the same to the whole text keeps every key
    contiguous, so this is a superset test."""
    flat = low.replace("-", "").replace("_", "").replace(" ", "")
    return any(part in flat for part in SECRET_NAME_PARTS)
_DIGITS = str.maketrans("", "", "0123456789")
_ANY_ID = frozenset({Category.CARD, Category.SSN, Category.PHONE, Category.NATIONAL_ID})

DETECTORS: tuple[tuple[frozenset[Category], Prefilter, Callable[[str, OnFound], str]], ...] = (
    (frozenset({Category.PRIVATE_KEY}), lambda t, d, low: "PRIVATE KEY" in t, _private_keys),
    (frozenset({Category.PASSWORD}), lambda t, d, low: "://" in t,
     _simple(cred.URL_USERINFO, Category.PASSWORD, lambda s: True, 3)),
    (frozenset({Category.TOKEN}), lambda t, d, low: ("'" in t or '"' in t) and _header_hint(low),
     _simple(cred.SECRET_HEADER_QUOTED, Category.TOKEN, lambda s: True, 3)),
    (frozenset({Category.TOKEN}), lambda t, d, low: _header_hint(low),
     _simple(cred.SECRET_HEADER_LINE, Category.TOKEN, lambda s: True, 1)),
    (frozenset({Category.JWT}), lambda t, d, low: "eyJ" in t, _simple(cred.JWT, Category.JWT, cred.jwt_ok)),
    (frozenset({Category.API_KEY}), lambda t, d, low: len(t) >= 15 and any(p in t for p in _PROVIDER_HINTS),
     _simple(cred.PROVIDER_KEYS, Category.API_KEY, lambda s: True)),
    (frozenset({Category.TOKEN}), lambda t, d, low: len(t) >= 12 and any(w in low for w in _SCHEME_HINTS),
     _simple(cred.AUTH_SCHEME, Category.TOKEN, lambda s: True, 1)),
    (frozenset({Category.PASSWORD}), lambda t, d, low: (":" in t or "=" in t) and _secret_name_hint(low),
     _secret_assignment),
    (frozenset({Category.EMAIL}), lambda t, d, low: "@" in t, _simple(EMAIL, Category.EMAIL, v.email_ok)),
    (frozenset({Category.IBAN}), lambda t, d, low: d >= 2 and len(t) >= 15, _iban),
    (frozenset({Category.IP}), lambda t, d, low: d >= 4 and "." in t, _simple(IPV4, Category.IP, v.ip_ok)),
    (frozenset({Category.IP}), lambda t, d, low: t.count(":") >= 2, _simple(IPV6, Category.IP, v.ip_ok)),
    (frozenset({Category.NATIONAL_ID}), lambda t, d, low: d >= 6,
     _simple(NINO, Category.NATIONAL_ID, lambda s: v.nino_ok(_compact(s)))),
    (frozenset({Category.NATIONAL_ID}), lambda t, d, low: d >= 7,
     _simple(ES_DNI, Category.NATIONAL_ID, lambda s: v.es_dni_ok(_compact(s)))),
    (_ANY_ID, lambda t, d, low: d >= 7, _digit_runs),
)
_PLANS: dict[frozenset[Category] | None, tuple[tuple[Prefilter, Callable[[str, OnFound], str], bool], ...]] = {}


def _plan(only: frozenset[Category] | None) -> tuple[tuple[Prefilter, Callable[[str, OnFound], str], bool], ...]:
    """The detectors to run for ``only`` (cached), each flagged when it may report other categories."""
    plan = _PLANS.get(only)
    if plan is None:
        plan = tuple((pre, run, only is not None and not cats <= only) for cats, pre, run in DETECTORS
                     if only is None or cats & only)
        if len(_PLANS) < 256:
            _PLANS[only] = plan
    return plan


def scan(text: str, on_found: OnFound, only: frozenset[Category] | None = None) -> str:
    """Return ``text`` with every validated finding replaced by ``on_found(category, raw)``.

    ``only`` restricts the detectors run (a response policy configured for e-mail only skips the rest);
    findings of other categories from a multi-category detector are passed through unchanged.
    """
    size = len(text)
    if size < _SHORTEST:
        return text
    digits = size - len(text.translate(_DIGITS))
    if size < 12 and digits < 2 and "@" not in text and ":" not in text and "=" not in text:
        return text  # short words ("shipped", "Oslo") hold nothing any detector could confirm
    restricted: OnFound | None = None
    low, low_of = text.lower(), text
    for prefilter, run, mixed in _plan(only):
        if text is not low_of:  # an earlier detector replaced something
            low, low_of = text.lower(), text
        if not prefilter(text, digits, low):
            continue
        if mixed and only is not None:
            if restricted is None:
                restricted = _restrict(on_found, only)
            text = run(text, restricted)
        else:
            text = run(text, on_found)
    return text


def _restrict(on_found: OnFound, only: frozenset[Category]) -> OnFound:
    def inner(category: Category, raw: str) -> str:
        return on_found(category, raw) if category in only else raw

    return inner


def find(text: str) -> list[Category]:
    """The categories found in ``text`` (one entry per finding), without changing anything."""
    found: list[Category] = []

    def record(category: Category, raw: str) -> str:
        found.append(category)
        return marker(category)

    scan(text, record)
    return found
