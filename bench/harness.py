"""Benchmark plumbing: start servers on loopback, run wrk and h2load, parse their numbers."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


class Proc:
    def __init__(self, args: list[str], port: int, env: dict[str, str] | None = None) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="bench-", suffix=".log", delete=False)
        self.p = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.port = port
        try:
            wait_port(port)
        except RuntimeError:
            self.p.kill()
            self.log.flush()
            tail = Path(self.log.name).read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{' '.join(args[:6])} did not start:\n{tail}") from None

    def stop(self) -> None:
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.log.close()


def start_shop(port: int) -> Proc:
    return Proc([PY, "-m", "bastion.samples.shop", "--port", str(port)], port)


def start_bastion(config_text: str, port: int, workdir: Path, workers: int = 1) -> Proc:
    cfg = workdir / f"bastion-{port}.yaml"
    cfg.write_text(config_text)
    return Proc([PY, "-m", "bastion", "serve", "-c", str(cfg), "--workers", str(workers), "--log-level", "error"],
                port, env={"PYTHONWARNINGS": "ignore"})


NGINX_CONF = """
worker_processes 1;
daemon off;
error_log {prefix}/error.log error;
pid {prefix}/nginx.pid;
{modules}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  upstream backend {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    {extra}
    location / {{
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


def start_nginx(port: int, upstream: int, workdir: Path, extra: str = "", modules: str = "") -> Proc:
    prefix = workdir / f"nginx-{port}"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, upstream=upstream, extra=extra, modules=modules))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return Proc([nginx, "-c", str(conf), "-p", str(prefix)], port)


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def wrk(url: str, seconds: int = 5, connections: int = 32, script: Path | None = None) -> WrkResult:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # (the distribution's own lines: an unanchored "50%" also matched a thread stat such as "62.50%" and took the
    # next word for the latency, which printed p50 as nan)
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    n = int(errs.group(1)) if errs else 0
    if sock:
        n += sum(int(x) for x in sock.groups())
    return WrkResult(rps, p50, p99, n)


def post_script(workdir: Path, body: bytes, path: str = "/echo", extra_headers: dict[str, str] | None = None) -> Path:
    p = workdir / f"post-{len(body)}-{abs(hash(path)) % 10000}.lua"
    lua_body = body.decode().replace("\\", "\\\\").replace('"', '\\"')
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in (extra_headers or {}).items())
    p.write_text(f'wrk.method = "POST"\nwrk.path = "{path}"\nwrk.body = "{lua_body}"\n'
                 f'wrk.headers["Content-Type"] = "application/json"\n{headers}')
    return p


def header_script(workdir: Path, headers: dict[str, str], name: str) -> Path:
    p = workdir / f"hdr-{name}.lua"
    p.write_text("".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items()))
    return p


def fixed_rate_p99(url: str, rate: float, seconds: int = 5, clients: int = 8) -> float:
    """p99 latency (ms) at a fixed request rate, measured with h2load over HTTP/1.1."""
    log = Path(tempfile.mktemp(prefix="h2load-", suffix=".log"))
    per_client = max(1, int(rate / clients))
    subprocess.run(["h2load", "--h1", "-c", str(clients), f"--rps={per_client}", "-D", str(seconds),
                    "--log-file", str(log), url], capture_output=True, check=True)
    lat = sorted(int(line.split("\t")[2]) for line in log.read_text().splitlines() if line.count("\t") >= 2)
    log.unlink()
    if not lat:
        return float("nan")
    return lat[int(len(lat) * 0.99) - 1] / 1000.0
