"""The only request-path I/O: the gateway engine (engine.py) and the upstream client (upstream.py)."""
