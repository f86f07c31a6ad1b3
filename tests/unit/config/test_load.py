"""Unit: configuration errors name the file, the line and the key path, and say what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.config.compile import compile_runtime
from bastion.config.load import load_config
from bastion.errors import ConfigError

GOOD = """\
listeners:
  - address: 127.0.0.1:8443
    plaintext: true
upstreams:
  orders: {url: "https://orders.internal:8443"}
routes:
  - id: health
    match: {path: /health}
    upstream: orders
    public: true
  - id: get-order
    match: {methods: [GET], path: "/orders/{order_id}"}
    upstream: orders
    public: true
    policies:
      - request_size: {max_body_bytes: 10KiB}
      - headers: {response: {add: {X-A: b}}}
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bastion.yaml"
    p.write_text(text)
    return p


def error_of(tmp_path: Path, text: str, compile_too: bool = True) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        loaded = load_config(write(tmp_path, text), environ={})
        if compile_too:
            compile_runtime(loaded)
    return info.value


def test_good_config_compiles_with_warnings(tmp_path: Path) -> None:
    rt = compile_runtime(load_config(write(tmp_path, GOOD), environ={}))
    assert [r.id for r in rt.routes] == ["health", "get-order"]
    assert any("plain HTTP" in w for w in rt.warnings)
    assert any("public" in w for w in rt.warnings)
    assert rt.routes[1].max_body == 10 * 1024


def test_policy_value_error_has_key_path_and_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("max_body_bytes: 10KiB", "max_body_bytes: lots"))
    assert err.path.startswith("routes[1].policies[0].request_size")
    assert err.line == 16
    assert "expected a size" in str(err)
    assert str(err).startswith(str(tmp_path / "bastion.yaml") + ":16:")


def test_unknown_key_is_forbidden(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("public: true\n  - id: get-order", "publc: true\n  - id: get-order"))
    assert err.path == "routes[0].publc" and err.line == 10
    assert "Extra inputs are not permitted" in err.msg


def test_unknown_policy_lists_known_ones(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("- headers:", "- haeders:"))
    assert err.path == "routes[1].policies[1]" and "unknown policy 'haeders'" in err.msg and "headers" in err.msg


def test_route_without_authentication_must_say_public(tmp_path: Path) -> None:
    text = GOOD.replace("    public: true\n    policies:", "    policies:")
    err = error_of(tmp_path, text)
    assert err.path == "routes[1]" and "public: true" in err.msg and err.line == 11


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("    upstream: orders\n    public: true\n  - id: get",
                                          "    upstream: orders\n    upstream: x\n    public: true\n  - id: get"))
    assert "duplicate key" in err.msg and err.line == 10


def test_unknown_upstream_reference(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("upstream: orders\n    public: true\n  - id: get",
                                          "upstream: nope\n    public: true\n  - id: get"))
    assert err.path == "routes[0].upstream" and "no upstream named 'nope'" in err.msg and err.line == 9


def test_listener_needs_tls_or_explicit_plaintext(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("    plaintext: true\n", ""))
    assert err.path == "listeners[0]" and "plaintext: true" in err.msg and err.line == 2


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("match: {path: /health}", "match: {path: /health"))
    assert "invalid YAML" in err.msg and err.line is not None


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read configuration"):
        load_config(tmp_path / "missing.yaml")


def test_env_override_with_double_underscore(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, GOOD), environ={"BASTION__LIMITS__MAX_BODY_BYTES": "2048",
                                                         "BASTION_ADMIN_TOKEN": "ignored"})
    assert loaded.config.limits.max_body_bytes == 2048


def test_upstream_url_with_credentials_is_refused(tmp_path: Path) -> None:
    err = error_of(tmp_path, GOOD.replace("https://orders.internal:8443", "https://u:p@orders.internal"))
    assert err.path == "upstreams.orders.url" and "u:p" not in str(err)
