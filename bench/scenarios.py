"""The gateway configurations ``make bench`` compares. Add a Scenario to measure a policy's cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import post_script

LISTENER = """\
listeners:
  - address: 127.0.0.1:{port}
    plaintext: true
upstreams:
  shop: {{url: "http://127.0.0.1:{up}", max_idle: 256}}
"""

QUIET = """\
access_log: {{enabled: false}}
audit: {{enabled: false}}
anomaly: {{enabled: false}}
dataflow: {{enabled: false}}
"""

EMPTY = LISTENER + """\
routes:
  - id: all
    match: {{prefix: /}}
    upstream: shop
    public: true
"""


@dataclass
class Scenario:
    name: str
    template: str = EMPTY
    kind: str = "bastion"
    get_path: str = "/products"
    headers: dict[str, str] = field(default_factory=dict)
    nginx: dict[str, Any] = field(default_factory=dict)

    def config(self, port: int, up: int, work: Path) -> str:
        return self.template.format(port=port, up=up, work=work)

    def get_script(self, work: Path) -> Path | None:
        if not self.headers:
            return None
        p = work / f"get-{self.name}.lua"
        p.write_text("".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in self.headers.items()))
        return p

    def post_script(self, work: Path, body: bytes) -> Path:
        return post_script(work, body, "/echo", self.headers)

    def nginx_args(self, work: Path) -> dict[str, str]:
        return {k: str(v).format(work=work) for k, v in self.nginx.items()}


SCENARIOS: list[Scenario] = [
    Scenario("bastion-empty", EMPTY + QUIET),
    Scenario("naive-starlette-httpx", kind="naive"),
]
