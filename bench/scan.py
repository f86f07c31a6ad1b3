"""``make bench-scan``: bastion scan against Schemathesis (``--checks all``) on the vulnerable sample API.

    python -m bench.scan [--no-schemathesis] [--max-examples N]

Each tool scans its own fresh instance of ``python -m bastion.samples.vulnapi`` on loopback (scans
change data). bastion logs in as alice, bob and admin; Schemathesis gets alice's token as a header.
The table shows wall time, requests, findings per OWASP API 2023 category, and how many of the flaws
planted in the sample (``samples/vulnapi/planted.py``) each tool reports. A Schemathesis failure
counts for a planted flaw when it is on the same operation and its check detects that kind of flaw
(table below), which is generous: a 5xx on the product endpoint counts as finding its SQL injection.
Schemathesis is installed into the venv with pip on first use (MIT licence).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import httpx

from bastion.samples.vulnapi import SPEC_PATH
from bastion.samples.vulnapi.planted import PLANTED

CATEGORIES = [f"API{i}:2023" for i in range(1, 11)]
LOGIN = """identities:
  a: {request: {method: POST, path: /api/v1/auth/login, json: {username: alice, password: alice-pass-1}}}
  b: {request: {method: POST, path: /api/v1/auth/login, json: {username: bob, password: bob-pass-2}}}
  admin: {request: {method: POST, path: /api/v1/auth/login, json: {username: admin, password: admin-pass-3}}}
"""
# Schemathesis failure code -> OWASP API 2023 category (or a bucket of its own).
ST_CATEGORY = {"ST401": "API2:2023", "ST402": "API1:2023", "ST101": "API8:2023", "ST204": "API8:2023",
               "ST112": "API4:2023", "ST201": "input validation", "ST203": "input validation"}
# Which Schemathesis codes count as reporting a planted flaw of a bastion rule family.
ST_DETECTS = {"bola": {"ST402"}, "auth": {"ST401"}, "misconfig.verbose-error": {"ST101"},
              "injection": {"ST101"}, "inventory.spec-mismatch": {"ST108"},
              "resource.unbounded-page-size": {"ST201"}, "resource.oversized-input": {"ST201"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SampleApi:
    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "bastion.samples.vulnapi", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                httpx.get(self.url + "/api/v1/health", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the sample API did not start")

    def token(self, user: str, password: str) -> str:
        r = httpx.post(self.url + "/api/v1/auth/login", json={"username": user, "password": password})
        return str(r.json()["token"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def run_bastion(workdir: Path) -> dict[str, object]:
    api = SampleApi()
    try:
        (workdir / "login.yaml").write_text(LOGIN)
        out = workdir / "bastion.json"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bastion", "scan", "--spec", str(SPEC_PATH), "--target", api.url,
                        "--login-flow", str(workdir / "login.yaml"), "--allow-unsafe-methods", "--rate", "200",
                        "--format", "json", "-o", str(out)], check=False, capture_output=True)
        seconds = time.perf_counter() - started
    finally:
        api.stop()
    report = json.loads(out.read_text())
    findings = report["findings"]
    found = sum(any(f["rule_id"] == rule and (op is None or f["location"].get("operation") == op)
                    for f in findings) for rule, op, _ in PLANTED)
    return {"seconds": seconds, "requests": report["stats"].get("requests"), "found": found,
            "categories": Counter(f["owasp"] or "other" for f in findings), "total": len(findings)}


def ensure_schemathesis() -> Path:
    exe = Path(sys.executable).with_name("schemathesis")
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "schemathesis"], check=True)
    return exe


def st_failures(junit: Path) -> list[tuple[str, str]]:
    """(operation, failure code) pairs, deduplicated."""
    out: set[tuple[str, str]] = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        for failure in case.iter("failure"):
            for code in re.findall(r"ST\d{3}", (failure.get("message") or "") + (failure.text or "")):
                out.add((case.get("name") or "", code))
    return sorted(out)


def run_schemathesis(workdir: Path, max_examples: int) -> dict[str, object]:
    exe = ensure_schemathesis()
    api = SampleApi()
    junit = workdir / "schemathesis.xml"
    try:
        token = api.token("alice", "alice-pass-1")
        started = time.perf_counter()
        subprocess.run([str(exe), "run", str(SPEC_PATH), "--url", api.url, "--checks", "all",
                        "-H", f"Authorization: Bearer {token}", "--max-examples", str(max_examples),
                        "--report", "junit", "--report-junit-path", str(junit), "--no-color"],
                       check=False, capture_output=True, cwd=workdir)
        seconds = time.perf_counter() - started
    finally:
        api.stop()
    failures = st_failures(junit) if junit.exists() else []
    found = 0
    for rule, op, _ in PLANTED:
        codes = next((c for family, c in ST_DETECTS.items() if rule.startswith(family)), set())
        found += any(code in codes and (op is None or name == op) for name, code in failures)
    return {"seconds": seconds, "requests": None, "found": found, "total": len(failures),
            "categories": Counter(ST_CATEGORY.get(code, "API9:2023") for _, code in failures)}


def table(results: dict[str, dict[str, object]]) -> str:
    names = list(results)
    rows = [("", *names), ("time (s)", *(f"{r['seconds']:.1f}" for r in results.values())),
            ("requests", *(str(r["requests"] or "-") for r in results.values())),
            (f"planted flaws found (of {len(PLANTED)})", *(str(r["found"]) for r in results.values())),
            ("findings / failures", *(str(r["total"]) for r in results.values()))]
    buckets = sorted({k for r in results.values() for k in r["categories"]},  # type: ignore[attr-defined]
                     key=lambda k: (CATEGORIES.index(k) if k in CATEGORIES else 99, k))
    for bucket in buckets:
        rows.append((bucket, *(str(r["categories"].get(bucket, 0)) for r in results.values())))  # type: ignore[attr-defined]
    width = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-schemathesis", action="store_true")
    parser.add_argument("--max-examples", type=int, default=10, help="Schemathesis examples per operation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results = {"bastion scan": run_bastion(workdir)}
        if not args.no_schemathesis:
            results["schemathesis --checks all"] = run_schemathesis(workdir, args.max_examples)
    print(table(results))


if __name__ == "__main__":
    main()
