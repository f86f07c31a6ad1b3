"""A deliberately vulnerable sample API and its secure twin, for ``bastion scan`` and the lab.

``VulnApi(secure=False)`` plants at least one flaw per scanner check; ``VulnApi(secure=True)`` is
the same API with each flaw fixed. The OpenAPI description both implement is ``openapi.yaml``.
Run with ``python -m bastion.samples.vulnapi --port 8000 [--secure]`` (binds 127.0.0.1).
"""

from __future__ import annotations

from pathlib import Path

from bastion.samples.vulnapi.app import VulnApi

SPEC_PATH = Path(__file__).with_name("openapi.yaml")

__all__ = ["SPEC_PATH", "VulnApi"]
