"""Unit: ${env:…}, ${file:…} and ${secret:…} references resolve, and errors never carry values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.errors import SecretError
from bastion.secrets.references import (
    Secret,
    is_reference,
    parse_reference,
    resolve_reference,
    resolve_secret,
)


def test_parses_braced_and_bare_forms() -> None:
    assert parse_reference("${env:API_KEY}") == ("env", "API_KEY")
    assert parse_reference("${file:/run/secrets/k}") == ("file", "/run/secrets/k")
    assert parse_reference("${secret:partner.key}") == ("secret", "partner.key")
    assert parse_reference("env:TOKEN") == ("env", "TOKEN")
    assert parse_reference("plain-value") is None
    assert not is_reference("${vault:x}")


def test_env_reference_resolves_from_given_environment() -> None:
    assert resolve_reference("${env:K}", environ={"K": "v1"}) == "v1"


def test_missing_env_names_the_variable_only() -> None:
    with pytest.raises(SecretError, match=r"env:MISSING"):
        resolve_reference("${env:MISSING}", environ={})


def test_invalid_env_name_rejected() -> None:
    with pytest.raises(SecretError, match="invalid"):
        resolve_reference("${env:A-B}", environ={"A-B": "x"})


def test_file_reference_relative_to_base_dir_strips_one_newline(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text("s3cret\n")
    assert resolve_reference("${file:k.txt}", base_dir=tmp_path) == "s3cret"


def test_unreadable_file_error_has_no_content(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match="cannot read file"):
        resolve_reference(f"${{file:{tmp_path / 'nope'}}}")


def test_empty_file_rejected(tmp_path: Path) -> None:
    (tmp_path / "e").write_text("\n")
    with pytest.raises(SecretError, match="empty"):
        resolve_reference("${file:e}", base_dir=tmp_path)


def test_secret_reference_needs_a_store() -> None:
    with pytest.raises(SecretError, match="no secret store"):
        resolve_reference("${secret:x}")
    assert resolve_reference("${secret:x}", secret_lookup=lambda n: n.upper()) == "X"


def test_secret_wrapper_masks_repr_and_str() -> None:
    s = resolve_secret("${env:K}", environ={"K": "hunter2"})
    assert "hunter2" not in repr(s) and "hunter2" not in str(s) and "hunter2" not in f"{s}"
    assert s.reveal() == "hunter2"
    assert s == Secret("hunter2") and s != Secret("other")


def test_not_a_reference_error_does_not_echo_input() -> None:
    with pytest.raises(SecretError) as info:
        resolve_reference("raw-secret-value")
    assert "raw-secret-value" not in str(info.value)
