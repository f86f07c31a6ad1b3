"""Logging for the long-running commands: stderr, with every record redacted before it is written.

Bastion's own log lines (warnings, reload errors, tracebacks) pass through ``RedactingFilter``, so a
token, cookie, password, card number or other personal data that reaches a log message is replaced
before it leaves the process. Client IP addresses are kept: operators need them to respond.
"""

from __future__ import annotations

import logging
import sys


def setup_logging(level: str = "info") -> None:
    from bastion.redaction.categories import Category
    from bastion.redaction.logsafe import RedactingFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(keep=frozenset({Category.IP})))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
