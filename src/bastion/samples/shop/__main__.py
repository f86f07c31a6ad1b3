"""Run the shop API alone: ``python -m bastion.samples.shop --port 8081 [--tls-cert C --tls-key K]``."""

from __future__ import annotations

import argparse

from bastion.samples.serve import serve_app
from bastion.samples.shop.app import build_app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8081)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    serve_app(build_app(), args.host, args.port, args.tls_cert, args.tls_key)


main()
