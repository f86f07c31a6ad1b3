"""Property (hypothesis): minimization never adds data and yields schema-valid output; an inserted PII
value or secret never survives redaction in any form (raw, spaced, dashed), in bodies or in logs."""

from __future__ import annotations

import io
import logging
import string
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.openapi import load_document
from bastion.redaction import RedactingFilter, RedactionRules, redact, redact_text, redact_value
from bastion.redaction.projection import ShapeMismatch, compile_schema, project
from bastion.redaction.response_shapes import ResponseShapes
from bastion.redaction.validators import luhn_ok

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "minimize" / "customers.yaml"
SHAPES = ResponseShapes(load_document(SPEC))
OP = SHAPES.operation("GET", "/customers/{id}", "/customers/1")
assert OP is not None
DECLARED = SHAPES.json_schema(OP, "200", "application/json")
COMPILED = SHAPES.lookup("GET", "/customers/{id}", "/customers/1", 200, "application/json")
FAST, NATIVE = COMPILED.python, COMPILED.native
assert NATIVE is not None
SLOW = compile_schema(DECLARED)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- documents -----------------------------------------------------------------------------------------
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)
def _declared_keys() -> set[str]:
    return {"id", "name", "email", "phone", "address", "payment", "attributes", "referrer", "city", "country",
            "kind", "last4", "terms"}


undeclared = st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in _declared_keys()),
                             json_values, max_size=3)


def _with_extras(obj: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda o, e: {**e, **o}, obj, undeclared)


def _optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


address = _with_extras(_optional(city=st.text(max_size=10), country=st.text(max_size=3)))
payment = st.one_of(
    _with_extras(st.fixed_dictionaries({"kind": st.just("card")}, optional={"last4": st.text(max_size=4)})),
    _with_extras(st.fixed_dictionaries({"kind": st.just("invoice")}, optional={"terms": st.integers(0, 90)})),
)


def customer(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "name": st.text(max_size=10), "email": st.emails(), "phone": st.one_of(st.none(), st.text(max_size=12)),
        "address": address, "payment": payment,
        "attributes": st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3),
    }
    if depth:
        fields["referrer"] = customer(depth - 1)
    return _with_extras(st.fixed_dictionaries({"id": st.integers(0, 10**9)}, optional=fields))


def _contained(out: Any, inp: Any) -> bool:
    """Every value in ``out`` is at the same place in ``inp``: nothing was added or changed."""
    if isinstance(out, dict):
        return isinstance(inp, dict) and all(k in inp and _contained(v, inp[k]) for k, v in out.items())
    if isinstance(out, list):
        return isinstance(inp, list) and len(out) == len(inp) and all(map(_contained, out, inp))
    return type(out) is type(inp) and out == inp


