"""System calls and context switches per request of ``make bench`` gateways: what callgrind cannot see.

Callgrind counts the gateway's user-space instructions on its main thread; the kernel's work (each
``send``/``recv``/``epoll_wait``), other threads and wake-ups are outside it. This starts each scenario's
gateway once (as ``bench.cpu`` does), then per scenario and load runs wrk for ``--seconds`` while
``strace -c -f`` is attached to the gateway, and reports the calls per completed request and the
context switches per request (``/proc/<pid>/task/*/status``: voluntary + involuntary, every thread):

    python -m bench.syscalls [--only bastion-partner-jwt,bastion-egress-token] [--seconds 3] [--loads GET,POST]

strace slows the gateway, so the throughput of this run means nothing; the counts per request do.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.cpu import start_gateways, stop_gateways
from bench.egress import EGRESS_SCENARIOS
from bench.gateway import BODY_2K
from bench.harness import Proc, free_port, start_shop, wrk
from bench.scenarios import SCENARIOS, Scenario

DEFAULT = "bastion-partner-jwt,bastion-egress-token"
_ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\w+)\s*$")


def switches(pid: int) -> int:
    """Voluntary + involuntary context switches of every thread of ``pid`` so far."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
        except OSError:
            continue
        total += sum(int(m) for m in re.findall(r"_ctxt_switches:\s+(\d+)", text))
    return total


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def traced(pid: int, url: str, seconds: int, script: Path | None) -> tuple[dict[str, int], int, int]:
    """(calls per syscall, requests completed, context switches) over one wrk run under strace."""
    out = Path(tempfile.mktemp(prefix="strace-", suffix=".txt"))
    st = subprocess.Popen(
        ["strace", "-c", "-f", "-o", str(out), "-p", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)  # attached to every thread before the load starts
    before = switches(pid)
    result = wrk(url, seconds, 32, script)
    used = switches(pid) - before
    st.send_signal(signal.SIGINT)
    st.wait(10)
    calls: dict[str, int] = {}
    for line in out.read_text().splitlines():
        m = _ROW.match(line)
        if m and m.group(3) != "total":
            calls[m.group(3)] = int(m.group(1))
    out.unlink()
    return calls, int(result.rps * seconds), used


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=DEFAULT)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--loads", default="GET,POST")
    args = ap.parse_args()
    every = {s.name: s for s in [*SCENARIOS, *EGRESS_SCENARIOS]}
    chosen: list[Scenario] = [every[n] for n in args.only.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bastion-syscalls-"))
    up = free_port()
    shop = start_shop(up)
    procs: dict[str, tuple[Proc, int]] = {}
    try:
        start_gateways(chosen, work, up, procs)
        for sc in chosen:
            proc, port = procs[sc.name]
            for load in args.loads.split(","):
                script = sc.get_script(work) if load == "GET" else sc.post_script(work, BODY_2K)
                path = sc.get_path if load == "GET" else sc.post_path
                wrk(f"http://127.0.0.1:{port}{path}", 1, 32, script)  # warm: connections, token, caches
                calls, requests, ctx = traced(proc.p.pid, f"http://127.0.0.1:{port}{path}", args.seconds, script)
                per = {k: v / max(requests, 1) for k, v in sorted(calls.items(), key=lambda kv: -kv[1])}
                total = sum(per.values())
                print(
                    f"{sc.name} {load}: {requests} requests, {total:.2f} syscalls/request, "
                    f"{ctx / max(requests, 1):.2f} context switches/request, {threads(proc.p.pid)} threads"
                )
                print("   " + ", ".join(f"{k} {v:.2f}" for k, v in per.items() if v >= 0.005))
    finally:
        stop_gateways(procs, chosen, shop)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
