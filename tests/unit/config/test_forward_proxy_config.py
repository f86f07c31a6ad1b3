"""Unit: forward-proxy configuration — the listener flag and ``egress.forward_proxy`` need each other, bad
entries fail with file, line and key path, and CONNECT passthrough shows up as a security warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.config.compile import compile_runtime
from bastion.config.load import load_config
from bastion.errors import ConfigError
from bastion.server.services import build_services

CONFIG = """\
listeners:
  - address: 127.0.0.1:3128
    plaintext: true
    forward_proxy: true
  - address: 127.0.0.1:8080
    plaintext: true
audit: {enabled: false}
egress:
  forward_proxy:
    authenticate:
      - mtls: {identity: cn}
  partners:
    payments:
      url: https://api.payments.test/v2
      callers: [orders-svc]
      connect: passthrough
"""


def load(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "bastion.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        loaded = load_config(path, environ={})
        services = build_services(loaded)
        compile_runtime(loaded, services.mapping)
    return info.value


def test_good_config_warns_about_passthrough(tmp_path: Path) -> None:
    path = tmp_path / "bastion.yaml"
    path.write_text(CONFIG)
    loaded = load_config(path, environ={})
    runtime = compile_runtime(loaded, build_services(loaded).mapping)
    assert loaded.config.listeners[0].forward_proxy and not loaded.config.listeners[1].forward_proxy
    assert any("payments.connect is passthrough" in w and "neither inspected" in w for w in runtime.warnings)


def test_forward_proxy_listener_needs_the_egress_section(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.split("audit:")[0])
    assert err.path == "listeners[0].forward_proxy" and "egress.forward_proxy" in err.msg and err.line == 4


def test_egress_forward_proxy_needs_a_listener(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.replace("    forward_proxy: true\n", ""))
    assert err.path == "egress.forward_proxy" and "no listener" in err.msg and err.line == 9


def test_bad_authenticate_entry_has_file_line_and_key_path(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.replace("- mtls: {identity: cn}", "- basic: {}"))
    assert err.path == "egress.forward_proxy.authenticate[0].basic" and "not an identity policy" in err.msg
    assert err.line == 11 and str(err).startswith(f"{tmp_path / 'bastion.yaml'}:11:")


def test_authenticate_must_not_be_empty(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.replace("    authenticate:\n      - mtls: {identity: cn}", "    authenticate: []"))
    assert err.path == "egress.forward_proxy.authenticate" and err.line == 10


def test_connect_accepts_refuse_or_passthrough_only(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.replace("connect: passthrough", "connect: inspect"))
    assert err.path == "egress.partners.payments.connect" and err.line == 16


def test_tunnel_limits_are_durations(tmp_path: Path) -> None:
    err = load(tmp_path, CONFIG.replace("  partners:", "    tunnel: {idle_timeout: forever}\n  partners:"))
    assert err.path == "egress.forward_proxy.tunnel.idle_timeout"


class FakeTrail:
    def __init__(self, log: object) -> None:
        self.log = log
        self.events: list[tuple[str, dict[str, object]]] = []

    def emit(self, kind: str, data: dict[str, object]) -> None:
        self.events.append((kind, data))


@pytest.mark.anyio
async def test_proxy_records_go_to_the_audit_chain_or_else_the_log() -> None:
    from bastion.egress.audit import log_sink
    from bastion.egress.proxy_wiring import _sink

    trail = FakeTrail(log=object())
    await _sink(trail)({"event": "egress.tunnel", "caller": "a"})
    assert trail.events == [("egress.tunnel", {"event": "egress.tunnel", "caller": "a"})]
    assert _sink(FakeTrail(log=None)) is log_sink and _sink(None) is log_sink
