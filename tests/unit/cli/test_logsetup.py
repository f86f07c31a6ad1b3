"""Unit: the gateway's own log output is redacted before it is written."""

from __future__ import annotations

import logging

import pytest

from bastion.cli.logsetup import setup_logging


def test_secrets_in_gateway_log_lines_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    saved = logging.getLogger().handlers[:], logging.getLogger().level
    try:
        setup_logging("info")
        token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjdXN0b21lci0xMDAxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
        log = logging.getLogger("bastion.test")
        log.warning("upstream said: Authorization: Bearer %s", token)
        log.warning("card 4111 1111 1111 1111 seen from 203.0.113.9")
        err = capsys.readouterr().err
        assert token not in err and "4111 1111 1111 1111" not in err
        assert "203.0.113.9" in err, "client addresses stay: operators need them"
    finally:
        logging.getLogger().handlers[:], level = saved
        logging.getLogger().setLevel(level)
