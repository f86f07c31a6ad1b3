"""Unit: the in-process caller assertion between the egress policy and the egress app."""

from __future__ import annotations

import os

from bastion.egress.gateway import make_assertion, read_assertion

KEY = os.urandom(32)


def test_round_trip() -> None:
    value = make_assertion(KEY, "svc", "client-1", "GET", "/egress/p/x", 100.0)
    assert read_assertion(KEY, value, "GET", "/egress/p/x", 110.0) == ("svc", "client-1")


def test_rejects_forged_or_foreign_key() -> None:
    value = make_assertion(os.urandom(32), "svc", None, "GET", "/egress/p/x", 100.0)
    assert read_assertion(KEY, value, "GET", "/egress/p/x", 100.0) is None
    assert read_assertion(KEY, "eyJ4Ijp9.bad", "GET", "/egress/p/x", 100.0) is None
    assert read_assertion(KEY, None, "GET", "/egress/p/x", 100.0) is None


def test_rejects_assertion_for_another_request_or_too_old() -> None:
    value = make_assertion(KEY, "svc", None, "GET", "/egress/p/x", 100.0)
    assert read_assertion(KEY, value, "POST", "/egress/p/x", 100.0) is None
    assert read_assertion(KEY, value, "GET", "/egress/q/x", 100.0) is None
    assert read_assertion(KEY, value, "GET", "/egress/p/x", 200.0) is None
