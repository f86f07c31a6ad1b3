"""The per-route policy chain: contract (policy.py), state (exchange.py), runner, registry."""
