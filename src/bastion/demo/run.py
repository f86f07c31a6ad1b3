"""Start the demo: PKI, the shop upstream over TLS, and the gateway, in one event loop."""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

from bastion.demo.config import write_demo_config
from bastion.devca import ensure_demo_pki
from bastion.samples.serve import start_app_server
from bastion.samples.shop import build_app
from bastion.server.runner import GatewayServer


def curl_examples(port: int, ca: Path) -> list[str]:
    base = f"https://127.0.0.1:{port}"
    c = f"curl --cacert {ca}"
    return [
        f"{c} {base}/health",
        f"{c} {base}/products",
        f"{c} -i {base}/customers/1001        # 401: protected route, no token",
        f"{c} -i {base}/nowhere                # 404 problem+json",
    ]


async def run_demo(folder: Path, port: int = 8443, shop_port: int = 9443, ready: asyncio.Event | None = None) -> None:
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    pki = ensure_demo_pki(folder)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(pki["upstream"]), str(pki["upstream_key"]))
    shop = await start_app_server(build_app(), "127.0.0.1", shop_port, ctx, server_header="shop/1.0 (Python)")
    config = write_demo_config(folder, port, shop_port)
    gateway = GatewayServer(config)
    task = asyncio.get_running_loop().create_task(gateway.run())
    while not gateway.bound and not task.done():
        await asyncio.sleep(0.01)
    if task.done():
        shop.close()
        task.result()
        return
    elapsed = time.monotonic() - started
    lines = [
        f"bastion demo ready in {elapsed:.2f}s",
        f"  gateway   https://127.0.0.1:{port}   (config: {config})",
        f"  shop API  https://127.0.0.1:{shop_port} (upstream, TLS verified with the demo CA)",
        f"  demo CA   {pki['ca']}",
        "",
        "try:",
        *[f"  {line}" for line in curl_examples(port, pki["ca"])],
        "",
        "Ctrl-C stops.",
    ]
    print("\n".join(lines), flush=True)
    if ready is not None:
        ready.set()
    try:
        await task
    finally:
        shop.close()
