"""Instructions per request under callgrind, for any ``make bench`` scenarios: a figure that does not move
with the other load on the machine.

On a shared 2-core VM both throughput and CPU time per request (``bench.cpu``) drift by ±10–20 % between
runs of the same code. ``valgrind --tool=callgrind`` counts the instructions the gateway process executes,
which repeats to a fraction of a percent. Each gateway starts under callgrind, is warmed up, has its
counters zeroed, serves ``--requests`` requests sent one after another on one keep-alive connection, and
the count is dumped:

    python -m bench.instructions --only bastion-partner-jwt,bastion-egress-token [--requests 400]

Sequential requests on one connection cost more event-loop work per request than wrk's 32 concurrent
connections (no batching of reads and writes), so compare scenarios with each other, not with bench.cpu.
``--connections N`` sends over N connections at once instead: batching closer to a loaded gateway's,
at the price of counts that vary a little with timing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench.cpu import BASELINE
from bench.egress import EGRESS_SCENARIOS
from bench.gateway import BODY_2K
from bench.harness import PY, free_port, start_shop, wait_port
from bench.scenarios import SCENARIOS, Scenario


def _send_parallel(port: int, sc: Scenario, load: str, n: int, connections: int) -> None:
    """``n`` requests over ``connections`` keep-alive connections at once (one thread each)."""
    if connections <= 1:
        return _send(port, sc, load, n)
    from concurrent.futures import ThreadPoolExecutor

    shares = [n // connections + (1 if i < n % connections else 0) for i in range(connections)]
    with ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(_send, port, sc, load, k) for k in shares]:
            future.result()
    return None


def _send(port: int, sc: Scenario, load: str, n: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for _ in range(n):
            if load == "GET":
                conn.request("GET", sc.get_path, headers=sc.headers)
            else:
                conn.request("POST", sc.post_path, body=BODY_2K,
                             headers={**sc.headers, "Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 400:
                raise RuntimeError(f"{sc.name} {load}: status {resp.status}")
    finally:
        conn.close()


def _control(pid: int, *args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)


def _new_dump(out: Path, seen: set[str]) -> int:
    """Instructions in the dump callgrind wrote last for this process (``<out>.<n>``)."""
    for _ in range(100):
        parts = sorted(p for p in out.parent.glob(out.name + ".*") if p.name not in seen)
        for part in parts:
            m = re.search(r"^summary: (\d+)", part.read_text(errors="replace"), re.M)
            if m:
                seen.add(part.name)
                return int(m.group(1))
        time.sleep(0.1)
    raise RuntimeError(f"callgrind wrote no dump next to {out}")


def measure(sc: Scenario, work: Path, up: int, loads: list[str], n: int, warm: int,
            connections: int = 1) -> dict[str, float]:
    port = free_port()
    if sc.prepare:
        sc.prepare(sc, work, port)
    cfg = work / f"bastion-{port}.yaml"
    cfg.write_text(sc.config(port, up, work))
    out = work / f"callgrind-{sc.name}-{port}"
    seen: set[str] = set()
    log = open(work / f"valgrind-{sc.name}.log", "w")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                             PY, "-m", "bastion", "serve", "-c", str(cfg), "--log-level", "error"],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    result: dict[str, float] = {}
    try:
        wait_port(port, timeout=300)
        if sc.after_start:
            sc.after_start(sc, work, port)
        for load in loads:
            _send_parallel(port, sc, load, warm, connections)
            _control(proc.pid, "--zero")
            _send_parallel(port, sc, load, n, connections)
            _control(proc.pid, "--dump")
            result[load] = _new_dump(out, seen) / n
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="bastion-empty,bastion-monitoring", help="comma-separated scenario names")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--warm", type=int, default=200)
    ap.add_argument("--loads", default="GET,POST")
    ap.add_argument("--connections", type=int, default=1,
                    help="keep-alive connections sending at once (batching as under load; counts vary more)")
    args = ap.parse_args()
    every = {s.name: s for s in [*SCENARIOS, *EGRESS_SCENARIOS]}
    chosen = [every[n] for n in args.only.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bastion-instr-"))
    up = free_port()
    shop = start_shop(up)
    counts: dict[tuple[str, str], float] = {}
    try:
        for sc in chosen:
            for load, per in measure(sc, work, up, args.loads.split(","), args.requests, args.warm,
                                     args.connections).items():
                counts[(sc.name, load)] = per
                print(f"{sc.name:<24}{load:<6}{per:>14,.0f} instructions/request", flush=True)
    finally:
        for sc in chosen:
            sc.close()
        shop.stop()
    print()
    for (name, load), per in counts.items():
        base = BASELINE.get(name)
        if base is not None and (base, load) in counts:
            b = counts[(base, load)]
            print(f"{name} {load}: {per / b - 1:+.1%} instructions over {base}")


if __name__ == "__main__":
    main()
