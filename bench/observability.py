"""What monitoring costs: the empty chain with and without access log, audit, metrics and anomaly detection.

Gateways proxy ``/products`` to the sample shop, measured interleaved with wrk (1 thread):

    none        the empty chain, every observer output off (``metrics: {enabled: false}`` too)
    metrics     Prometheus counters and the dashboard's live stats only
    access_log / audit / anomaly   metrics plus that one output
    monitoring  metrics + access log (file) + audit log (SQLite) + all six anomaly detectors

Requests come from ~4000 simulated clients (a random ``X-Forwarded-For`` per request, trusted from
loopback), so the detectors track thousands of identities as they would in production.

    python -m bench.observability [--seconds 4] [--rounds 2]
    python -m bench.observability --micro     # in-process CPU µs per observed request, no sockets
    python -m bench.observability --stage count --repeat 10   # one stage on a 1300-request batch

``--stage`` runs one part of the observer (``capture``, ``count``, ``detect``, ``log``) ``--repeat``
times on a batch like ``bastion-monitoring``'s under load (one client, 1300 requests in 100 ms) and
prints CPU µs per request. For exact figures run it under callgrind with ``--repeat 0`` and ``10`` and
divide the difference in instructions by 13 000 (decision 0005).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import Proc, WrkResult, free_port, start_bastion, start_shop, wrk
from bench.scenarios import EMPTY

TRUST = "trusted_proxies: [127.0.0.1/32]\ndataflow: {{enabled: false}}\n"
OFF = {"metrics": "{{enabled: false}}", "access_log": "{{enabled: false}}", "audit": "{{enabled: false}}",
       "anomaly": "{{enabled: false}}"}
ON = {"metrics": "{{enabled: true}}", "access_log": "{{output: '{work}/access.log'}}",
      "audit": "{{sink: 'sqlite:///{work}/audit.db', state_dir: '{work}/state'}}", "anomaly": "{{}}"}


def _config(*enabled: str) -> str:
    return EMPTY + TRUST + "".join(f"{k}: {(ON if k in enabled else OFF)[k]}\n" for k in OFF)


CONFIGS = {
    "none": _config(),
    "metrics": _config("metrics"),
    "access_log": _config("metrics", "access_log"),
    "audit": _config("metrics", "audit"),
    "anomaly": _config("metrics", "anomaly"),
    "monitoring": _config("metrics", "access_log", "audit", "anomaly"),
}
CLIENTS = """\
math.randomseed(42)
request = function()
  wrk.headers["X-Forwarded-For"] = "10.0." .. math.random(0, 15) .. "." .. math.random(1, 254)
  return wrk.format(nil, "/products")
