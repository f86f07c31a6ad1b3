"""Unit: hard benign traffic passes the waf at its default setting, in bodies, queries and headers."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

HARD_CASES = {
    "irish_name": ("name", "Conan O'Brien"),
    "italian_name": ("name", "D'Angelo Russell"),
    "company_ampersand_apostrophe": ("name", "Ben & Jerry's"),
    "prose_select_a_plan": ("comment", "Please select a plan that fits your team."),
    "prose_union_select": ("comment", "Union members can select from two options."),
    "prose_drop_update": ("comment", "Drop me a line when you're back; update the doc."),
    "prose_delete_from_cart": ("comment", "I'd like to order 2 or 3 items, and delete the old one from my cart."),
    "prose_dashes": ("comment", "Don't forget: the meeting is at 5 o'clock -- bring snacks!"),
    "prose_equals": ("comment", "Is 1 = 1? Yes, and 2 > 1 too."),
    "sql_snippet": ("comment", "SELECT COUNT(*) FROM orders WHERE status = 'paid'"),
    "python_snippet": ("comment", "def add(a, b):\n    return a + b"),
    "js_snippet": ("comment", "if (x > 0 && y < 10) { console.log('ok'); }"),
    "shell_snippet": ("comment", "kubectl get pods -n prod | grep api"),
    "install_snippet": ("comment", "curl -fsSL https://get.example.com | sh"),
    "java_generics": ("comment", "Map<String, List<Integer>> index = new HashMap<>();"),
    "mustache_template": ("template", "Hello {{name}}, your order {{order.id}} has shipped."),
    "markdown_notes": ("comment", "# Release notes\n\n- Fixed **login** bug\n- Added `--verbose` flag"),
    "markdown_table": ("comment", "| id | name |\n|----|------|\n| 1 | Alice |"),
    "markdown_link": ("comment", "See [the docs](https://docs.example.com/guide#setup) for details."),
    "simple_html": ("comment", "<p>Thanks for the <b>quick</b> reply!</p>"),
    "slack_webhook": ("webhook_url", "https://hooks.slack.com/services/T000/B000/XXXXXXXX"),
    "github_webhook": ("callback_url", "https://api.github.com/repos/org/repo/hooks"),
    "email_plus": ("email", "bob.smith+newsletter@example.co.uk"),
    "email_apostrophe": ("email", "o'brien@example.ie"),
    "price_dollar": ("price", "$1,299.00"),
    "price_euro": ("price", "€ 45,50"),
    "jwt": ("token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
                     "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
    "base64_png": ("image", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
                            "AAAABJRU5ErkJggg=="),
    "chinese": ("comment", "这是一个很好的产品，我很喜欢。"),
    "russian": ("comment", "Отличный товар, рекомендую!"),
    "arabic": ("comment", "هذا منتج رائع جداً"),
    "japanese": ("comment", "とても良い商品です。ありがとう！"),
    "emoji": ("comment", "🎉🚀 Great release! 👍"),
    "windows_path": ("file", "C:\\Users\\alice\\Documents\\report.docx"),
    "private_ip_in_plain_field": ("device_ip", "192.168.1.10"),
    "json_schema_key_text": ("comment", '{"$schema": "https://json-schema.org/draft/2020-12/schema"}'),
    "long_text": ("comment", " ".join(["Rock 'n' roll or jazz? Both, please; it's 100% cotton."] * 80)),
}


@pytest.fixture(scope="module")
def policy() -> WafPolicy:
    return WafPolicy(WafConfig(), PolicyDeps())


@pytest.mark.anyio
@pytest.mark.parametrize(("field", "value"), HARD_CASES.values(), ids=HARD_CASES.keys())
async def test_benign_value_passes_in_json_body(policy: WafPolicy, field: str, value: str) -> None:
    body = json.dumps({"order": {"id": 42, "customer": {field: value}}}, ensure_ascii=False).encode()
    ex = make_exchange("POST", "/api/v1/orders", headers=[("content-type", "application/json")], body=body)
    assert await policy.on_request(ex) is None, ex.notes.get("waf")


@pytest.mark.anyio
@pytest.mark.parametrize(("field", "value"), HARD_CASES.values(), ids=HARD_CASES.keys())
async def test_benign_value_passes_in_query_and_form(policy: WafPolicy, field: str, value: str) -> None:
    encoded = f"{field}={quote(value, safe='')}"
    ex = make_exchange("GET", "/api/v1/search", query=encoded)
    assert await policy.on_request(ex) is None, ex.notes.get("waf")
    ex = make_exchange("POST", "/api/v1/search", headers=[("content-type", "application/x-www-form-urlencoded")],
                       body=encoded.encode())
    assert await policy.on_request(ex) is None, ex.notes.get("waf")


@pytest.mark.anyio
async def test_real_browser_headers_pass(policy: WafPolicy) -> None:
    headers = [
        ("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("accept-language", "en-US,en;q=0.9"), ("referer", "https://app.example.com/orders?page=2"),
        ("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2ln"),
        ("cookie", "sid=s%3A8f2a.b7c; theme=dark; consent={\"ads\":false}"),
        ("if-none-match", 'W/"etag-123"'), ("x-request-id", "9f1c2b7e-4d1a-4f3b-9a57-0c1d2e3f4a5b"),
    ]
    assert await policy.on_request(make_exchange("GET", "/api/v1/orders/ORD-1", headers=headers)) is None


@pytest.mark.anyio
async def test_benign_xml_document_passes(policy: WafPolicy) -> None:
    body = (b'<?xml version="1.0"?><order id="42"><note>Tom &amp; Jerry; cat lovers</note>'
            b"<name>O'Brien</name></order>")
    ex = make_exchange("POST", "/x", headers=[("content-type", "application/xml")], body=body)
    assert await policy.on_request(ex) is None, ex.notes.get("waf")
