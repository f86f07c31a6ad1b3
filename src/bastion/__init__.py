"""Bastion: a secure-by-default API gateway and API-security toolkit."""

from bastion.native import use_fresh_build as _use_fresh_build

__version__ = "0.1.0"

_use_fresh_build()  # the compiled hot path only when it was built from these very sources (bastion.native)
