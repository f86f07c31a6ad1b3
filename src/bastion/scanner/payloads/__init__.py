"""Payload lists the probes draw from, read once from the text files beside this module."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def wordlist(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``<name>.txt``."""
    text = files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
