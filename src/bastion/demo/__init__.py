"""``bastion demo``: the embedded default — shop API, gateway, token issuer, TLS, no setup."""
