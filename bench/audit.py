"""``make bench-audit``: bastion audit against Spectral + @stoplight/spectral-owasp-ruleset, side by side.

    python -m bench.audit [--no-real] [--no-spectral]

Spectral and the ruleset are installed with npm on first use into ``bench/results/spectral`` (gitignored);
GitHub's published OpenAPI description (npm ``@octokit/openapi``, MIT) is unpacked into
``bench/results/specs`` as the real-world large spec. Synthetic specs of 50 and 1,000 operations are
generated there too. Each tool runs as its own process on the same file; the table shows wall time,
peak RSS, findings, findings per operation and findings per OWASP API 2023 category. On the planted-flaw
fixtures it also counts how many planted flaws each tool reports (Spectral rules mapped to ours below).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SPECTRAL_DIR = RESULTS / "spectral"
SPECS_DIR = RESULTS / "specs"
FIXTURES = ROOT / "tests" / "fixtures" / "specs" / "audit"
SPECTRAL_PACKAGES = ["@stoplight/spectral-cli@6.16.3", "@stoplight/spectral-owasp-ruleset@2.0.1"]
GITHUB_SPEC = "@octokit/openapi@23.0.2"
CATEGORIES = [f"API{i}:2023" for i in range(1, 11)]

# Spectral OWASP rule -> the bastion rule that reports the same flaw (for the planted-flaw recall count).
SPECTRAL_TO_BASTION = {
    "owasp:api1:2023-no-numeric-ids": "authz.sequential-id",
    "owasp:api2:2023-no-http-basic": "auth.http-basic",
    "owasp:api2:2023-auth-insecure-schemes": "auth.http-basic",
    "owasp:api2:2023-no-api-keys-in-url": "auth.credentials-in-url",
    "owasp:api2:2023-no-credentials-in-url": "auth.credentials-in-url",
    "owasp:api2:2023-read-restricted": "auth.missing-security",
    "owasp:api2:2023-write-restricted": "auth.missing-security",
    "owasp:api3:2023-no-additionalProperties": "input.additional-properties",
    "owasp:api3:2023-constrained-additionalProperties": "input.additional-properties",
    "owasp:api4:2023-rate-limit": "ratelimit.missing-headers",
    "owasp:api4:2023-rate-limit-retry-after": "ratelimit.missing-headers",
    "owasp:api4:2023-rate-limit-responses-429": "ratelimit.undeclared",
    "owasp:api4:2023-array-limit": "input.unbounded",
    "owasp:api4:2023-string-limit": "input.unbounded",
    "owasp:api4:2023-integer-limit": "input.unbounded",
    "owasp:api4:2023-integer-limit-legacy": "input.unbounded",
    "owasp:api4:2023-string-restricted": "input.string-unrestricted",
    "owasp:api4:2023-integer-format": "input.integer-format",
    "owasp:api5:2023-admin-security-unique": "authz.admin-shared-scheme",
    "owasp:api8:2023-no-server-http": "transport.http-url",
    "owasp:api8:2023-define-error-responses-401": "responses.missing-errors",
    "owasp:api8:2023-define-error-responses-500": "responses.missing-errors",
    "owasp:api8:2023-define-error-validation": "responses.missing-errors",
    "owasp:api9:2023-inventory-environment": "inventory.non-production-server",
    "owasp:api9:2023-inventory-access": "inventory.server-audience",
    "owasp:api8:2023-define-cors-origin": "responses.cors-undeclared",
    "owasp:api7:2023-concerning-url-parameter": "input.url",
    "owasp:api8:2023-no-scheme-http": "transport.http-url",
    "owasp:api2:2023-jwt-best-practices": "auth.jwt-practices",
    "owasp:api2:2023-short-lived-access-tokens": "auth.no-refresh",
}


@dataclass
class Run:
    tool: str
    seconds: float
    """Best wall time of the repeats."""
    rss_mb: float
    ok: bool
    cpu: float = 0.0
    """User+system CPU seconds of that run (less sensitive than wall time to other load on the machine)."""
    findings: list[tuple[str, str]] = field(default_factory=list)
    """(rule id, OWASP category) per finding."""
    note: str = ""


def measure(cmd: list[str], cwd: Path | None = None, timeout: float = 600) -> tuple[float, float, int, str, float]:
    """Wall seconds, peak RSS (MB), exit status, stderr and CPU seconds of one process (rusage via wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode, err, usage.ru_utime + usage.ru_stime


def repeated(cmd: list[str], cwd: Path, repeats: int) -> tuple[float, float, int, str, float]:
    """The best run (by wall time) of ``repeats``: on a shared machine the least disturbed one."""
    return min((measure(cmd, cwd) for _ in range(repeats)), key=lambda r: r[0])


def ensure_spectral() -> Path:
    binary = SPECTRAL_DIR / "node_modules" / ".bin" / "spectral"
    if not binary.exists():
        SPECTRAL_DIR.mkdir(parents=True, exist_ok=True)
        print("installing Spectral and the OWASP ruleset with npm ...", flush=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *SPECTRAL_PACKAGES],
                       cwd=SPECTRAL_DIR, check=True)
    (SPECTRAL_DIR / ".spectral.yaml").write_text('extends: ["@stoplight/spectral-owasp-ruleset"]\n')
    return binary


