"""Request validation against OpenAPI operations: compiled once at load, applied by ``policies/validate.py``."""
