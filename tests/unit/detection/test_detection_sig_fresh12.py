"""Unit: XSS, XXE, CRLF and traversal shapes of the fresh12 misses (CRS v4 regression inputs): JavaScript with no
markup split by block comments or with its object in parentheses, script bindings in CSS, an external entity declared
without its ``<``, a schema fetched from a foreign or internal place, an HTTP request line after a line break, and
overlong UTF-8 in a query string that the query parser would have replaced by U+FFFD. Each attack has the shape of a
corpus case with other values; the benign values have the same look."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.fields import body_fields, request_fields
from bastion.http.headers import Headers
from bastion.http.messages import RequestHead

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
DOC = Context("document")

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

ATTACKS: dict[str, tuple[str, Context, str]] = {
    # JavaScript with no markup: block comments read as spaces, the object in parentheses
    "cookie_read_split_by_comments": ("document/**/./* x */domain", QUERY, "xss"),
    "window_call_split_by_comments": ("top /*a*/ [ /*b*/ 'prompt' ] (origin)", BODY, "xss"),
    "write_split_by_a_comment": ("document/*-*/.write(location.hash)", HEADER, "xss"),
    "parenthesised_document_domain": ("(document)['domain']", QUERY, "xss"),
    "parenthesised_document_with_comment": ("( document /**/ ).cookie", BODY, "xss"),
    # script in CSS wherever the value lands in a style
    "moz_binding_declaration": ("color:red;-moz-binding: url('//evil.example/b.xml#x')", QUERY, "xss"),
    "ie_behavior_declaration": ("behavior:url(/uploads/x.htc)", BODY, "xss"),
    # external entities and schemas
    "parameter_entity_without_angle": ("x!ENTITY % remote SYSTEM", QUERY, "xxe"),
    "general_entity_without_angle": ('!ENTITY ext PUBLIC "-//X//EN" "http://evil.example/x.dtd"', BODY, "xxe"),
    "schema_on_another_site": (f'<r xmlns="urn:x" {XSI} xsi:schemaLocation="http://shop.example/ns '
                               'http://q7w8e9r0t1y2.probe.example.net/s.xsd"/>', BODY, "xxe"),
    "schema_on_an_internal_host": (f'<r {XSI} xsi:noNamespaceSchemaLocation="http://10.0.3.7:8080/s.xsd"/>',
                                   DOC, "xxe"),
    "schema_from_a_local_file": (f"<r {XSI} xsi:noNamespaceSchemaLocation='file:///etc/hostname'/>", QUERY, "xxe"),
    "schema_on_metadata_address": (f'<r {XSI} xsi:schemaLocation="http://shop.example/ns '
                                   'http://169.254.169.254/latest/meta-data/"/>', DOC, "xxe"),
    # request splitting: a line break, then a whole request line
    "request_line_ends_the_value": ("ok\r\nDELETE /api/users/1 HTTP/1.1", QUERY, "crlf"),
    "request_line_then_a_break": ("\nPUT /admin HTTP/1.0\n\n", BODY, "crlf"),
    "request_line_then_a_header": ("a\nPOST /transfer HTTP/1.1\nContent-Length: 5", BODY, "crlf"),
    "absolute_form_request_line": ("x\nOPTIONS http://internal.example/ HTTP/1.1", HEADER, "crlf"),
}


@pytest.mark.parametrize(("name", "value", "ctx", "attack"), [(k, *v) for k, v in ATTACKS.items()],
                         ids=ATTACKS.keys())
def test_fresh12_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == attack


BENIGN: dict[str, tuple[str, Context]] = {
    # code snippets with block comments and parentheses
    "commented_code": ("const n = items.length; /* cached */ return n * 2;", BODY),
    "comment_about_cookies": ("/* read the cookie banner text */ banner.text()", BODY),
    "jsdoc_block": ("/** @param {string} id */ function load(id) { return api.get(id); }", BODY),
    "css_comment_in_style": ("/* brand */ color: #333; background: url(/img/bg.png)", BODY),
    "glob_in_a_path": ("/srv/*/logs/*.txt", QUERY),
    "document_in_prose": ("(document) attached; see the cookie policy", BODY),
    "parenthesised_word": ("Sign the (document) and return it", QUERY),
    "timer_in_code": ("setInterval(poll, 1000)", BODY),
    # CSS that is not a binding or a behavior
    "ordinary_declarations": ("color: red; background: url(https://cdn.example.com/a.png)", BODY),
    "behaviour_in_prose": ("Expected behavior: url is kept", BODY),
    "scroll_behavior": ("scroll-behavior: smooth", BODY),
    # XML that names its own schemas, prose about entities
    "maven_pom_head": ('<project xmlns="http://maven.apache.org/POM/4.0.0" ' + XSI + ' xsi:schemaLocation='
                       '"http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">', DOC),
    "sitemap_head": ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ' + XSI + ' xsi:schemaLocation='
                     '"http://www.sitemaps.org/schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/'
                     'sitemap.xsd">', BODY),
    "spring_beans": ('<beans xmlns="http://www.springframework.org/schema/beans" ' + XSI + ' xsi:schemaLocation='
                     '"http://www.springframework.org/schema/beans https://www.springframework.org/schema/beans/'
                     'spring-beans.xsd">', DOC),
    "relative_schema": (f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03" {XSI} '
                        'xsi:schemaLocation="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03 pain.001.001.03.xsd">',
                        DOC),
    "dublin_core_on_its_own_site": (f'<oai_dc:dc {XSI} xsi:schemaLocation="http://purl.org/dc/elements/1.1/ '
                                    'http://dublincore.org/schemas/xmls/simpledc20021212.xsd">', DOC),
    "entity_in_prose": ("The entity system (ECS) is fast!", BODY),
    "shouting_entity": ("ENTITY SYSTEM DOWN!", BODY),
    # HTTP in multi-line prose
    "http_version_in_prose": ("We moved to HTTP/2 last week.\nGET requests over HTTP/1.1 still work.", BODY),
    "request_line_in_a_sentence": ("Repro:\nGET / HTTP/1.1 returns 400 since the upgrade", BODY),
    "changelog_lines": ("v2.1\nPOST /orders now returns 201\nDELETE is idempotent", BODY),
    "capitalised_line_in_prose": ("Intro\nPut simply HTTP/2", BODY),
    "lower_case_request_line": ("notes\nget / http/1.1", BODY),
    "request_in_a_markdown_fence": ("Example:\n```\nGET /v1/users HTTP/1.1\n```\nreturns the list", BODY),
    "german_prose": ("Hinweis:\nDie Anfrage GET /api nutzt HTTP/1.1 und TLS.", BODY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_same_shape_benign_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


def _head(query: str) -> RequestHead:
    return RequestHead(method="GET", path="/files", raw_path="/files", query_string=query, headers=Headers())


def _first(engine: Engine, fields: list[tuple[str, str, Context]]) -> str | None:
    hit = engine.first(fields)
    return None if hit is None else hit[1].rule.attack


def test_overlong_dots_in_the_query_are_read_as_sent(engine: Engine) -> None:
    """``parse_qsl`` turns ``%c0%ae`` into U+FFFD; the value as sent is inspected too, where it reads "../"."""
    fields = list(request_fields(_head("page=2&file=%c0%ae%c0%ae%c0%afboot.ini"), frozenset()))
    assert ("/query/file", "%c0%ae%c0%ae%c0%afboot.ini", Context("query", "file")) in fields
    assert _first(engine, fields) == "traversal"


def test_overlong_slash_in_a_form_body_is_read_as_sent(engine: Engine) -> None:
    fields = list(body_fields(b"a=1&path=%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afshadow",
                              "application/x-www-form-urlencoded"))
    assert _first(engine, fields) == "traversal"


@pytest.mark.parametrize("query", [
    "q=caf%C3%A9&lang=fr",            # valid UTF-8: no raw form added
    "name=%E6%97%A5%E6%9C%AC",        # Japanese
    "q=%ff%fe%fd&x=1",                # bytes that are no UTF-8 and spell nothing
    "title=Na%EFve+caf%E9",          # Latin-1 from an old client
])
def test_query_text_and_stray_bytes_pass(engine: Engine, query: str) -> None:
    assert _first(engine, list(request_fields(_head(query), frozenset()))) is None
