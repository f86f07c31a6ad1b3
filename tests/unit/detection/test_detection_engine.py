"""Unit: the engine — prefilter backends agree, decoding is reported, classes can be switched off."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.engine import SNIFF, SNIFF_RUN
from bastion.detection.fields import MAX_POINTER_DEPTH, xml_fields
from bastion.detection.prefilter import TRIGGERS, Prefilter
from bastion.detection.rules import RULES, redact

SAMPLES = [
    "' or 1=1--", "<script>", "hello world", "19.99", "${jndi:x}", "a;b|c", "../x", "http://x/", "{{7*7}}",
    "O'Brien", "__proto__", "$ne", ")(uid=*", "<!ENTITY", "line\nX-A: 1", "\u2028", "12 apples, 3 pears",
]


def test_hyperscan_and_re_backends_agree() -> None:
    hs = Prefilter(TRIGGERS)
    plain = Prefilter(TRIGGERS, use_hyperscan=False)
    assert plain.backend == "re"
    for sample in SAMPLES:
        assert hs.scan(sample) == plain.scan(sample), sample


def test_batch_scan_equals_single_scans() -> None:
    pre = Prefilter(TRIGGERS)
    ascii_samples = [s for s in SAMPLES if s.isascii()]
    assert pre.scan_many(ascii_samples) == [pre.scan(s) for s in ascii_samples]


RUN_SAMPLES = [
    "x" * 16, "x" * 15, "hello world", "a" * 15 + " " + "b" * 15, "dGhpcyBpcyBiYXNlNjQgdGV4dA==",
    "prose then QUJDREVGR0hJSktMTU5PUA tail", "ABCDEFGH/ijklmno+", "application/json", "0123456789abcde",
    "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln", "12 apples, 3 pears", "ü" * 20, "x" * 8 + "-" + "y" * 8,
]


@pytest.mark.parametrize("use_hyperscan", [True, False])
def test_run_trigger_marks_exactly_the_values_with_a_long_run(use_hyperscan: bool) -> None:
    """The base64 run is found by translate/find, not by an automaton: batched, alone and on either backend it
    marks a value exactly when 16 characters of the alphabet follow each other in it (NUL joins never count)."""
    pre = Prefilter({"marker": rb"qqzzqq"}, use_hyperscan=use_hyperscan, run=SNIFF_RUN)
    expected = [any(len(w) >= 16 for w in _runs(s)) for s in RUN_SAMPLES]
    assert [SNIFF in pre.scan(s) for s in RUN_SAMPLES] == expected
    ascii_samples = [s for s in RUN_SAMPLES if s.isascii()]
    batched = pre.scan_many(ascii_samples)
    assert batched == [pre.scan(s) for s in ascii_samples]
    joined_halves = ["x" * 8, "y" * 8, "z" * 8]  # 24 letters in a row only across the NUL joins
    assert all(SNIFF not in hit for hit in pre.scan_many(joined_halves))


def _runs(value: str) -> list[str]:
    out, cur = [], ""
    for c in value:
        if c.isascii() and (c.isalnum() or c in "+/"):
            cur += c
        else:
            out.append(cur)
            cur = ""
    return [*out, cur]


def test_every_rule_has_owasp_and_cwe_ids() -> None:
    for rule in RULES.values():
        assert rule.id == f"waf.{rule.attack}"
        assert rule.owasp.startswith("API") and rule.web.startswith("A") and rule.cwe > 0


def test_detection_after_decoding_is_marked(engine: Engine) -> None:
    found = engine.inspect("%27%20or%201%3D1--", Context("query", "q"))
    assert found is not None and found.rule.attack == "sqli" and found.decoded


def test_disabled_class_is_not_reported() -> None:
    assert Engine(["xss"]).inspect("<script>alert(1)</script>", Context("body")) is None


def test_unknown_class_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="unknown attack classes"):
        Engine(["sqlx"])


def test_skip_set_per_field(engine: Engine) -> None:
    assert engine.inspect("' or 1=1--", Context("body"), skip=frozenset({"sqli"})) is None


def test_first_returns_the_first_field_in_order(engine: Engine) -> None:
    fields = [("/a", "fine", Context("body")), ("/b", "<svg onload=alert(1)>", Context("body")),
              ("/c", "' or 1=1--", Context("body"))]
    hit = engine.first(fields)
    assert hit is not None and hit[0] == 1 and hit[1].rule.attack == "xss"


def test_redaction_elides_long_runs_and_escapes_controls() -> None:
    out = redact("token=abcdefghijklmnopqrstuvwxyz0123456789\r\n", 0, 44)
    assert "qrstuvwxyz" not in out and "…" in out and "\\r\\n" in out


def test_engine_without_hyperscan_gives_the_same_answers(engine: Engine) -> None:
    fallback = Engine(use_hyperscan=False)
    assert fallback.prefilter.backend == "re"
    fields = [(f"/f/{i}", s, Context("body", "note")) for i, s in enumerate(SAMPLES)]
    for i in range(len(fields)):  # (one compiled engine: each compile of the prefilter takes seconds)
        expected, got = engine.first(fields[i:]), fallback.first(fields[i:])
        assert (expected and (expected[0], expected[1].rule.id)) == (got and (got[0], got[1].rule.id))


def test_next_line_character_reaches_the_crlf_analyser(engine: Engine) -> None:
    """U+0085 (NEL) is a line break to some header writers; the prefilter must let the CRLF rule see it."""
    found = engine.inspect("\x85Set-Cookie: x=1", Context("query", "q"))
    assert found is not None and found.rule.attack == "crlf"


def test_url_in_path_with_merged_slashes_is_an_ssrf_target(engine: Engine) -> None:
    """The path normaliser turns ``/fetch/http://127.0.0.1/`` into ``/fetch/http:/127.0.0.1/``."""
    found = engine.inspect("/api/fetch/http:/127.0.0.1/", Context("path"))
    assert found is not None and found.rule.attack == "ssrf"
    assert engine.inspect("/docs/http:/intro", Context("path")) is None


