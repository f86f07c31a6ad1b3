"""Authentication (API2:2023): security on every operation, no HTTP basic, no credentials in URLs,
no OAuth implicit or password flows, only defined schemes and declared scopes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import pii_category, segments
from bastion.findings.model import Severity
from bastion.openapi import Where


def _schemes(ctx: AuditContext) -> dict[str, tuple[Any, Where]]:
    return ctx.doc.component("securitySchemes") if ctx.doc else {}


@rule(RuleInfo(
    "auth.missing-security", "Operation without authentication", Severity.HIGH, "API2:2023", 306,
    "An operation with no security requirement (or only an optional one, `{}`) can be called by anyone. "
    "Unless the operation is deliberately public, this exposes its data and actions to unauthenticated "
    "clients, and attackers find such operations quickly.",
    "Declare a `security` requirement on the operation or globally; if it is meant to be public, say so "
    "with `x-public: true` (and `public: true` on its bastion route)."))
def missing_security(ctx: AuditContext) -> Iterator[Hit]:
    ops = [op for op in ctx.operations if op.spec.get("x-public") is not True and not op.webhook]
    if ctx.doc is not None and ops and not _schemes(ctx) and not any(op.security for op in ctx.operations):
        # one root cause: the document declares no authentication at all
        yield Hit(Where(ctx.doc.root, ""), f"The document declares no security scheme; none of its {len(ops)} "
                  "operations requires authentication.")
        return
    for op in ops:
        if not op.security:
            yield Hit(op.where, f"{op.label} declares no security requirement.", op)
        elif any(not req for req in op.security):
            yield Hit(op.where.child("security"), f"{op.label} makes authentication optional (`{{}}`).", op,
                      Severity.MEDIUM)


@rule(RuleInfo(
    "auth.undefined-scheme", "Security requirement names an undefined scheme", Severity.HIGH, "API2:2023", 287,
    "A security requirement that names no scheme in `components.securitySchemes` is meaningless: tools "
    "and gateways generated from the spec cannot enforce it, so the operation may end up unprotected.",
    "Define the scheme under `components.securitySchemes`, or correct the name in the requirement."))
def undefined_scheme(ctx: AuditContext) -> Iterator[Hit]:
    names = set(_schemes(ctx))
    reported: set[str] = set()
    for op in ctx.operations:
        undefined = sorted({n for req in op.security for n in req if n not in names} - reported)
        if undefined:  # one hit per place a requirement is written (fingerprints are per place)
            reported.update(undefined)
            where = op.where.child("security") if op.security_declared_here else Where(op.where.file, "/security")
            listed = ", ".join(f"`{n}`" for n in undefined)
            yield Hit(where, f"Security scheme(s) {listed} used but not defined.", op)


@rule(RuleInfo(
    "auth.http-basic", "HTTP Basic, Digest or another weak HTTP scheme", Severity.HIGH, "API2:2023", 522,
    "HTTP Basic sends a reusable password with every request (Digest relies on MD5, Negotiate and OAuth 1.0 "
    "are legacy); the credential cannot be scoped, never expires, and leaks through logs, proxies and "
    "browser caches.",
    "Use OAuth 2.0 bearer tokens (short-lived, scoped JWTs) or mTLS instead of `scheme: basic`/`digest`."))
def http_basic(ctx: AuditContext) -> Iterator[Hit]:
    for name, (scheme, where) in _schemes(ctx).items():
        if isinstance(scheme, dict) and scheme.get("type") == "http" and \
                str(scheme.get("scheme", "")).lower() in {"basic", "digest", "negotiate", "oauth"}:
            yield Hit(where, f"Security scheme `{name}` uses HTTP {str(scheme['scheme']).lower()}.")


@rule(RuleInfo(
    "auth.credentials-in-url", "Credentials in the URL", Severity.HIGH, "API2:2023", 598,
    "API keys, tokens and passwords in the query string or path are written to access logs, proxy logs, "
    "browser history and Referer headers, where anyone with log access can replay them.",
    "Send credentials in a header (`Authorization`, or an `apiKey` scheme with `in: header`), never in the URL."))
def credentials_in_url(ctx: AuditContext) -> Iterator[Hit]:
    for name, (scheme, where) in _schemes(ctx).items():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "query":
            yield Hit(where, f"Security scheme `{name}` takes its API key from the query string.")
    seen: set[Where] = set()
    for op in ctx.operations:
        for param in op.parameters:
            if param.location in {"query", "path"} and param.where not in seen:
                schema = param.schema.value if param.schema and isinstance(param.schema.value, dict) else {}
                if pii_category(param.name, schema) == "credentials":
                    seen.add(param.where)
                    yield Hit(param.where, f"{op.label} takes credential `{param.name}` in the {param.location}.", op)


@rule(RuleInfo(
    "auth.oauth-weak-flow", "OAuth implicit or password flow", Severity.HIGH, "API2:2023", 1390,
    "The implicit flow returns tokens in the URL fragment (leaked via history and Referer, no refresh, no "
    "sender binding); the resource-owner password flow hands the user's password to the client. OAuth 2.0 "
    "Security BCP (RFC 9700) forbids both.",
    "Use the authorization code flow with PKCE for users, and client credentials for services."))
def oauth_weak_flow(ctx: AuditContext) -> Iterator[Hit]:
    for name, (scheme, where) in _schemes(ctx).items():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        if isinstance(flows, dict):
            for flow in ("implicit", "password"):
                if flow in flows:
                    yield Hit(where.child("flows", flow), f"OAuth scheme `{name}` allows the {flow} flow.")


def _declared_scopes(scheme: Any) -> set[str] | None:
    if not isinstance(scheme, dict) or scheme.get("type") != "oauth2":
        return None
    scopes: set[str] = set()
    flows = scheme.get("flows")
    for flow in flows.values() if isinstance(flows, dict) else []:
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
            scopes.update(str(s) for s in flow["scopes"])
    return scopes


BROAD_SCOPES = frozenset({"*", "all", "admin", "root", "full", "full_access", "write", "read", "superuser"})


@rule(RuleInfo(
    "auth.scope-problems", "Undeclared or overly broad OAuth scopes", Severity.MEDIUM, "API5:2023", 272,
    "Scopes are how least privilege is expressed. A scope no flow declares cannot be granted, so the "
    "requirement is either unsatisfiable or silently ignored; a catch-all scope (`*`, `admin`, `write`) "
    "lets one token do everything, so a single leaked token compromises every operation.",
    "Declare every scope under the scheme's flows, and use narrow resource:action scopes (`orders:read`)."))
def scope_problems(ctx: AuditContext) -> Iterator[Hit]:
    schemes = _schemes(ctx)
    for name, (scheme, where) in schemes.items():
        declared = _declared_scopes(scheme)
        broad = sorted(s for s in declared or () if s.lower() in BROAD_SCOPES or s.endswith(":*"))
        if broad:
            yield Hit(where.child("flows"), f"OAuth scheme `{name}` declares broad scope(s): {', '.join(broad)}.")
    reported: set[tuple[str, str]] = set()
    for op in ctx.operations:
        missing: list[tuple[str, str]] = []
        for req in op.security:
            for name, scopes in req.items():
                declared = _declared_scopes(schemes.get(name, (None, None))[0])
                if declared is not None:
                    missing += [(name, s) for s in sorted(set(scopes) - declared) if (name, s) not in reported]
        if missing:  # one hit per operation, listing every undeclared scope
            reported.update(missing)
            listed = ", ".join(f"`{scope}` (`{name}`)" for name, scope in missing)
            yield Hit(op.where, f"{op.label} requires undeclared scope(s) {listed}.", op)


@rule(RuleInfo(
    "auth.jwt-practices", "JWT scheme without a stated RFC 8725 profile", Severity.INFO, "API2:2023", 347,
    "JWT libraries differ on `alg: none`, algorithm confusion and claim checks; a scheme that does not "
    "say it follows the JWT Best Current Practices leaves implementers to guess.",
    "State in the scheme's `description` that tokens follow RFC 8725 (allowed algorithms, required claims).",
    hygiene=True))
def jwt_practices(ctx: AuditContext) -> Iterator[Hit]:
    for name, (scheme, where) in _schemes(ctx).items():
        if not isinstance(scheme, dict):
            continue
        uses_jwt = scheme.get("type") == "oauth2" or str(scheme.get("bearerFormat", "")).lower() == "jwt"
        if uses_jwt and "8725" not in str(scheme.get("description", "")):
            yield Hit(where, f"Security scheme `{name}` does not state that its JWTs follow RFC 8725.")


@rule(RuleInfo(
    "auth.no-refresh", "OAuth flow without a refresh URL", Severity.INFO, "API2:2023", 613,
    "Without refresh tokens, access tokens tend to be made long-lived so users are not logged out, and a "
    "stolen token stays useful for longer.",
    "Issue short-lived access tokens with refresh tokens and declare the flow's `refreshUrl`.", hygiene=True))
def no_refresh(ctx: AuditContext) -> Iterator[Hit]:
    for name, (scheme, where) in _schemes(ctx).items():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        for flow, spec in (flows.items() if isinstance(flows, dict) else []):
            if flow in {"authorizationCode", "password"} and isinstance(spec, dict) and "refreshUrl" not in spec:
                yield Hit(where.child("flows", flow), f"OAuth scheme `{name}`'s {flow} flow has no refreshUrl.")


_ACCOUNT_FLOWS = frozenset({"login", "signin", "logon", "authenticate", "auth", "token", "session", "sessions",
                            "register", "signup", "password", "reset", "forgot", "recover"})
_REVEALS_ACCOUNT = re.compile(
    r"\b(user(name)?|account|e-?mail|login) (was )?(not found|does not exist|doesn't exist|is not registered|"
    r"not registered|unknown|already (exists|taken|registered|in use))\b|"
    r"\b(unknown|no such) (user(name)?|account|e-?mail)\b|"
    r"\binvalid (user(name)?|account|e-?mail)\b(?!\s*(or|and|/|,))|"
    r"\b(wrong|incorrect|invalid) password\b|\bpassword (is )?(not correct|incorrect|wrong)\b")
"""Error texts that tell a caller which half of a credential was wrong, or that an account exists."""


def _texts(value: Any, depth: int = 0) -> Iterator[str]:
    """Descriptions, examples and enum strings anywhere under a response object."""
    if depth > 12:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("description", "example", "examples", "enum", "value", "summary", "default") or \
                    isinstance(item, (dict, list)):
                yield from _texts(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, depth + 1)


@rule(RuleInfo(
    "auth.account-enumeration", "Authentication errors reveal which accounts exist", Severity.MEDIUM,
    "API2:2023", 204,
    "A login, registration or password-reset operation whose documented errors say 'user not found', "
    "'wrong password' or 'account already exists' lets an attacker test which usernames or e-mail "
    "addresses have accounts, then aim password guessing and phishing at exactly those.",
    "Answer every failed login with one message ('invalid credentials'), and registration and reset "
    "requests with the same answer whether or not the account exists (send the details by e-mail)."))
def account_enumeration(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    for op in ctx.operations:
        if op.webhook or not set(segments(op.path)) & _ACCOUNT_FLOWS:
            continue
        for code, response in op.responses.items():
            if not code.startswith("4") or not isinstance(response.value, dict):
                continue
            found = next((m for text in _texts(response.value) if (m := _REVEALS_ACCOUNT.search(text.lower()))),
                         None)
            if found is not None:
                yield Hit(response.where, f"{op.label} answers {code} with \"{found.group(0)}\": it tells callers "
                          "whether an account exists.", op)
                break
