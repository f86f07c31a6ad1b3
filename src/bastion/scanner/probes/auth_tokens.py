"""API2 broken authentication: which broken credentials does a protected operation accept?

For up to three secured GET operations that answer identity A, the probe replays A's baseline with no
credentials, a malformed token, and, when A's token is a JWT: ``alg: none``, the signature stripped,
and (when its HMAC secret is in the weak-secret list) re-signed copies that are expired or for
another audience. A variant is a finding only when the answer is 2xx and carries A's data.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, ClassVar

from bastion.findings.model import Evidence
from bastion.scanner.catalogue import finding
from bastion.scanner.context import ScanContext
from bastion.scanner.messages import Flow, offline, send
from bastion.scanner.probes import jwt_forge
from bastion.scanner.probes.base import baselines, leaves, report


def _variants(token: str | None, secret: bytes | None) -> list[tuple[str, str | None, str]]:
    """(rule, Authorization header or None, what was sent)."""
    out: list[tuple[str, str | None, str]] = [
        ("auth.no-token", None, "no credentials"),
        ("auth.malformed-token", "Bearer bastion.scan.malformed", "a malformed bearer token"),
    ]
    decoded = jwt_forge.decode(token) if token else None
    if token is None or decoded is None:
        return out
    header, claims = decoded
    out += [("auth.alg-none", "Bearer " + jwt_forge.unsigned(claims), "the same claims with alg: none"),
            ("auth.stripped-signature", "Bearer " + jwt_forge.stripped(token), "the token without its signature")]
    if secret is not None:
        expired = _expired(claims)
        if expired is not None:
            out.append(("auth.expired-token", "Bearer " + jwt_forge.sign(header, expired, secret),
                        "a correctly signed token that expired an hour ago"))
        other = {**claims, "aud": "bastion-scan-other-audience"}
        out.append(("auth.wrong-audience", "Bearer " + jwt_forge.sign(header, other, secret),
                    "a correctly signed token for another audience"))
    return out


def _expired(claims: dict[str, Any]) -> dict[str, Any] | None:
    iat, exp = claims.get("iat"), claims.get("exp")
    if isinstance(iat, int):
        return {**claims, "exp": iat - 3600, "iat": iat - 7200}
    if isinstance(exp, int):
        return {**claims, "exp": exp - 172_800}
    return None


class AuthTokensProbe:
    id: ClassVar[str] = "auth-tokens"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        if not ctx.has("a"):
            return
        token = ctx.identities["a"].token
        secret = (yield from offline(partial(jwt_forge.crack, token, jwt_forge.MAX_DIGITS))) if token else None
        if token and secret is not None:
            self._weak_secret(ctx, token)
        secured = [o for o in ctx.operations if o.secured and o.method == "GET"]
        targets = sorted(baselines(ctx, "a", secured), key=lambda t: len(t[0].path_params))[:3]
        done: set[str] = set()
        for op, base in targets:
            own = leaves(base.response.json())
            for rule, header, what in _variants(token, secret):
                if rule in done:
                    continue
                headers = tuple(h for h in base.request.headers if h[0].lower() != "authorization")
                if header is not None:
                    headers += (("Authorization", header),)
                request = replace(base.request, identity=None, headers=headers, purpose="probe")
                response = yield from send(request)
                if response.ok and (own & leaves(response.json()) or response.body == base.response.body):
                    done.add(rule)
                    report(ctx, rule, f"{op.label} answered {response.status} with A's data to {what}.",
                           request, response, operation=op.label)

    def _weak_secret(self, ctx: ScanContext, token: str) -> None:
        decoded = jwt_forge.decode(token)
        alg = decoded[0].get("alg") if decoded else "HS256"
        ctx.add(finding(
            "auth.weak-jwt-secret",
            f"Identity A's {alg} token verifies with a weak secret (bastion's built-in list, or a number of at "
            f"most {jwt_forge.MAX_DIGITS} digits; cracked offline, the secret is not shown), so tokens for any "
            "user or role can be forged.",
            operation="token signing",
            evidence=Evidence(notes="No request was needed: the signature was checked locally."),
        ))
