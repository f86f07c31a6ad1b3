"""``validate``: requests must be operations of the route's OpenAPI document, and valid ones.

    openapi: {orders: specs/orders.yaml}          # top-level section: documents by name
    routes:
      - policies:
          - validate: {openapi: orders}

Everything is compiled at load (``validation/table.py``): path templates, parameter and body
validators (jsonschema-rs). Per request:

1. the method and normalised path must be an operation of the document, else 404, or 405 with
   ``Allow`` (shadow and undocumented endpoints, OWASP API9:2023);
2. path, query, header and cookie parameters are converted and validated; required ones must be
   present; a non-array parameter must not repeat (400);
3. the body's ``Content-Type`` must be one the operation declares (415); a JSON body is parsed
   strictly — UTF-8, no duplicate keys, no NaN (400) — and validated with undeclared and read-only
   properties refused (422; mass assignment, OWASP API3:2023, CWE-915).

Problems carry ``errors: [{pointer, detail, in}]`` whose text comes from the schema, never from the
request. The body is validated in place and forwarded byte for byte: ``ex.request_body`` is never
replaced, so what the upstream parses is exactly what was validated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from pydantic import Field

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    REQUEST_INVALID,
    UNPROCESSABLE,
    UNSUPPORTED_MEDIA_TYPE,
    Problem,
)
from bastion.validation import params
from bastion.validation.body import parse_json
from bastion.validation.form import parse_form
from bastion.validation.messages import BodyError, collect, pointer
from bastion.validation.table import CompiledOperation, OperationTable, server_base_path

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange
    from bastion.openapi import OpenAPIDocument


class ValidateConfig(PolicyConfig):
    openapi: str = Field(min_length=1)
    """Name of a document in the top-level ``openapi:`` section."""
    base_path: str | None = Field(default=None, pattern=r"^(/[^/]+)*/?$")
    """Path prefix the document's paths live under; default: the path of its first ``servers`` URL."""
    reject_unknown_properties: bool = True
    """Refuse JSON properties the schema does not declare (mass assignment). Turning this off is
    only sensible for schemas that list their properties incompletely."""
    reject_unknown_query: bool = False
    """Also refuse query parameters the operation does not declare."""


_TABLES: WeakKeyDictionary[OpenAPIDocument, dict[tuple[str, bool], OperationTable]] = WeakKeyDictionary()
"""Compiled operation tables per loaded document (a document of 845 operations takes 0.3 s): routes that
validate against the same document share one; a reload loads new documents, and the old tables go with
the old ones."""


class ValidatePolicy(Policy):
    name = "validate"
    needs_request_body = True
    config_model = ValidateConfig
    config: ValidateConfig

    def __init__(self, config: ValidateConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        doc = deps.openapi.get(config.openapi)
        if doc is None:
            known = ", ".join(sorted(deps.openapi)) or "none"
            raise ConfigError("openapi", f"no OpenAPI document named {config.openapi!r} (known: {known})")
        base = server_base_path(doc) if config.base_path is None else config.base_path
        tables = _TABLES.setdefault(doc, {})
        key = (base, config.reject_unknown_properties)
        if key not in tables:
            tables[key] = OperationTable(doc, base, config.reject_unknown_properties)
        self.table = tables[key]

    async def on_request(self, ex: Exchange) -> Problem | None:
        op, path_params, allow = self.table.match(ex.request.method, ex.request.path)
        if op is None:
            if allow is not None:
                return METHOD_NOT_ALLOWED.problem("method not declared for this path", headers=(("allow", allow),))
            return NOT_FOUND.problem("no such operation")
        ex.notes[self.name] = op.operation_id or f"{op.method} {op.template}"
        errors = self._parameters(ex, op, path_params)
        if errors:
            return REQUEST_INVALID.problem("request parameters failed validation", errors=errors)
        return self._body(ex, op)

    def _parameters(self, ex: Exchange, op: CompiledOperation, path_params: dict[str, str]) -> list[dict[str, str]]:
        if not op.params and not self.config.reject_unknown_query:
            return []  # nothing declared to check (params.check of no rules), nothing undeclared to refuse
        query: dict[str, list[str]] = {}
        if op.locations & {"query"} or self.config.reject_unknown_query:
            for key, value in ex.request.query:
                query.setdefault(key, []).append(value)
        values: dict[str, dict[str, list[str]]] = {
            "path": {k: [v] for k, v in path_params.items()},
            "query": query,
            "header": _headers(ex, op),
            "cookie": _cookies(ex) if "cookie" in op.locations else {},
        }
        errors = params.check(op.params, values)
        if self.config.reject_unknown_query:
            errors += [{"pointer": pointer((k,)), "detail": "undeclared query parameter", "in": "query"}
                       for k in query if k not in op.query_names]
        return errors

    def _body(self, ex: Exchange, op: CompiledOperation) -> Problem | None:
        if ex.request_body is None and _has_body(ex):
            raise RuntimeError("validate needs the buffered request body")  # fail closed: the runner's 500
        body = ex.request_body or b""
        if op.body is None:
            if body:
                return REQUEST_INVALID.problem("this operation takes no request body", errors=[_body_error("",
                                               "unexpected request body")])
            return None
        if not body:
            if op.body.required:
                return REQUEST_INVALID.problem("request body required", errors=[_body_error("", "missing")])
            return None
        rule, is_json = op.body.select(ex.request.headers.get("content-type"))
        if rule is None:
            declared = ", ".join(m.media_type for m in op.body.media)
            return UNSUPPORTED_MEDIA_TYPE.problem(f"Content-Type must be one of: {declared}")
        try:
            if is_json:
                document = parse_json(body)
                ex.request_json = (body, document)
            elif rule.form is not None:
                document = parse_form(body, rule.form)
            else:
                return None  # a declared type the gateway does not parse: enforced, not validated
        except BodyError as exc:
            return REQUEST_INVALID.problem("request body is not acceptable", errors=[_body_error("", str(exc))])
        validator = rule.validator
        if validator is None or validator.is_valid(document):
            return None
        errors = collect(validator.iter_errors(document), declared=rule.declared) or collect(
            validator.iter_errors(document))
        for item in errors:
            item["in"] = "body"
        return UNPROCESSABLE.problem("request body failed validation", errors=errors)


def _has_body(ex: Exchange) -> bool:
    headers = ex.request.headers
    return "transfer-encoding" in headers or (headers.get("content-length") or "0") != "0"


def _headers(ex: Exchange, op: CompiledOperation) -> dict[str, list[str]]:
    if "header" not in op.locations:
        return {}
    wanted = {r.name for r in op.params if r.location == "header"}
    return {name: ex.request.headers.get_all(name) for name in wanted}


def _cookies(ex: Exchange) -> dict[str, list[str]]:
    """Cookie pairs (RFC 6265 §5.4 shape: ``a=1; b=2``), duplicates kept so they can be refused."""
    out: dict[str, list[str]] = {}
    for header in ex.request.headers.get_all("cookie"):
        for part in header.split(";"):
            name, eq, value = part.strip().partition("=")
            if eq and name:
                out.setdefault(name, []).append(value.strip().strip('"'))
    return out


def _body_error(ptr: str, detail: str) -> dict[str, Any]:
    return {"pointer": ptr, "detail": detail, "in": "body"}