def test_xml_element_keeps_a_line_break_glued_to_its_text(engine: Engine) -> None:
    doc = "<?xml version='1.0'?><order><note>\r\nSet-Cookie: a=b</note><id>\n    42\n  </id></order>"
    values = {pointer: value for pointer, value, ctx in xml_fields(doc) if ctx.kind == "body"}
    assert values["/body/order/note"] == "\r\nSet-Cookie: a=b"
    assert values["/body/order/id"] == "42"  # pretty-printing indentation is not part of the value
    hit = engine.first(list(xml_fields(doc)))
    assert hit is not None and hit[1].rule.attack == "crlf"


def test_deeply_nested_xml_is_walked_in_linear_space_and_still_inspected(engine: Engine) -> None:
    """5,000 nested elements (a 40 KB body) used to rebuild each element's full path at every token:
    quadratic, seconds of CPU per request. Pointers now stop growing at MAX_POINTER_DEPTH and the
    payload at the bottom is still found."""
    depth = 5000
    doc = "<a>" * depth + "' union select password from users--" + "</a>" * depth
    fields = list(xml_fields(doc))
    assert sum(len(pointer) for pointer, _, _ in fields) < 50 * len(doc)
    assert max(len(pointer) for pointer, _, _ in fields) <= len("/body") + 2 * MAX_POINTER_DEPTH
    hit = engine.first(fields)
    assert hit is not None and hit[1].rule.attack == "sqli"


def test_xml_pointers_name_the_element_path() -> None:
    doc = "<?xml version='1.0'?><r a='1'><b>x<c k='v'/>y</b><d>z</d></r>"
    got = [(pointer, value) for pointer, value, ctx in xml_fields(doc) if ctx.kind == "body"]
    assert got == [("/body/r/@a", "1"), ("/body/r/b", "x"), ("/body/r/b/c/@k", "v"), ("/body/r/b", "y"),
                   ("/body/r/d", "z")]



def test_a_stylesheet_instruction_href_is_inspected(engine: Engine) -> None:
    """``<?xml-stylesheet href=…?>``: the parser that applies the stylesheet fetches it and a browser shown the document
    runs a ``javascript:`` one; the XML declaration's own pseudo-attributes are not values."""
    doc = "<?xml version='1.0'?><?xml-stylesheet type='text/xsl' href='style.xsl'?><r>1</r>"
    got = [(pointer, value) for pointer, value, ctx in xml_fields(doc) if ctx.kind == "body"]
    assert got == [("/body/?xml-stylesheet/@type", "text/xsl"), ("/body/?xml-stylesheet/@href", "style.xsl"),
                   ("/body/r", "1")]
    assert engine.first(list(xml_fields(doc))) is None
    private = "<test><?mypi my='1' quotes=\"' '\" cmd='a; b'?></test>"  # an application's own instruction: no values
    assert [p for p, _, ctx in xml_fields(private) if ctx.kind == "body"] == []
    for href, attack in (("javascript:alert(document.domain)", "xss"),
                         ("http://169.254.169.254/latest/meta-data/", "ssrf")):
        hit = engine.first(list(xml_fields(f'<?xml-stylesheet type="text/xsl" href="{href}"?><root/>')))
        assert hit is not None and hit[1].rule.attack == attack, href