def _allof_refs(node: Any) -> set[str]:
    """Names of ``$defs`` used as ``allOf`` members (closing those would reject their siblings' keys)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for member in node.get("allOf", []):
            if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                found.add(member["$ref"].rsplit("/", 1)[-1])
        for v in node.values():
            found |= _allof_refs(v)
    elif isinstance(node, list):
        for v in node:
            found |= _allof_refs(v)
    return found


def _strict(schema: Any, open_names: set[str], member: bool = False) -> Any:
    """The declared schema with every object closed (``unevaluatedProperties: false``)."""
    if isinstance(schema, list):
        return [_strict(s, open_names) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for k, v in schema.items():
        if k == "allOf":
            out[k] = [_strict(s, open_names, member=True) for s in v]
        elif k == "$defs":
            out[k] = {n: _strict(d, open_names, member=n in open_names) for n, d in v.items()}
        else:
            out[k] = _strict(v, open_names)
    if not member and ("properties" in schema or "allOf" in schema) and "additionalProperties" not in schema:
        out["unevaluatedProperties"] = False
    return out


STRICT = jsonschema_rs.validator_for(_strict(DECLARED, _allof_refs(DECLARED)))
LOOSE = jsonschema_rs.validator_for(DECLARED)


@PROFILE
@given(customer(2))
def test_minimization_output_validates_against_the_declared_schema(doc: dict[str, Any]) -> None:
    assert LOOSE.is_valid(doc)
    out = FAST(doc, [0])
    assert LOOSE.is_valid(out)
    assert STRICT.is_valid(out), list(STRICT.iter_errors(out))[:1]


@PROFILE
@given(st.one_of(customer(2), json_values))
def test_minimization_never_adds_data(doc: Any) -> None:
    try:
        out = FAST(doc, [0])
    except ValueError:  # ShapeMismatch: refused, nothing sent
        return
    assert _contained(out, doc)
    assert out == project(doc, SLOW)  # the compiled projector and the reference walker agree


def _outcome(run: Any) -> Any:
    try:
        return run()
    except ShapeMismatch:
        return "refused"


@PROFILE
@given(st.one_of(customer(2), json_values))
def test_native_and_python_projectors_agree(doc: Any) -> None:
    assert NATIVE is not None
    python = _outcome(lambda: FAST(doc, [0]))
    native = _outcome(lambda: orjson.loads(NATIVE(orjson.dumps(doc))))
    assert native == python


# ---- PII values -------------------------------------------------------------------------------------------
def _card(prefix: str, length: int, body: str) -> str:
    partial = (prefix + body)[: length - 1]
    return next(partial + d for d in string.digits if luhn_ok(partial + d))


cards = st.builds(_card, st.sampled_from(["4", "51", "55", "37", "6011"]), st.sampled_from([15, 16]),
                  st.text(string.digits, min_size=18, max_size=18))
ssns = st.builds(lambda a, g, s: f"{a:03d}{g:02d}{s:04d}",
                 st.integers(1, 899).filter(lambda a: a != 666), st.integers(1, 99), st.integers(1, 9999))


def _iban(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


ibans = st.one_of(
    st.builds(_iban, st.just("DE"), st.text(string.digits, min_size=18, max_size=18)),
    st.builds(lambda bank, num: _iban("GB", bank + num), st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4,
                                                                    max_size=4),
              st.text(string.digits, min_size=14, max_size=14)),
    st.builds(_iban, st.just("NL"), st.builds(lambda b, n: b + n, st.just("ABNA"),
                                              st.text(string.digits, min_size=10, max_size=10))),
)
phones = st.builds(lambda cc, rest: f"+{cc}{rest}", st.integers(1, 99).map(str),
                   st.text(string.digits, min_size=9, max_size=10).filter(lambda r: r[0] != "0"))
emails = st.builds(lambda local, dom, tld: f"{local}@{dom}.{tld}",
                   st.from_regex(r"[a-z][a-z0-9_+-]{0,10}[a-z0-9]", fullmatch=True),
                   st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True), st.sampled_from(["com", "org", "co", "de"]))
secrets = st.one_of(
    st.text(string.ascii_uppercase + string.digits, min_size=16, max_size=16).map(lambda s: "AKIA" + s),
    st.text(string.ascii_letters + string.digits, min_size=36, max_size=36).map(lambda s: "ghp_" + s),
    st.text(string.ascii_letters + string.digits, min_size=24, max_size=24).map(lambda s: "sk_live_" + s),
)


def _forms(value: str) -> list[str]:
    """The raw value and its spaced and dashed renderings (groups of 4, as people write them)."""
    if len(value) == 9 and value.isdigit():  # SSN: AAA-GG-SSSS
        return [value, f"{value[:3]} {value[3:5]} {value[5:]}", f"{value[:3]}-{value[3:5]}-{value[5:]}"]
    head = "+" if value.startswith("+") else ""
    body = value[len(head):]
    groups = [body[i:i + 4] for i in range(0, len(body), 4)]
    if len(groups[-1]) < 3 and len(groups) > 1:  # no dangling 1-2 digit group
        groups[-2:] = [groups[-2] + groups[-1]]
    return [value, head + " ".join(groups), head + "-".join(groups)]


pii_values = st.one_of(cards, ssns, ibans, phones)
"""Canonical values; each is inserted in one of its ``_forms`` and must vanish in all of them."""
words = st.text(string.ascii_letters + string.digits + ".,:;!?()", max_size=8)


@st.composite
def documents_with_pii(draw: st.DrawFn) -> tuple[Any, str]:
    value = draw(st.one_of(pii_values, emails, secrets))
    shown = draw(st.sampled_from(_all_forms(value)))
    text = " ".join([draw(words), shown, draw(words)]) if draw(st.booleans()) else shown
    doc = draw(json_values)
    return _insert(draw, doc, text), value


def _insert(draw: st.DrawFn, doc: Any, text: str) -> Any:
    where = draw(st.sampled_from(["here", "key", "deeper"]))
    if isinstance(doc, dict) and doc and where == "deeper":
        k = draw(st.sampled_from(sorted(doc)))
        return {**doc, k: _insert(draw, doc[k], text)}
    if isinstance(doc, list) and doc and where == "deeper":
        i = draw(st.integers(0, len(doc) - 1))
        return [*doc[:i], _insert(draw, doc[i], text), *doc[i + 1:]]
    if isinstance(doc, dict):
        return {**doc, text: 1} if where == "key" else {**doc, draw(st.text(max_size=5)): text}
    if isinstance(doc, list):
        return [*doc, text]
    return text


def _all_forms(value: str) -> list[str]:
    """Numbers and IBANs are written raw, spaced or dashed; e-mail addresses and API keys only raw."""
    if "@" in value or value.startswith(("AKIA", "ghp_", "sk_live_")):
        return [value]
    return _forms(value)


@PROFILE
@given(documents_with_pii())
def test_inserted_pii_never_survives_redact(case: tuple[Any, str]) -> None:
    doc, value = case
    rendered = orjson.dumps(redact(doc, RedactionRules.everything()).value).decode()
    logged = repr(redact_value(doc))
    text = redact_text(orjson.dumps(doc).decode())
    for form in _all_forms(value):
        assert form not in rendered
        assert form not in logged
        assert form not in text


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(pii_values, emails, secrets), min_size=1, max_size=4), words, st.data())
def test_logs_never_contain_the_secrets_sent(raw: list[str], noise: str, data: st.DataObject) -> None:
    values = [data.draw(st.sampled_from(_all_forms(v))) for v in raw]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("bastion.property")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("request from %s with %s", noise, values[0])
        logger.warning("headers %s", [("authorization", f"Bearer {values[-1]}"), ("cookie", f"sid={values[0]}")])
        try:
            raise RuntimeError(f"upstream rejected {' '.join(values)}")
        except RuntimeError:
            logger.exception("failure %s", noise)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    output = stream.getvalue()
    for value in raw:
        for form in _all_forms(value):
            assert form not in output


# ---- digit runs: the pruned window search answers as the full one --------------------------------------
def _reference_digit_runs(text: str) -> str:
    """Every window of up to 19 digits from every group, longest first, classified (the search before pruning)."""
    import re

    from bastion.redaction.detectors import _MAX_DIGITS, DIGIT_RUN, _number_category

    def sub(m: re.Match[str]) -> str:
        run = m.group(0)
        groups = [(g.start(), g.end()) for g in re.finditer(r"\d+", run)]
        if sum(e - s for s, e in groups) < 7:
            return run
        out, pos, i = [], 0, 0
        while i < len(groups):
            found = None
            digits, candidates = "", []
            for j in range(i, len(groups)):
                digits += run[groups[j][0]:groups[j][1]]
                if len(digits) > _MAX_DIGITS:
                    break
                candidates.append((j, digits))
            international = i == 0 and run.startswith(("+", "(+"))
            for j, digits in reversed(candidates):
                if len(digits) >= 7:
                    category = _number_category(digits, international, tuple(e - s for s, e in groups[i:j + 1]))
                    if category is not None:
                        found = (j, category)
                        break
            if found is None:
                i += 1
                continue
            j, category = found
            start = 0 if i == 0 else groups[i][0]
            end = len(run) if j == len(groups) - 1 and run.endswith(")") else groups[j][1]
            out += [run[pos:start], f"[{category.value}]"]
            pos, i = end, j + 1
        out.append(run[pos:])
        return "".join(out)

    return DIGIT_RUN.sub(sub, text)


_digit_group = st.text(alphabet="0123456789", min_size=1, max_size=6)
_digit_separator = st.sampled_from([" ", "-", ".", "(", ")", " (", ") ", "  ", "-("])
digit_runs = st.builds(
    lambda prefix, groups, seps, tail: prefix + "".join(g + seps[k % len(seps)] for k, g in enumerate(groups)) + tail,
    st.sampled_from(["", "+", "(+", "(", "x "]), st.lists(_digit_group, min_size=1, max_size=24),
    st.lists(_digit_separator, min_size=1, max_size=4), st.sampled_from(["", ")", " end", "-"]),
)
_known_numbers = st.sampled_from(["4111 1111 1111 1111", "378282246310005", "123-45-6789", "+44 20 7946 0958",
                                  "(555) 123-4567", "+33 1 23 45 67 89",
                                  "1 85 05 78 006 084 91",  # a French NIR: 15 digits in short groups
                                  "411 111 111 111 1111",  # a card in five groups
                                  "1 212 736 5000", "123 45 6789"])  # four and three groups with short ones


@given(st.lists(st.one_of(digit_runs, _known_numbers), min_size=1, max_size=4))
@settings(PROFILE)
def test_digit_run_search_prunes_only_windows_no_category_accepts(parts: list[str]) -> None:
    from bastion.redaction.detectors import _digit_runs

    text = " 1 ".join(parts)
    assert _digit_runs(text, lambda c, raw: f"[{c.value}]") == _reference_digit_runs(text)
