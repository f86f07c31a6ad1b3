"""``make bench-waf``: bastion's waf against nginx + ModSecurity + OWASP CRS on one labelled corpus.

    python -m bench.waf [--no-modsec] [--misses] [--corpus bench/waf/corpus.jsonl]

The corpus (``bench/waf/corpus.jsonl``, built by ``bench/waf/build.py``) is run through bastion's
waf policy in-process (a path the gateway's normaliser refuses counts as blocked, and is shown
apart), and through nginx + libmodsecurity + CRS in blocking mode at paranoia levels 1 and 2,
started here on loopback ports with a temporary prefix in front of a ``return 200`` backend.
It prints detection per attack class and per location, and false positives per benign category,
for every split in the corpus (dev, held-out, fresh, fresh2, fresh3, fresh4 = GoTestWAF's cases, also by
encoder, and fresh5 = OWASP ZAP's active scan rules), then the waf's CPU cost. A body over
``max_body_bytes`` is refused with 413 and counts as blocked, shown apart (GoTestWAF counts a 413, like the
normaliser's 400, as *unresolved*).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bastion.chain.policy import PolicyDeps
from bastion.http.paths import PathError, normalize_path
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

HERE = Path(__file__).resolve().parent / "waf"
MODSEC_MODULE = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so"
MODSEC_CONF = """SecRuleEngine On
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" \
 "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "^application/json" \
 "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400"
