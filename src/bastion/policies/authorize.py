"""``authorize`` policy: what an authenticated principal may do on this route. Deny by default.

Rules, all of which must hold (any unmet rule → 403; no principal → 401):

- ``scopes`` (``scopes_mode: all|any``), exact match;
- ``claims``: claim conditions, ``{claim: value | [values]}`` (the claim equals, or contains, a value);
- ``admin``: function-level rule for admin operations (OWASP API5): the principal needs one of
  ``admin.scopes`` or a role in ``admin.roles`` (claim ``admin.roles_claim``), for ``admin.methods``
  (all methods when empty);
- ``object``: object-level rules (OWASP API1/BOLA) binding a request value (path ``param``, ``query``
  parameter or JSON-body ``pointer``) to a claim: the value must equal the claim or be listed in it.
  ``admin_bypass`` lets principals that pass the ``admin`` rule reach any object.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bastion.chain.exchange import Exchange, Principal
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import FORBIDDEN, Problem
from bastion.policies.bearer import insufficient_scope, invalid_token, warn_if_report_only
from bastion.tokens.claims import require_scopes
from bastion.tokens.errors import InsufficientScope


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class AdminRule(_Rule):
    scopes: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    roles_claim: str = "roles"
    methods: list[str] = Field(default_factory=list)
    """Methods the rule applies to (e.g. ``[POST, PUT, DELETE]``); empty means every method."""


class ObjectRule(_Rule):
    param: str | None = None
    query: str | None = None
    pointer: str | None = None
    """RFC 6901 JSON pointer into the request body, e.g. ``/customer_id``."""
    claim: str = "sub"
    """Claim holding the principal's own object id(s); dots reach nested claims (``ext.customers``)."""
    admin_bypass: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> ObjectRule:
        if sum(x is not None for x in (self.param, self.query, self.pointer)) != 1:
            raise ValueError("set exactly one of param, query, pointer")
        if self.pointer is not None and not self.pointer.startswith("/"):
            raise ValueError("pointer must start with /")
        return self


class AuthorizeConfig(PolicyConfig):
    scopes: list[str] = Field(default_factory=list)
    scopes_mode: Literal["all", "any"] = "all"
    claims: dict[str, str | list[str]] = Field(default_factory=dict)
    admin: AdminRule | None = None
    object: list[ObjectRule] | ObjectRule = Field(default_factory=list)

    @property
    def object_rules(self) -> list[ObjectRule]:
        return self.object if isinstance(self.object, list) else [self.object]


class AuthorizePolicy(Policy):
    name = "authorize"
    config_model = AuthorizeConfig
    config: AuthorizeConfig

    def __new__(cls, config: AuthorizeConfig, deps: PolicyDeps) -> AuthorizePolicy:
        if cls is AuthorizePolicy and any(r.pointer for r in config.object_rules):
            return super().__new__(AuthorizeBodyPolicy)
        return super().__new__(cls)

    def __init__(self, config: AuthorizeConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        warn_if_report_only(self.name, config)
        if not (config.scopes or config.claims or config.admin or config.object_rules):
            raise ConfigError("", "authorize needs at least one rule (scopes, claims, admin or object)")

    async def on_request(self, ex: Exchange) -> Problem | None:
        p = ex.principal
        if p is None:
            return self._deny(ex, "no principal", invalid_token("Authentication is required."))
        try:
            require_scopes(p.scopes, self.config.scopes, self.config.scopes_mode)
        except InsufficientScope:
            return self._deny(ex, "insufficient scope", insufficient_scope(self.config.scopes))
        for name, wanted in self.config.claims.items():
            if not _matches(claim_value(p, name), wanted if isinstance(wanted, list) else [wanted]):
                return self._deny(ex, f"claim {name}", FORBIDDEN.problem("Access to this resource is denied."))
        admin = self.config.admin
        is_admin = admin is not None and _is_admin(p, admin)
        if admin is not None and (not admin.methods or ex.request.method in admin.methods) and not is_admin:
            return self._deny(ex, "admin required", FORBIDDEN.problem("This operation requires an administrator."))
        for rule in self.config.object_rules:
            if rule.admin_bypass and is_admin:
                continue
            value = self._object_value(ex, rule)
            if value is None or not _matches(claim_value(p, rule.claim), [value]):
                return self._deny(ex, "object not owned", FORBIDDEN.problem("Access to this object is denied."))
        return None

    def _object_value(self, ex: Exchange, rule: ObjectRule) -> str | None:
        if rule.param is not None:
            return ex.route.params.get(rule.param)
        if rule.query is not None:
            values = [v for k, v in ex.request.query if k == rule.query]
            return values[0] if len(values) == 1 else None
        return _pointer(ex.request_body, rule.pointer or "")

    def _deny(self, ex: Exchange, reason: str, problem: Problem) -> Problem:
        ex.notes[self.name] = {"reason": reason}
        return problem


class AuthorizeBodyPolicy(AuthorizePolicy):
    needs_request_body: ClassVar[bool] = True


def claim_value(p: Principal, name: str) -> Any:
    if name == "scope":
        return sorted(p.scopes)
    value: Any = p.claims
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None and name == "sub":
        return p.subject
    return value


def _matches(actual: Any, wanted: list[str]) -> bool:
    if isinstance(actual, bool) or actual is None:
        return False
    if isinstance(actual, (str, int)):
        return str(actual) in wanted
    if isinstance(actual, list):
        return any(isinstance(a, (str, int)) and not isinstance(a, bool) and str(a) in wanted for a in actual)
    return False


def _is_admin(p: Principal, rule: AdminRule) -> bool:
    if not p.scopes.isdisjoint(rule.scopes):
        return True
    roles = claim_value(p, rule.roles_claim)
    return bool(rule.roles) and _matches(roles, rule.roles)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def _pointer(body: bytes | None, pointer: str) -> str | None:
    if not body:
        return None
    try:
        value: Any = json.loads(body, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        return None
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value)