def ensure_github_spec() -> Path | None:
    target = SPECS_DIR / "api.github.com.json"
    if target.exists():
        return target
    SPECS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        out = subprocess.run(["npm", "pack", "--silent", GITHUB_SPEC], cwd=SPECS_DIR, check=True,
                             capture_output=True, text=True, timeout=300).stdout.strip().splitlines()[-1]
    except (subprocess.SubprocessError, IndexError, OSError) as exc:
        print(f"skipping the GitHub spec: {exc}")
        return None
    with tarfile.open(SPECS_DIR / out) as tar:
        member = tar.getmember("package/generated/api.github.com.json")
        source = tar.extractfile(member)
        assert source is not None
        target.write_bytes(source.read())
    return target


def synthetic(operations: int) -> Path:
    """A spec shaped like ordinary CRUD APIs: shared schemas and responses, a few typical weaknesses."""
    path = SPECS_DIR / f"synthetic-{operations}.yaml"
    if path.exists():
        return path
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    ok = {"description": "OK"}
    for n in range(max(operations // 5, 1)):
        name = f"Resource{n}"
        ref = {"$ref": f"#/components/schemas/{name}"}
        schemas[name] = {"type": "object", "required": ["name"], "properties": {
            "id": {"type": "string", "format": "uuid", "readOnly": True},
            "name": {"type": "string", "maxLength": 100},
            "description": {"type": "string"},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "price": {"type": "number", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}},
            "owner_id": {"type": "string", "format": "uuid", "readOnly": n % 4 != 0},
            "website": {"type": "string", "format": "uri", "maxLength": 2000},
            "created_at": {"type": "string", "format": "date-time", "readOnly": True}}}
        id_schema = {"type": "integer"} if n % 3 == 0 else {"type": "string", "format": "uuid"}
        limit = {"type": "integer", "minimum": 1, **({"maximum": 100} if n % 2 else {})}
        content = {"application/json": {"schema": ref}}
        errors = {"401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}
        paths[f"/resources{n}"] = {
            "get": {"operationId": f"list{n}", "parameters": [{"name": "limit", "in": "query", "schema": limit}],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {
                        "schema": {"type": "array", "maxItems": 100, "items": ref}}}}, **errors}},
            "post": {"operationId": f"create{n}", "requestBody": {"content": content},
                     "responses": {"201": {**ok, "content": content}, **errors}}}
        paths[f"/resources{n}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": id_schema}],
            "get": {"operationId": f"get{n}", "responses": {"200": {**ok, "content": content}, **errors}},
            "put": {"operationId": f"update{n}", "requestBody": {"content": content},
                    "responses": {"200": {**ok, "content": content}, **errors}},
            "delete": {"operationId": f"delete{n}", "responses": {"204": {"description": "Deleted"}, **errors}}}
    spec = {"openapi": "3.0.3", "info": {"title": f"Synthetic {operations}", "version": "1.0.0"},
            "servers": [{"url": "https://api.example.com/v1"}], "security": [{"bearer": []}], "paths": paths,
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                           "responses": {"Problem": {"description": "Problem", "content": {
                               "application/problem+json": {"schema": {"type": "object"}}}}},
                           "schemas": schemas}}
    SPECS_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(spec, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
    return path


def run_bastion(spec: Path, repeats: int) -> Run:
    out = RESULTS / "bastion-out.json"
    cmd = [sys.executable, "-m", "bastion", "audit", str(spec), "-f", "json", "-o", str(out), "--fail-on", "critical"]
    seconds, rss, code, err, cpu = repeated(cmd, ROOT, repeats)
    if code != 0:
        note = err.strip().splitlines()[-1] if err.strip() else f"exit {code}"
        return Run("bastion", seconds, rss, False, cpu, note=note)
    findings = json.loads(out.read_text())["findings"]
    return Run("bastion", seconds, rss, True, cpu, [(f["rule_id"], f["owasp"] or "hygiene") for f in findings])


def run_spectral(binary: Path, spec: Path, repeats: int) -> Run:
    out = RESULTS / "spectral-out.json"
    out.unlink(missing_ok=True)
    cmd = [str(binary), "lint", str(spec), "-r", str(SPECTRAL_DIR / ".spectral.yaml"), "-f", "json", "-o", str(out),
           "--quiet"]
    seconds, rss, code, err, cpu = repeated(cmd, SPECTRAL_DIR, repeats)
    if not out.exists():
        lines = [line for line in err.strip().splitlines() if line.startswith("Error #")] or [f"exit {code}"]
        return Run("spectral", seconds, rss, False, cpu, note=lines[0])
    results = json.loads(out.read_text())
    found = []
    for item in results:
        code_ = str(item.get("code", ""))
        match = re.match(r"owasp:api(\d+):(\d{4})", code_)
        found.append((code_, f"API{match.group(1)}:{match.group(2)}" if match else "other"))
    return Run("spectral", seconds, rss, True, cpu, found)


def operations(spec: Path) -> int:
    from bastion.openapi import load_document

    return len(load_document(spec).operations())


def planted(spec: Path) -> set[str]:
    flaw = re.compile(r"#.*?FLAW ([a-z0-9-]+\.[a-z0-9.-]+(?:, [a-z0-9-]+\.[a-z0-9.-]+)*)")
    return {p.strip() for m in flaw.finditer(spec.read_text()) for p in m.group(1).split(",")}


def report(spec: Path, ops: int, runs: list[Run]) -> None:
    print(f"\n{spec.name}: {ops} operations")
    head = f"  {'tool':9} {'time s':>7} {'CPU s':>6} {'RSS MB':>7} {'findings':>9} {'per op':>7}  " + " ".join(
        f"{c.split(':')[0]:>5}" for c in CATEGORIES)
    print(head)
    for run in runs:
        if not run.ok:
            print(f"  {run.tool:9} {run.seconds:7.2f} {run.cpu:6.2f} {run.rss_mb:7.0f}  FAILED: {run.note}")
            continue
        counts = Counter(cat for _rule, cat in run.findings)
        per_op = len(run.findings) / ops if ops else 0.0
        cells = " ".join(f"{counts.get(c, 0):5d}" for c in CATEGORIES)
        print(f"  {run.tool:9} {run.seconds:7.2f} {run.cpu:6.2f} {run.rss_mb:7.0f} {len(run.findings):9d} "
              f"{per_op:7.2f}  {cells}")
    if "flawed" in spec.name:
        from bastion.auditor.rules import REGISTRY

        wanted = planted(spec)
        risk = {r for r in wanted if not REGISTRY[r].info.hygiene}
        for run in runs:
            if run.ok:
                seen = {r for r, _ in run.findings} if run.tool == "bastion" else \
                    {SPECTRAL_TO_BASTION[r] for r, _ in run.findings if r in SPECTRAL_TO_BASTION}
                print(f"  {run.tool}: reports {len(seen & risk)} of {len(risk)} planted risk flaws and "
                      f"{len(seen & (wanted - risk))} of {len(wanted - risk)} hygiene ones"
                      + (" (hygiene rules are off by default)" if run.tool == "bastion" else ""))
    ok = [r for r in runs if r.ok]
    if len(ok) == 2:
        ratio, cpu_ratio = ok[0].seconds / ok[1].seconds, ok[0].cpu / max(ok[1].cpu, 1e-9)
        print(f"  bastion/spectral wall-time ratio {ratio:.2f}, CPU ratio {cpu_ratio:.2f} (target <= 0.30): "
              f"{'met' if ratio <= 0.3 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-spectral", action="store_true")
    parser.add_argument("--no-real", action="store_true", help="skip GitHub's 1,200-operation spec")
    args = parser.parse_args()
    binary = None if args.no_spectral else ensure_spectral()
    specs = [FIXTURES / "shop-flawed-3.0.yaml", FIXTURES / "shop-flawed-3.1.yaml", synthetic(50), synthetic(1000)]
    if not args.no_real and (github := ensure_github_spec()) is not None:
        specs.append(github)
    print("bastion audit (default rules, hygiene off) vs spectral lint (OWASP ruleset, every rule)")
    for spec in specs:
        big = spec.stat().st_size > 1_000_000
        repeats = 1 if big else 5
        runs = [run_bastion(spec, repeats)] + ([run_spectral(binary, spec, repeats)] if binary else [])
        report(spec, operations(spec), runs)
        target = 1.0 if "synthetic-50" in spec.name else 3.0 if "synthetic-1000" in spec.name else None
        if target and runs[0].ok:
            print(f"  bastion target <= {target:.0f} s: {'met' if runs[0].seconds <= target else 'NOT met'}")


if __name__ == "__main__":
    main()
