"""Gateway CPU per request for the egress scenarios: less sensitive to a shared machine than req/s.

Starts the three gateways of ``bench/egress.py`` (partner-empty, partner-jwt, egress) against the nginx
partner, runs wrk (1 thread, 32 connections) on each in turn, and divides the gateway process's CPU time
(user + system, from ``/proc/<pid>/stat``) by the requests wrk completed:

    python -m bench.egress_cpu [--seconds 4] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.egress import EGRESS_SCENARIOS
from bench.gateway import BODY_2K
from bench.harness import Proc, free_port, start_bastion, start_shop, wrk


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user + system, system) CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, int(fields[12]) / tick


def run(seconds: int, rounds: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bastion-egress-cpu-"))
    up = free_port()
    shop = start_shop(up)
    procs: dict[str, tuple[Proc, int]] = {}
    try:
        for sc in EGRESS_SCENARIOS:
            port = free_port()
            if sc.prepare:
                sc.prepare(sc, work, port)
            procs[sc.name] = (start_bastion(sc.config(port, up, work), port, work), port)
            if sc.after_start:
                sc.after_start(sc, work, port)
        print(f"{'gateway':<24}{'load':<6}{'req/s':>8}{'CPU µs/req':>12}{'(system)':>10}{'errors':>8}")
        for _ in range(rounds):
            for sc in EGRESS_SCENARIOS:
                proc, port = procs[sc.name]
                for load in ("GET", "POST"):
                    script = sc.get_script(work) if load == "GET" else sc.post_script(work, BODY_2K)
                    path = sc.get_path if load == "GET" else "/echo"
                    before = cpu_seconds(proc.p.pid)
                    result = wrk(f"http://127.0.0.1:{port}{path}", seconds, 32, script)
                    after = cpu_seconds(proc.p.pid)
                    n = max(result.rps * seconds, 1.0)
                    print(f"{sc.name:<24}{load:<6}{result.rps:>8.0f}{(after[0] - before[0]) / n * 1e6:>12.0f}"
                          f"{(after[1] - before[1]) / n * 1e6:>10.0f}{result.errors:>8}", flush=True)
    finally:
        for proc, _ in procs.values():
            proc.stop()
        for sc in EGRESS_SCENARIOS:
            sc.close()
        shop.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    run(args.seconds, args.rounds)


if __name__ == "__main__":
    main()