SecPcreMatchLimit 1000
SecPcreMatchLimitRecursion 1000
SecResponseBodyAccess Off
SecTmpDir {prefix}/
SecDataDir {prefix}/
SecAuditEngine Off
SecArgumentSeparator &
SecCookieFormat 0
SecUnicodeMapFile /etc/nginx/unicode.mapping 20127
SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level={pl}"
Include /etc/modsecurity/crs/crs-setup.conf
Include /usr/share/modsecurity-crs/rules/*.conf
"""
NGINX_CONF = """load_module {module};
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log error;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  client_max_body_size 2m;
  server {{ listen 127.0.0.1:{backend}; location / {{ return 200 "ok\\n"; }} }}
  server {{
    listen 127.0.0.1:{port};
    modsecurity on;
    modsecurity_rules_file {prefix}/modsec.conf;
    location / {{ proxy_pass http://127.0.0.1:{backend}; }}
  }}
}}
"""


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def bastion_verdicts(corpus: list[dict[str, Any]]) -> dict[str, str]:
    """id -> "waf" | "normaliser" | "too-large" | "" (passed)."""
    import anyio

    policy = WafPolicy(WafConfig(), PolicyDeps())
    out: dict[str, str] = {}

    async def run() -> None:
        for item in corpus:
            raw_path, _, query = item["target"].partition("?")
            try:
                path = normalize_path(raw_path)
            except PathError:
                out[item["id"]] = "normaliser"
                continue
            body = item["body"].encode() if item["body"] is not None else None
            ex = make_exchange(
                item["method"], path, query=query, headers=[tuple(h) for h in item["headers"]], body=body
            )
            problem = await policy.on_request(ex)
            out[item["id"]] = "" if problem is None else "too-large" if problem.status == 413 else "waf"

    anyio.run(run)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def modsec_nginx(paranoia: int) -> Iterator[int]:
    """nginx + ModSecurity + CRS at ``paranoia`` on a loopback port; stopped (by its pid) on exit."""
    with tempfile.TemporaryDirectory(prefix="bastion-modsec-") as prefix:
        port, backend = _free_port(), _free_port()
        Path(prefix, "modsec.conf").write_text(MODSEC_CONF.format(prefix=prefix, pl=paranoia))
        user = "user root;" if os.geteuid() == 0 else ""
        conf = NGINX_CONF.format(module=MODSEC_MODULE, user=user, prefix=prefix, port=port, backend=backend)
        Path(prefix, "nginx.conf").write_text(conf)
        proc = subprocess.Popen(["nginx", "-p", prefix, "-e", f"{prefix}/error.log", "-c", f"{prefix}/nginx.conf"])
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(Path(prefix, "error.log").read_text()[-2000:]) from None
                    time.sleep(0.1)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def modsec_verdicts(corpus: list[dict[str, Any]], paranoia: int) -> dict[str, str]:
    out: dict[str, str] = {}
    with modsec_nginx(paranoia) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for item in corpus:
            body = item["body"].encode() if item["body"] is not None else None
            for attempt in range(2):
                try:
                    conn.putrequest(item["method"], item["target"], skip_accept_encoding=True)
                    for k, v in item["headers"]:
                        conn.putheader(k, v.encode("latin-1"))
                    if body is not None:
                        conn.putheader("content-length", str(len(body)))
                    conn.endheaders(body)
                    resp = conn.getresponse()
                    resp.read()
                    out[item["id"]] = "crs" if resp.status in (400, 403) else ""
                    if resp.will_close:
                        conn.close()
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    if attempt:
                        out[item["id"]] = "error"
        conn.close()
    return out


def _rate(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "   -"


def report(corpus: list[dict[str, Any]], engines: dict[str, dict[str, str]], split: str) -> None:
    items = [c for c in corpus if c["split"] == split]
    names = list(engines)
    width = 22
    print(
        f"\n=== split: {split}  ({sum(c['label'] == 'attack' for c in items)} attacks, "
        f"{sum(c['label'] == 'benign' for c in items)} benign) ==="
    )
    views = [
        ("attack", "class", "detection by class"),
        ("attack", "location", "detection by location"),
        ("attack", "encoder", "detection by encoder"),
        ("benign", "class", "false positives by category"),
        ("benign", "location", "false positives by location"),
        ("benign", "encoder", "false positives by encoder"),
    ]
    for label, key, title in [v for v in views if any(v[1] in c for c in items)]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in items:
            if c["label"] == label:
                groups[c[key]].append(c)
        groups["ALL"] = [c for c in items if c["label"] == label]
        print(f"\n{title:<14}" + "".join(f"{n:>{width}}" for n in names))
        for group, members in groups.items():
            row = "".join(
                f"{_rate(sum(bool(engines[n].get(c['id'])) for c in members), len(members)):>{width}}" for n in names
            )
            print(f"{group:<14}{row}")
    for name, verdicts in engines.items():
        errors = sum(verdicts.get(c["id"]) == "error" for c in items)
        if errors:
            print(f"({name}: {errors} requests failed at the transport level and count as blocked)")
    normalised = sum(engines["bastion"].get(c["id"]) == "normaliser" for c in items if c["label"] == "attack")
    print(f"\n(bastion: {normalised} attacks were refused by the path normaliser before the waf ran)")
    too_large = sum(engines["bastion"].get(c["id"]) == "too-large" for c in items if c["label"] == "attack")
    if too_large:
        print(f"(bastion: {too_large} attacks had a body over max_body_bytes and were refused with 413)")


def two_kb_order() -> bytes:
    """A realistic order: customer, a dozen or so lines, free text; grown to just over 2 KB."""
    lines: list[dict[str, object]] = []
    doc: dict[str, object] = {
        "customer": {"name": "Conan O'Brien", "email": "conan@example.com", "website": "https://example.com/"},
        "shipping": {"street": "10 Downing St.", "city": "London", "postcode": "SW1A 2AA", "country": "GB"},
        "lines": lines,
        "comment": "Rock 'n' roll -- select a plan that fits; see you at 5.",
    }
    while len(json.dumps(doc)) < 2048:
        n = len(lines)
        lines.append({"sku": f"SKU-{n:04d}", "qty": n % 3 + 1, "price": "19.99", "note": "Gift-wrap, thanks!"})
    return json.dumps(doc).encode()


def cost(rounds: int = 2000) -> float:
    """CPU microseconds per request for the waf on a 2 KB JSON POST body (best of 5 runs)."""
    import anyio

    body = two_kb_order()
    policy = WafPolicy(WafConfig(), PolicyDeps())
    headers = [
        ("content-type", "application/json"),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"),
        ("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2ln"),
    ]
    exchanges = [
        make_exchange("POST", "/api/v1/orders", query="expand=items", headers=headers, body=body) for _ in range(rounds)
    ]

    async def run() -> float:
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for ex in exchanges:
                assert await policy.on_request(ex) is None
            best = min(best, (time.process_time() - start) / rounds * 1e6)
        return best

    print(f"\nwaf CPU per request, {len(body)} B JSON POST: ", end="")
    return anyio.run(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus.jsonl")
    parser.add_argument("--no-modsec", action="store_true", help="bastion only")
    parser.add_argument("--misses", action="store_true", help="list bastion's misses and false positives")
    args = parser.parse_args()
    corpus = load(args.corpus)
    engines = {"bastion": bastion_verdicts(corpus)}
    if not args.no_modsec:
        for pl in (1, 2):
            engines[f"modsec+crs PL{pl}"] = modsec_verdicts(corpus, pl)
    for split in dict.fromkeys(c["split"] for c in corpus):
        report(corpus, engines, split)
    if args.misses:
        for c in corpus:
            hit = bool(engines["bastion"].get(c["id"]))
            if hit != (c["label"] == "attack"):
                print("MISS" if c["label"] == "attack" else "FP  ", c["id"], c["target"][:100], (c["body"] or "")[:160])
    print(f"{cost():.0f} µs")


if __name__ == "__main__":
    main()
