"""Bastion: a secure-by-default API gateway and API-security toolkit."""

__version__ = "0.1.0"
