"""The flaws planted in the vulnerable twin: (scanner rule id, operation label or None, OWASP category).

The ground truth for the scanner's integration test and ``make bench-scan``: each row is one flaw
the code of ``VulnApi(secure=False)`` has on purpose (see the module docstrings of the route modules).
"""

from __future__ import annotations

PLANTED: list[tuple[str, str | None, str]] = [
    ("bola.read", "GET /api/v1/users/{user_id}", "API1:2023"),
    ("bola.read", "GET /api/v1/orders/{order_id}", "API1:2023"),
    ("bola.write", "PUT /api/v1/orders/{order_id}", "API1:2023"),
    ("bola.write", "PUT /api/v1/users/{username}", "API1:2023"),
    ("bola.write", "PUT /api/v1/users/me", "API1:2023"),
    ("bola.delete", "DELETE /api/v1/orders/{order_id}", "API1:2023"),
    ("bola.delete", "DELETE /api/v1/posts/{post_id}", "API1:2023"),
    ("auth.alg-none", None, "API2:2023"),
    ("auth.stripped-signature", None, "API2:2023"),
    ("auth.expired-token", None, "API2:2023"),
    ("auth.wrong-audience", None, "API2:2023"),
    ("auth.weak-jwt-secret", None, "API2:2023"),
    ("auth.token-in-url", "GET /api/v1/users/me/export", "API2:2023"),
    ("auth.no-attempt-limit", "POST /api/v1/auth/login", "API2:2023"),
    ("auth.no-attempt-limit", "POST /api/v1/auth/password-reset/confirm", "API2:2023"),
    ("auth.user-enumeration", "POST /api/v1/auth/login", "API2:2023"),
    ("auth.user-enumeration", "POST /api/v1/auth/password-reset", "API2:2023"),
    ("bopla.mass-assignment", "POST /api/v1/auth/register", "API3:2023"),
    ("bopla.mass-assignment", "POST /api/v1/orders", "API3:2023"),
    ("bopla.mass-assignment", "PUT /api/v1/users/me", "API3:2023"),
    ("bopla.sensitive-property", "GET /api/v1/users/{user_id}", "API3:2023"),
    ("resource.no-rate-limit", None, "API4:2023"),
    ("resource.unbounded-page-size", "GET /api/v1/products", "API4:2023"),
    ("resource.unbounded-page-size", "GET /api/v1/orders", "API4:2023"),
    ("resource.oversized-input", "POST /api/v1/products/{product_id}/reviews", "API4:2023"),
    ("resource.redos", "GET /api/v1/newsletter/check", "API4:2023"),
    ("bfla.privileged-operation", "GET /api/v1/admin/users", "API5:2023"),
    ("bfla.privileged-operation", "GET /api/v1/admin/stats", "API5:2023"),
    ("ssrf.callback", "POST /api/v1/users/me/avatar", "API7:2023"),
    ("misconfig.cors-reflection", None, "API8:2023"),
    ("misconfig.missing-header", None, "API8:2023"),
    ("misconfig.technology-header", None, "API8:2023"),
    ("misconfig.verbose-error", "GET /api/v1/products/{product_id}", "API8:2023"),
    ("misconfig.trace-enabled", None, "API8:2023"),
    ("injection.sql", "GET /api/v1/products", "API8:2023"),
    ("injection.sql", "GET /api/v1/products/{product_id}", "API8:2023"),
    ("injection.sql", "POST /api/v1/orders/{order_id}/coupon", "API8:2023"),
    ("injection.nosql", "POST /api/v1/auth/login", "API8:2023"),
    ("injection.os-command", "GET /api/v1/tools/hosts", "API8:2023"),
    ("inventory.undocumented-path", "GET /debug", "API9:2023"),
    ("inventory.undocumented-path", "GET /api/v0/users", "API9:2023"),
    ("inventory.spec-mismatch", "GET /api/v1/posts", "API9:2023"),
    ("inventory.undocumented-status", "GET /api/v1/products/{product_id}/reviews", "API9:2023"),
]