def test_a_base64_run_is_sniffed_wherever_it_starts_and_reported_once_per_run(engine: Engine) -> None:
    """The sniff trigger matches a run of 16 base64 characters from its start: hyperscan reports each run once (it
    reported every position past the 16th, one Python callback each: ~450 µs for a 1,900-character value)."""
    import base64

    from bastion.detection.engine import SNIFF

    hidden = base64.b64encode(b"' or '1'='1' -- ").decode()
    body = Context("body", "note")
    fields = [("/body/a", "plain words here", body), ("/body/b", "see: " + hidden, body), ("/body/c", hidden, body)]
    hits = engine.prefilter.scan_hits([f[1] for f in fields])
    assert SNIFF in hits.get(1, set()) and SNIFF in hits.get(2, set()) and SNIFF not in hits.get(0, set())
    assert engine.first(fields[2:3], None, None) is not None  # the whole value is decoded and caught
    calls = 0

    def count(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
        nonlocal calls
        calls += 1

    db = engine.prefilter._db
    if db is not None:  # hyperscan backend
        db.scan(b"x" * 1900 + b"\x00" + b"y" * 1900, match_event_handler=count)
        assert calls <= 4


def test_an_analyser_that_raises_refuses_the_value_and_logs_no_part_of_it(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A detector bug on some crafted value must neither let it through nor become a 500: the value is refused as
    that class, and the log names the analyser and the failing line, never the value (an exception's message may
    quote it)."""
    from bastion.detection import engine as engine_module

    def broken(value: str, ctx: Context) -> tuple[int, int] | None:
        raise ValueError(f"cannot parse {value!r}")

    monkeypatch.setitem(engine_module.ANALYSERS, "sqli", broken)
    secret = "it's O'Brien-secret-4111111111111111"
    found = Engine().inspect(secret, Context("query", "q"))
    assert found is not None and found.rule is RULES["sqli"]
    assert "broken" not in caplog.text and "4111111111111111" not in caplog.text and "O'Brien" not in caplog.text
    assert "waf analyser sqli failed (ValueError at test_detection_engine.py:" in caplog.text


@pytest.mark.parametrize("value", ["9'union all", "9' union", "1 union", "x'union all --", "'exec", "'declare"])
def test_a_statement_cut_after_its_first_keyword_does_not_raise(value: str) -> None:
    """fresh30's CRS value ``9'union all`` made the T-SQL procedure check index an empty token list (IndexError,
    a 500 before the engine caught analyser failures)."""
    from bastion.detection.sqli import is_sqli

    is_sqli(value)


def test_url_named_fields_are_found_by_name_once_as_by_context() -> None:
    from bastion.detection.engine import _bare_host_field, _bare_host_fields
    from bastion.detection.fields import body_fields, request_fields
    from bastion.testing.exchange import make_exchange

    body = b'{"url":"a","callback":"b","items":[{"image_url":"c","name":"d"}],"redirect":{"x":"e"},"note":"f"}'
    ex = make_exchange("POST", "/fetch/url", query="target=x&q=y&webhook=z",
                       headers=[("content-type", "application/json"), ("referer", "r"), ("x-url", "u"),
                                ("cookie", "next=n; s=1")], body=body)
    fields = [*request_fields(ex.request, frozenset()), *body_fields(body, "application/json")]
    indexes = list(range(len(fields)))
    expected = [i for i in indexes if _bare_host_field(fields[i][2])]  # one judgement per field, as before
    assert _bare_host_fields(fields, indexes) == expected
    assert {fields[i][0] for i in expected} >= {"/body/url", "/body/callback", "/query/target"}
    assert not any(fields[i][2].kind == "header" for i in expected)  # headers are never bare-host fields
    assert _bare_host_fields(fields, indexes[::2]) == [i for i in expected if i % 2 == 0]  # only the given ones


def test_metadata_host_reads_ideographic_full_stops_and_ascii_alike() -> None:
    from bastion.detection.ssrf import metadata_host

    assert metadata_host("169.254.169.254") and metadata_host("169\u3002254\u3002169\u3002254:80")
    assert metadata_host("169\uff0e254.169\uff61254.") and not metadata_host("127.0.0.1:8080")
