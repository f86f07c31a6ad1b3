"""``make bench``: bastion against nginx proxy_pass (and the upstream alone), interleaved, in one run.

Every target proxies to the same sample upstream on loopback, except the egress scenarios
(``bench/egress.py``), which reach an nginx "partner" over TLS and are compared with each other. wrk
(1 thread) measures GET and a 2 KB JSON POST; the figures that matter are the ratios to nginx (1 worker),
not absolute numbers. The p99 at half of bastion's maximum rate is measured with h2load at a fixed rate.

    python -m bench.gateway [--seconds 5] [--rounds 2] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.egress import EGRESS_SCENARIOS
from bench.harness import (
    PY,
    Proc,
    WrkResult,
    fixed_rate_p99,
    free_port,
    post_script,
    start_bastion,
    start_nginx,
    start_shop,
)
from bench.scenarios import SCENARIOS, Scenario, modsec_nginx

BODY_2K = json.dumps({"customer_id": "1001", "note": "x" * 1900,
                      "items": [{"product_id": "p1", "quantity": 1}]}, separators=(",", ":")).encode()


def run(seconds: int, rounds: int, only: set[str] | None) -> int:
    work = Path(tempfile.mkdtemp(prefix="bastion-bench-"))
    up_port = free_port()
    shop = start_shop(up_port)
    procs: dict[str, Proc] = {}
    urls: dict[str, str] = {"upstream": f"http://127.0.0.1:{up_port}"}
    every = [*SCENARIOS, *EGRESS_SCENARIOS]
    if only is not None:
        only = only | {b for s in every if s.name in only for b in s.baselines}
    scenarios = [s for s in every if only is None or s.name in only or s.name == "bastion-empty"]
    try:
        nginx_port = free_port()
        procs["nginx"] = start_nginx(nginx_port, up_port, work)
        urls["nginx"] = f"http://127.0.0.1:{nginx_port}"
        for sc in scenarios:
            port = free_port()
            if sc.kind == "nginx-modsec":
                procs[sc.name] = start_nginx(port, up_port, work, **modsec_nginx(work))
            elif sc.kind == "naive":
                procs[sc.name] = Proc([PY, "-m", "bench.naive_proxy", str(port), str(up_port)], port)
            else:
                if sc.prepare:
                    sc.prepare(sc, work, port)
                procs[sc.name] = start_bastion(sc.config(port, up_port, work), port, work)
                if sc.after_start:
                    sc.after_start(sc, work, port)
            urls[sc.name] = f"http://127.0.0.1:{port}"
        post = post_script(work, BODY_2K)
        results: dict[tuple[str, str], list[WrkResult]] = {}
        targets = ["upstream", "nginx", *[s.name for s in scenarios]]
        scen = {s.name: s for s in scenarios}
        for _ in range(rounds):  # interleaved: each round visits every target once per load
            for name in targets:
                spec = scen.get(name)
                get_script = spec.get_script(work) if spec else None
                post_s = spec.post_script(work, BODY_2K) if spec else post
                get_path = spec.get_path if spec else "/products"
                results.setdefault((name, "GET"), []).append(wrk(urls[name] + get_path, seconds, script=get_script))
                results.setdefault((name, "POST"), []).append(wrk(urls[name] + "/echo", seconds, script=post_s))
        report(results, targets, urls, seconds, scen)
    finally:
        for p in procs.values():
            p.stop()
        for sc in scenarios:
            sc.close()
        shop.stop()
    return 0


def wrk(url: str, seconds: int, script: Path | None) -> WrkResult:
    from bench.harness import wrk as _wrk

    return _wrk(url, seconds, 32, script)


def _median(rs: list[WrkResult], key: Callable[[WrkResult], float]) -> float:
    return statistics.median(key(r) for r in rs)


def report(results: dict[tuple[str, str], list[WrkResult]], targets: list[str], urls: dict[str, str],
           seconds: int, scen: dict[str, Scenario]) -> None:
    print(f"\n{'target':<22}{'load':<6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'× nginx':>9}")
    for load in ("GET", "POST"):
        base = _median(results[("nginx", load)], lambda r: r.rps)
        for name in targets:
            rs = results[(name, load)]
            rps = _median(rs, lambda r: r.rps)
            print(f"{name:<22}{load:<6}{rps:>10.0f}{_median(rs, lambda r: r.p50_ms):>9.2f}"
                  f"{_median(rs, lambda r: r.p99_ms):>9.2f}{sum(r.errors for r in rs):>8}{rps / base:>9.2f}")
    empty = _median(results[("bastion-empty", "GET")], lambda r: r.rps)
    p99 = fixed_rate_p99(urls["bastion-empty"] + "/products", empty / 2, seconds)
    print(f"\nbastion-empty p99 at half its max GET rate ({empty / 2:.0f} req/s, h2load): {p99:.2f} ms")
    for name in targets:
        if name.startswith("bastion-") and name != "bastion-empty":
            # policies that need a token are compared with the empty chain receiving the same token
            baseline = "bastion-empty-token" if name in ("bastion-jwt", "bastion-full") and \
                ("bastion-empty-token", "GET") in results else "bastion-empty"
            for base_name in scen[name].baselines or (baseline,):
                for load in ("GET", "POST"):
                    base = _median(results[(base_name, load)], lambda r: r.rps)
                    rps = _median(results[(name, load)], lambda r: r.rps)
                    print(f"{name} {load}: {rps / base:.2f}× {base_name} ({(1 - rps / base) * 100:+.0f}% cost)")
    for line in dict.fromkeys(s.summary() for s in scen.values() if s.summary()):
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", help="comma-separated scenario names (bastion-empty always runs)")
    args = ap.parse_args()
    raise SystemExit(run(args.seconds, args.rounds, set(args.only.split(",")) if args.only else None))


if __name__ == "__main__":
    main()
