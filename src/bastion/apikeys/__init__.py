"""API keys: a scanner-recognisable format with a checksum, stored only as HMAC-SHA256 under a server secret."""