end
"""


def _cpu_seconds(pid: int) -> float:
    """User+system CPU of ``pid`` and its descendants (Linux /proc), robust to a busy shared machine."""
    tick = os.sysconf("SC_CLK_TCK")
    procs: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        procs[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += procs.get(p, (0, 0.0))[1]
        todo.extend(c for c, (ppid, _) in procs.items() if ppid == p)
    return total


def run(seconds: int, rounds: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="bastion-bench-obs-"))
    script = work / "clients.lua"
    script.write_text(CLIENTS)
    up_port = free_port()
    shop = start_shop(up_port)
    procs: dict[str, Proc] = {}
    try:
        for name, template in CONFIGS.items():
            port = free_port()
            (work / name).mkdir()
            procs[name] = start_bastion(template.format(port=port, up=up_port, work=work / name), port, work)
        results: dict[str, list[WrkResult]] = {name: [] for name in CONFIGS}
        cpu_us: dict[str, list[float]] = {name: [] for name in CONFIGS}
        for _ in range(rounds):
            for name, proc in procs.items():
                before = _cpu_seconds(proc.p.pid)
                r = wrk(f"http://127.0.0.1:{proc.port}/products", seconds, 32, script)
                cpu_us[name].append((_cpu_seconds(proc.p.pid) - before) / max(1.0, r.rps * seconds) * 1e6)
                results[name].append(r)
        base = statistics.median(r.rps for r in results["none"])
        base_cpu = statistics.median(cpu_us["none"])
        print(f"\n{'gateway':<12}{'req/s':>10}{'p99 ms':>9}{'errors':>8}{'rps cost':>10}{'CPU µs/req':>12}"
              f"{'CPU cost':>10}")
        for name, rs in results.items():
            rps = statistics.median(r.rps for r in rs)
            cpu = statistics.median(cpu_us[name])
            print(f"{name:<12}{rps:>10.0f}{statistics.median(r.p99_ms for r in rs):>9.2f}"
                  f"{sum(r.errors for r in rs):>8}{(1 - rps / base) * 100:>9.1f}%{cpu:>12.0f}"
                  f"{(cpu / base_cpu - 1) * 100:>9.1f}%")
        print("\nCPU µs/req is the gateway process's own CPU time per request: on a shared machine it is the "
              "steadier figure; req/s moves with everything else running.")
    finally:
        for p in procs.values():
            p.stop()
        shop.stop()
    return 0


async def batched(observer: Any, exs: list[Any]) -> float:
    """CPU seconds to observe ``exs`` as the gateway does: batched on the loop, 512 per batch (about
    100 ms at 5000 requests/s), the last batch flushed."""
    observer.start()
    observer.max_batch = 512
    start = time.process_time()
    for ex in exs:
        observer.observe(ex)
    observer.flush()
    return time.process_time() - start


def micro(n: int = 20_000) -> int:
    """CPU µs per ``Observer.observe`` call in-process (no sockets), best of 5, 4000 client identities."""
    import asyncio
    import random

    from bastion.chain.exchange import Decision
    from bastion.observability.factory import build_monitoring
    from bastion.testing.clock import FakeClock
    from bastion.testing.exchange import make_exchange

    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="bastion-bench-obs-"))

    def exchanges() -> list[Any]:
        out = []
        for i in range(n):
            ip = f"10.0.{rng.randint(0, 15)}.{rng.randint(1, 254)}"
            ex = make_exchange("GET", f"/orders/{i % 500}", route_id=f"r{i % 8}", template="/orders/{order_id}",
                               params={"order_id": str(i % 500)}, client_ip=ip,
                               response_status=403 if i % 20 == 0 else 200, received_at=1_800_000_000.0 + i / 4000)
            ex.decisions.append(Decision("rate_limit", "allow"))
            if i % 20 == 0:
                ex.decisions.append(Decision("authorize", "deny", "Forbidden"))
            ex.completed_at, ex.bytes_sent = ex.received_at + 0.002, 900
            out.append(ex)
        return out

    cases: dict[str, dict[str, Any]] = {
        "metrics": {},
        "metrics+access_log": {"access_log": {"output": str(work / "a.log")}},
        "metrics+audit": {"audit": {"sink": f"sqlite:///{work}/audit.db"}},
        "metrics+anomaly": {"anomaly": {}},
        "all": {"access_log": {"output": str(work / "b.log")}, "audit": {"sink": f"sqlite:///{work}/b.db"},
                "anomaly": {}},
    }
    for name, sections in cases.items():
        best, render = float("inf"), 0.0
        for _ in range(5):
            kw: dict[str, Any] = {"access_log": {"enabled": False}, "audit": {"enabled": False},
                                  "anomaly": {"enabled": False}, **sections}
            mon = build_monitoring(admin_token="t" * 32, clock=FakeClock(), base_dir=work, **kw)
            if mon.access_log is not None:
                mon.access_log.max_pending = n
            if mon.audit_log is not None:
                mon.audit_log.max_pending = n
            exs = exchanges()
            best = min(best, asyncio.run(batched(mon.observer, exs)) / n)
            if mon.access_log is not None:
                start = time.process_time()
                mon.access_log._drain()
                render = (time.process_time() - start) / n
        extra = f"  (+ {render * 1e6:.1f} µs/line rendering in the access-log thread)" if render else ""
        print(f"{name:<20} observe(): {best * 1e6:5.1f} µs{extra}")
    return 0


def stage(name: str, repeat: int, n: int = 1300) -> int:
    """CPU per request of one observer stage on a one-client batch of ``n`` requests (see the docstring)."""
    from bastion.observability import observer as obs_module
    from bastion.observability.factory import build_monitoring
    from bastion.testing.clock import FakeClock
    from bastion.testing.exchange import make_exchange

    work = Path(tempfile.mkdtemp(prefix="bastion-bench-obs-"))
    mon = build_monitoring(admin_token="t" * 32, clock=FakeClock(), base_dir=work, audit={"enabled": False},
                           access_log={"output": str(work / "a.log")} if name == "log" else {"enabled": False},
                           anomaly={} if name == "detect" else {"enabled": False})
    observer: Any = mon.observer
    exs = []
    for i in range(n):
        ex = make_exchange("GET", "/products", route_id="all", template="/", client_ip="127.0.0.1",
                           response_status=200, received_at=1_800_000_000.0 + i / (n * 10))
        ex.completed_at, ex.bytes_sent, ex.upstream_duration = ex.received_at + 0.002, 900, 0.0015
        exs.append(ex)
    recs = [observer._capture(e) for e in exs]
    columns = getattr(obs_module, "_Columns", None)  # absent before decision 0005: stages took the batch
    view = (lambda: columns(recs)) if columns is not None else (lambda: recs)

    def log_batch() -> None:
        assert mon.access_log is not None
        mon.access_log.max_pending = 1 << 30
        mon.access_log.extend(recs)
        mon.access_log._drain()

    run = {"capture": lambda: [observer._capture(e) for e in exs], "count": lambda: observer._count(view()),
           "detect": lambda: observer._detect(view()), "log": log_batch}[name]
    run()
    start = time.process_time()
    for _ in range(repeat):
        run()
    print(f"{name}: {(time.process_time() - start) / max(repeat * n, 1) * 1e6:.2f} µs per request")
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--micro", action="store_true", help="only the in-process cost of observe()")
    ap.add_argument("--stage", choices=("capture", "count", "detect", "log"), help="one observer stage only")
    ap.add_argument("--repeat", type=int, default=10, help="with --stage: batches to process")
    args = ap.parse_args()
    if args.stage:
        raise SystemExit(stage(args.stage, args.repeat))
    raise SystemExit(micro() if args.micro else run(args.seconds, args.rounds))


if __name__ == "__main__":
    main()
