"""Gateway CPU per request for the egress scenarios: less sensitive to a shared machine than req/s.

The three gateways of ``bench/egress.py`` (partner-empty, partner-jwt, egress) against the nginx partner,
measured by ``bench.cpu`` (the gateway process's CPU divided by the requests wrk completed):

    python -m bench.egress_cpu [--seconds 4] [--rounds 2]
"""

from __future__ import annotations

import argparse

from bench import cpu
from bench.egress import EGRESS_SCENARIOS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cpu.report(cpu.run([sc.name for sc in EGRESS_SCENARIOS], args.seconds, args.rounds))


if __name__ == "__main__":
    main()
