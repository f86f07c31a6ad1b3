"""Policy registry: YAML key → policy class, imported lazily so unused policies cost nothing.

To add a policy, write ``policies/<name>.py`` with ``XxxConfig(PolicyConfig)`` and ``XxxPolicy(Policy)``
(``name = "<name>"``, ``config_model = XxxConfig``) and add one line to ``BUILTIN``.
"""

from __future__ import annotations

import importlib
from typing import Any

from pydantic import ValidationError

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError

BUILTIN: dict[str, str] = {
    "request_size": "bastion.policies.request_size:RequestSizePolicy",
    "headers": "bastion.policies.headers:HeadersPolicy",
    "jwt": "bastion.policies.jwt:JwtPolicy",
    "introspection": "bastion.policies.introspection:IntrospectionPolicy",
    "api_key": "bastion.policies.api_key:ApiKeyPolicy",
    "mtls": "bastion.policies.mtls:MtlsPolicy",
    "authorize": "bastion.policies.authorize:AuthorizePolicy",
    "rate_limit": "bastion.policies.rate_limit:RateLimitPolicy",
    "ip_filter": "bastion.policies.ip_filter:IpFilterPolicy",
    "cors": "bastion.policies.cors:CorsPolicy",
    "methods": "bastion.policies.methods:MethodsPolicy",
    "validate": "bastion.policies.validate:ValidatePolicy",
    "waf": "bastion.policies.waf:WafPolicy",
    "minimize": "bastion.policies.minimize:MinimizePolicy",
    "request_minimize": "bastion.policies.request_minimize:RequestMinimizePolicy",
    "egress": "bastion.egress.gateway:EgressPolicy",
}


def register(name: str, target: str) -> None:
    """Register an extra policy by ``module:Class`` path."""
    BUILTIN[name] = target


def policy_class(name: str) -> type[Policy]:
    try:
        target = BUILTIN[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN))
        raise ConfigError("", f"unknown policy {name!r}; expected one of: {known}") from None
    module_name, _, cls_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, cls_name)
    assert isinstance(cls, type) and issubclass(cls, Policy)
    return cls


def build_policy(name: str, raw: Any, deps: PolicyDeps, path: str) -> Policy:
    """Validate ``raw`` with the policy's config model and construct it; errors carry ``path``."""
    try:
        cls = policy_class(name)
    except ConfigError as exc:
        raise ConfigError(path, exc.msg) from None
    model: type[PolicyConfig] = getattr(cls, "config_model", PolicyConfig)
    try:
        config = model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise ConfigError(path + "." + name, format_validation_error(exc)) from None
    try:
        return cls(config, deps)
    except ConfigError as exc:
        sub = f"{path}.{name}" + (f".{exc.path}" if exc.path else "")
        raise ConfigError(sub, exc.msg) from None


def format_validation_error(exc: ValidationError, prefix: str = "") -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        parts.append(f"{prefix}{loc.lstrip('.')}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)
