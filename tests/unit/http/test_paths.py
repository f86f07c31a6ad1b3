"""Unit and property: path normalisation is idempotent and never escapes the root."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.http.paths import PathError, encode_path, normalize_path


@pytest.mark.parametrize(("raw", "expected"), [
    ("/", "/"), ("/a/b", "/a/b"), ("/a/./b", "/a/b"), ("/a/../b", "/b"), ("//a//b", "/a/b"),
    ("/%61dmin", "/admin"), ("/a/b/", "/a/b/"), ("/caf%C3%A9", "/café"),
    ("/users/Conan%20O'Brien", "/users/Conan O'Brien"),
])
def test_normalises(raw: str, expected: str) -> None:
    assert normalize_path(raw) == expected


@pytest.mark.parametrize("raw", [
    "/..", "/a/../..", "/%2e%2e/x", "/%2E%2E/%2E%2E/etc/passwd", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00b",
    "/%E2", "/%C0%AE%C0%AE/", "/%252e%252e/", "/%zz", "/%4", "a/b", "/a%09b", "/a%0d%0ab", "/a\x01",
])
def test_refuses_escapes_and_ambiguity(raw: str) -> None:
    with pytest.raises(PathError):
        normalize_path(raw)


segment = st.text(alphabet="abc.%2eEfF/\\", max_size=12)


@given(st.lists(segment, max_size=6))
def test_normalisation_is_idempotent_and_stays_under_root(parts: list[str]) -> None:
    raw = "/" + "/".join(parts)
    try:
        once = normalize_path(raw)
    except PathError:
        return
    assert once.startswith("/")
    assert "/../" not in once + "/" and "/./" not in once + "/"
    assert normalize_path(encode_path(once)) == once
