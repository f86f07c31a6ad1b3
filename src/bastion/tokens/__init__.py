"""Bearer-token verification: strict JWS parsing, RFC 8725 rules, JWKS and verified-token caches."""
