"""Start the demo: PKI, secrets, OAuth clients, the shop upstream over TLS, and the gateway."""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

from bastion.demo.clients import ensure_clients, ensure_secrets
from bastion.demo.config import write_demo_config
from bastion.devca import ensure_demo_pki
from bastion.samples.serve import start_app_server
from bastion.samples.shop import build_app
from bastion.server.runner import GatewayServer


def curl_examples(port: int, folder: Path, secrets: dict[str, Path]) -> list[str]:
    base = f"https://127.0.0.1:{port}"
    c = f"curl --cacert {folder / 'ca.pem'}"

    def token(client: str) -> str:
        return (f"$({c} -s -u {client}:$(cat {secrets[client]}) -d grant_type=client_credentials "
                f"{base}/oauth/token | python3 -c 'import sys,json;print(json.load(sys.stdin)[\"access_token\"])')")

    return [
        "# public routes",
        f"{c} {base}/products",
        f"{c} -i {base}/customers/1001                      # 401: a token is required",
        "# a token for customer 1001 (client credentials, built-in issuer)",
        f"T1={token('customer-1001')}",
        f'{c} -H "Authorization: Bearer $T1" {base}/customers/1001          # email and phone masked',
        f'{c} -H "Authorization: Bearer $T1" {base}/customers/1002          # 403: not your customer id',
        f'{c} -H "Authorization: Bearer $T1" {base}/customers/1001/orders',
        f'{c} -H "Authorization: Bearer $T1" -H "Content-Type: application/json" '
        f'-d \'{{"customer_id":"1001","items":[{{"product_id":"p2","quantity":2}}]}}\' {base}/orders',
        f'{c} -H "Authorization: Bearer $T1" -H "Content-Type: application/json" '
        f'-d \'{{"customer_id":"1001","items":[],"role":"admin"}}\' {base}/orders      # 400/422: mass assignment',
        f'{c} -H "Authorization: Bearer $T1" {base}/admin/stats                # 403: admin scope needed',
        "# customer 1002 holds customers:pii: contact details are shown in full",
        f"T2={token('customer-1002')}",
        f'{c} -H "Authorization: Bearer $T2" {base}/customers/1002',
    ]


async def run_demo(folder: Path, port: int = 8443, shop_port: int = 9443, admin_port: int = 9000,
                   ready: asyncio.Event | None = None) -> None:
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    pki = ensure_demo_pki(folder)
    ensure_secrets(folder)
    secrets = await ensure_clients(folder, f"https://127.0.0.1:{port}")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(pki["upstream"]), str(pki["upstream_key"]))
    shop = await start_app_server(build_app(), "127.0.0.1", shop_port, ctx, server_header="shop/1.0 (Python)")
    config = write_demo_config(folder, port, shop_port, admin_port)
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
        f"  gateway    https://127.0.0.1:{port}   (config: {config})",
        f"  shop API   https://127.0.0.1:{shop_port}   (upstream; TLS verified against the demo CA)",
        f"  dashboard  http://127.0.0.1:{admin_port}/dashboard   (token: cat {folder / 'admin-token'})",
        f"  demo CA    {pki['ca']}",
        "",
        *curl_examples(port, folder, secrets),
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
