"""Every scanner rule: id, title, severity, OWASP API 2023 category, CWE, risk and fix, in one table.

Probes name a rule and say what they saw; ``finding()`` attaches the rest, so wording and
classification stay consistent across probes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.findings.model import Evidence, Finding, Location, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    title: str
    severity: Severity
    owasp: str
    cwe: int
    risk: str
    fix: str


C, H, M, L = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW
AUTHZ_FIX = "Check on every request that the caller owns or may act on the object, in the data layer."
AUTHN_RISK = "Anyone can act as a user without valid credentials."
VERIFY_ADVICE = (
    "Verify tokens with a library and an algorithm allow-list; require a valid signature, "
             "exp and aud (or put bastion's jwt policy in front).")
INJ_FIX = "Use parameterised queries or safe APIs; never build queries or commands from input."

RULES: dict[str, Rule] = {
    "bola.read": Rule("Another user's object is readable", C, "API1:2023", 639,
                      "Any user can read other users' records by changing an id.", AUTHZ_FIX),
    "bola.write": Rule("Another user's object is writable", C, "API1:2023", 639,
                       "Any user can change other users' records.", AUTHZ_FIX),
    "bola.delete": Rule("Another user's object can be deleted", C, "API1:2023", 639,
                        "Any user can delete other users' records.", AUTHZ_FIX),
    "bola.credential-change": Rule("Another user's password can be changed", C, "API1:2023", 620,
                                   "Any user can set another user's password and take the account over.",
                                   "Change only the caller's own password, and require the current one."),
    "auth.no-token": Rule("Protected operation works without credentials", C, "API2:2023", 306, AUTHN_RISK,
                          "Require authentication on every operation the spec marks as secured."),
    "auth.malformed-token": Rule("Malformed token accepted", C, "API2:2023", 287, AUTHN_RISK, VERIFY_ADVICE),
    "auth.alg-none": Rule("Unsigned JWT (alg: none) accepted", C, "API2:2023", 347, AUTHN_RISK, VERIFY_ADVICE),
    "auth.stripped-signature": Rule("JWT without signature accepted", C, "API2:2023", 347, AUTHN_RISK,
                                    VERIFY_ADVICE),
    "auth.expired-token": Rule("Expired JWT accepted", H, "API2:2023", 613,
                               "Stolen tokens stay valid forever.", VERIFY_ADVICE),
    "auth.wrong-audience": Rule("JWT for another audience accepted", H, "API2:2023", 287,
                                "A token issued for another service is accepted here.", VERIFY_ADVICE),
    "auth.weak-jwt-secret": Rule("JWT signed with a guessable secret", C, "API2:2023", 521,
                                 "Anyone who guesses the secret can forge tokens for any user or role.",
                                 "Use a random key of at least 256 bits, or asymmetric keys; rotate it now."),
    "auth.token-in-url": Rule("Credentials accepted in the URL", M, "API2:2023", 598,
                              "URLs end up in logs, proxies and browser history, and the token with them.",
                              "Accept credentials only in the Authorization header."),
    "auth.no-attempt-limit": Rule("No limit on authentication attempts", H, "API2:2023", 307,
                                  "Passwords, reset codes and OTPs can be brute-forced.",
                                  "Limit attempts per account and client (429 with Retry-After), "
                                  "lock or slow down after repeated failures."),
    "auth.user-enumeration": Rule("User enumeration", M, "API2:2023", 204,
                                  "Attackers learn which accounts exist and target them.",
                                  "Answer identically (status, body, timing) for known and unknown users."),
    "bopla.mass-assignment": Rule("Mass assignment of server-managed properties", H, "API3:2023", 915,
                                  "Clients set properties they must not control (role, owner, price).",
                                  "Bind requests to an explicit allow-list of writable properties."),
    "bopla.sensitive-property": Rule("Sensitive data in responses", H, "API3:2023", 213,
                                     "Responses carry secrets or personal data the client does not need.",
                                     "Return only documented properties (bastion's minimize policy)."),
    "bopla.undocumented-property": Rule("Undocumented properties in responses", L, "API3:2023", 213,
                                        "Responses carry more than the contract says: likely internal data.",
                                        "Serialise responses through the documented schema."),
    "resource.no-rate-limit": Rule("No rate limiting", M, "API4:2023", 770,
                                   "Clients can exhaust the service or scrape it at full speed.",
                                   "Rate-limit per client and per user; answer 429 with Retry-After."),
    "resource.unbounded-page-size": Rule("Page size without an upper bound", M, "API4:2023", 770,
                                         "One request can ask for the whole table.",
                                         "Reject or clamp page sizes above a documented maximum."),
    "resource.oversized-input": Rule("Oversized input accepted", M, "API4:2023", 770,
                                     "Large bodies and strings use memory, storage and CPU.",
                                     "Enforce maxLength and a request body limit (413)."),
    "resource.redos": Rule("Slow response to crafted input (ReDoS)", H, "API4:2023", 1333,
                           "A few requests with crafted strings keep the server busy for seconds each.",
                           "Use linear-time regex engines (RE2) or bounded patterns and input lengths."),
    "bfla.privileged-operation": Rule("Privileged operation open to a regular user", C, "API5:2023", 285,
                                      "Regular users can call administrative functions.",
                                      "Check the caller's role or scope on every privileged operation."),
    "ssrf.callback": Rule("Server fetches attacker-supplied URLs", H, "API7:2023", 918,
                          "The server can be made to reach internal services and cloud metadata.",
                          "Allow-list destinations; refuse internal addresses; fetch without redirects."),
    "misconfig.missing-header": Rule("Security header missing", L, "API8:2023", 693,
                                     "Browsers and caches are not told how to treat API responses.",
                                     "Send the header on every response (bastion adds them)."),
    "misconfig.technology-header": Rule("Technology disclosed in headers", L, "API8:2023", 200,
                                        "Version banners help attackers pick exploits.",
                                        "Remove X-Powered-By and version numbers from Server."),
    "misconfig.cors-reflection": Rule("CORS reflects arbitrary origins", H, "API8:2023", 942,
                                      "Any web site can read responses with the user's credentials.",
                                      "Allow-list origins; never reflect Origin with credentials."),
    "misconfig.verbose-error": Rule("Verbose error with internals", M, "API8:2023", 209,
                                    "Stack traces and SQL errors reveal code, queries and versions.",
                                    "Return problem+json with a generic message; log the details."),
    "misconfig.trace-enabled": Rule("TRACE method enabled", L, "API8:2023", 693,
                                    "TRACE echoes requests, headers included (cross-site tracing).",
                                    "Disable TRACE."),
    "misconfig.tls": Rule("Weak TLS configuration", H, "API8:2023", 326,
                          "Traffic can be intercepted or downgraded.",
                          "TLS 1.2+ only, modern AEAD ciphers, a valid certificate for the host name."),
    "injection.sql": Rule("SQL injection", C, "API8:2023", 89,
                          "Attackers read or change the database.", INJ_FIX),
    "injection.nosql": Rule("NoSQL operator injection", C, "API8:2023", 943,
                            "Query operators in input change what the query matches (login bypass).",
                            "Accept only scalar values where scalars are expected; validate types."),
    "injection.os-command": Rule("OS command injection", C, "API8:2023", 78,
                                 "Attackers run commands on the server.", INJ_FIX),
    "inventory.undocumented-path": Rule("Undocumented endpoint reachable", M, "API9:2023", 1059,
                                        "Forgotten, debug or old endpoints escape review and protection.",
                                        "Remove it, or document it and protect it like the rest."),
    "inventory.spec-mismatch": Rule("Response does not match the spec", L, "API9:2023", 1068,
                                    "Clients and validators trust a contract the API does not keep.",
                                    "Fix the response or the spec; validate responses in tests."),
    "inventory.undocumented-status": Rule("Undocumented status code", L, "API9:2023", 1068,
                                          "Unplanned errors reach clients; often an unhandled exception.",
                                          "Handle the case and document the status."),
}


def finding(rule_id: str, message: str, *, operation: str = "", method: str = "", url: str = "",
            evidence: Evidence | None = None, severity: Severity | None = None) -> Finding:
    rule = RULES[rule_id]
    return Finding(
        rule_id=rule_id, title=rule.title, severity=severity or rule.severity, owasp=rule.owasp, cwe=rule.cwe,
        message=message, risk=rule.risk, fix=rule.fix,
        location=Location(method=method or None, url=url or None, operation=operation or None),
        evidence=evidence, tags=("dast",),
    )
