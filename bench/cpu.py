"""Gateway CPU per request, for any ``make bench`` scenarios: less sensitive to a shared machine than req/s.

Throughput ratios on a 2-core VM swing by ±20 % between identical gateways when anything else runs
(other VMs included). The CPU the gateway process spends per completed request does not depend on how
much CPU wrk and the upstream got, so small per-policy costs (``jwt`` with a cached token, monitoring)
are resolved. Every gateway is started once; rounds interleave them; the report gives each scenario's
median CPU µs per request and its cost over its baseline:

    python -m bench.cpu [--only bastion-empty-token,bastion-jwt] [--seconds 4] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.egress import EGRESS_SCENARIOS
from bench.gateway import BODY_2K
from bench.harness import Proc, free_port, start_bastion, start_shop, wrk
from bench.scenarios import SCENARIOS, Scenario

DEFAULT = "bastion-empty,bastion-monitoring,bastion-empty-token,bastion-jwt,bastion-full"
BASELINE = {"bastion-monitoring": "bastion-empty", "bastion-jwt": "bastion-empty-token",
            "bastion-full": "bastion-empty-token", "bastion-egress": "bastion-partner-jwt",
            "bastion-egress-token": "bastion-partner-jwt"}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user + system, system) CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, int(fields[12]) / tick


def start_gateways(chosen: list[Scenario], work: Path, up: int, procs: dict[str, tuple[Proc, int]]) -> None:
    """Start each scenario's gateway (its ``prepare`` before, ``after_start`` after) into ``procs``."""
    for sc in chosen:
        port = free_port()
        if sc.prepare:
            sc.prepare(sc, work, port)
        procs[sc.name] = (start_bastion(sc.config(port, up, work), port, work), port)
        if sc.after_start:
            sc.after_start(sc, work, port)


def stop_gateways(procs: dict[str, tuple[Proc, int]], chosen: list[Scenario], shop: Proc) -> None:
    for proc, _ in procs.values():
        proc.stop()
    for sc in chosen:
        sc.close()
    shop.stop()


def run(names: list[str], seconds: int, rounds: int) -> dict[tuple[str, str], float]:
    every = {s.name: s for s in [*SCENARIOS, *EGRESS_SCENARIOS]}
    chosen: list[Scenario] = [every[n] for n in names]
    work = Path(tempfile.mkdtemp(prefix="bastion-cpu-"))
    up = free_port()
    shop = start_shop(up)
    procs: dict[str, tuple[Proc, int]] = {}
    samples: dict[tuple[str, str], list[float]] = {}
    try:
        start_gateways(chosen, work, up, procs)
        for _ in range(rounds):
            for sc in chosen:
                proc, port = procs[sc.name]
                for load in ("GET", "POST"):
                    script = sc.get_script(work) if load == "GET" else sc.post_script(work, BODY_2K)
                    path = sc.get_path if load == "GET" else sc.post_path
                    before = cpu_seconds(proc.p.pid)[0]
                    result = wrk(f"http://127.0.0.1:{port}{path}", seconds, 32, script)
                    used = cpu_seconds(proc.p.pid)[0] - before
                    if result.errors:
                        print(f"{sc.name} {load}: {result.errors} errors", flush=True)
                    samples.setdefault((sc.name, load), []).append(used / max(result.rps * seconds, 1.0) * 1e6)
    finally:
        stop_gateways(procs, chosen, shop)
    return {key: statistics.median(values) for key, values in samples.items()}


def report(medians: dict[tuple[str, str], float]) -> None:
    print(f"{'gateway':<24}{'load':<6}{'CPU µs/req':>12}   cost over baseline")
    for (name, load), us in medians.items():
        base = BASELINE.get(name)
        extra = ""
        if base is not None and (base, load) in medians:
            b = medians[(base, load)]
            extra = f"   {us - b:+.0f} µs = {(us - b) / b * 100:+.0f}% of {base}"
        print(f"{name:<24}{load:<6}{us:>12.0f}{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=DEFAULT, help="comma-separated scenario names")
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    report(run(args.only.split(","), args.seconds, args.rounds))


if __name__ == "__main__":
    main()
