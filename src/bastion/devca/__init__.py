"""A development certificate authority for the demo and tests (``cryptography``; never for production)."""

from bastion.devca.ca import DevCA, ensure_demo_pki

__all__ = ["DevCA", "ensure_demo_pki"]
