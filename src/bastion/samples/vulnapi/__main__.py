"""``python -m bastion.samples.vulnapi --port N [--secure]``: serve the sample API on loopback."""

from __future__ import annotations

import argparse

import uvicorn

from bastion.samples.vulnapi.app import VulnApi
from bastion.webapp.asgi import to_asgi


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bastion.samples.vulnapi", description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1", help="bind address (keep it on loopback)")
    parser.add_argument("--secure", action="store_true", help="serve the secure twin")
    args = parser.parse_args(argv)
    app = to_asgi(VulnApi(secure=args.secure))
    uvicorn.run(app, host=args.host, port=args.port, server_header=False, date_header=False,
                log_level="warning")


if __name__ == "__main__":
    main()
