"""Swagger 2.0 -> OpenAPI 3.0, in memory, with a pointer map back to the source for positions.

Covers what the auditor and validators read: servers (host, basePath, schemes), body and formData
parameters (-> ``requestBody``), other parameters (type keywords -> ``schema``), responses (schema ->
``content`` per ``produces``, headers), definitions/parameters/responses (-> ``components``), security
definitions (basic -> http basic, oauth2 flows renamed) and ``x-nullable``. ``$ref``s are rewritten.
"""

from __future__ import annotations

from typing import Any

from bastion.openapi.source import join

_PARAM_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                      "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
                      "uniqueItems", "multipleOf", "collectionFormat", "x-nullable")
_REFS = {"#/definitions/": "#/components/schemas/", "#/parameters/": "#/components/parameters/",
         "#/responses/": "#/components/responses/"}
_STATIC = [("/components/schemas", "/definitions"), ("/components/securitySchemes", "/securityDefinitions"),
           ("/servers", "/host")]
_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}


class PointerMap:
    """Converted pointer -> source pointer, by longest recorded prefix (then static section renames)."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}

    def add(self, converted: str, source: str) -> None:
        self.prefixes[converted] = source

    def __call__(self, pointer: str) -> str:
        probe = pointer
        while True:
            if probe in self.prefixes:
                return self.prefixes[probe] + pointer[len(probe):]
            if not probe:
                break
            probe = probe.rsplit("/", 1)[0]
        for new, old in _STATIC:
            if pointer == new or pointer.startswith(new + "/"):
                return old + pointer[len(new):]
        return pointer


def _schema(node: Any) -> Any:
    """Rewrite ``$ref``s, ``x-nullable`` and ``type: file`` throughout a schema (or any subtree)."""
    if isinstance(node, list):
        return [_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _schema(v) for k, v in node.items() if k != "x-nullable"}
    ref = out.get("$ref")
    if isinstance(ref, str):
        for old, new in _REFS.items():
            if ref.startswith(old):
                out["$ref"] = new + ref[len(old):]
    if node.get("x-nullable") is True:
        out["nullable"] = True
    if out.get("type") == "file":
        out.update(type="string", format="binary")
    return out


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        return _schema(param)  # type: ignore[no-any-return]
    schema = {k: v for k, v in param.items() if k in _PARAM_SCHEMA_KEYS and k != "collectionFormat"}
    out = {k: v for k, v in param.items() if k not in _PARAM_SCHEMA_KEYS}
    out["schema"] = _schema(schema)
    return out


def _response(response: Any, produces: list[str], here: str, source: str, pmap: PointerMap) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return _schema(response)
    out = {k: v for k, v in response.items() if k not in {"schema", "headers", "examples"}}
    if "schema" in response:
        out["content"] = {mt: {"schema": _schema(response["schema"])} for mt in produces}
        for mt in produces:
            pmap.add(join(here, "content", mt, "schema"), join(source, "schema"))
    if isinstance(response.get("headers"), dict):
        out["headers"] = {name: {"schema": _schema(h)} if isinstance(h, dict) else h
                          for name, h in response["headers"].items()}
    return out


def _operation(op: dict[str, Any], root: dict[str, Any], here: str, pmap: PointerMap) -> dict[str, Any]:
    consumes = op.get("consumes") or root.get("consumes") or ["application/json"]
    produces = op.get("produces") or root.get("produces") or ["application/json"]
    out = {k: v for k, v in op.items() if k not in {"parameters", "responses", "consumes", "produces", "schemes"}}
    params: list[dict[str, Any]] = []
    form: dict[str, Any] = {}
    form_required: list[str] = []
    for index, raw in enumerate(op.get("parameters") or []):
        param = raw
        if isinstance(raw, dict) and str(raw.get("$ref", "")).startswith("#/parameters/"):
            param = root.get("parameters", {}).get(raw["$ref"].split("/")[-1], raw)
        source = join(here, "parameters", index)
        if not isinstance(param, dict):
            continue
        if param.get("in") == "body":
            out["requestBody"] = {"required": param.get("required") is True,
                                  "content": {mt: {"schema": _schema(param.get("schema", {}))} for mt in consumes}}
            pmap.add(join(here, "requestBody"), source)
            for mt in consumes:
                pmap.add(join(here, "requestBody", "content", mt, "schema"), join(source, "schema"))
        elif param.get("in") == "formData":
            form[str(param.get("name"))] = _parameter(param)["schema"]
            form_required += [str(param.get("name"))] if param.get("required") else []
            pmap.add(join(here, "requestBody", "content"), source)
        else:
            pmap.add(join(here, "parameters", len(params)), source)
            pmap.add(join(here, "parameters", len(params), "schema"), source)
            params.append(param if param is not raw else _parameter(param))
    if form:
        media = "multipart/form-data" if "multipart/form-data" in consumes else "application/x-www-form-urlencoded"
        schema: dict[str, Any] = {"type": "object", "properties": form}
        if form_required:
            schema["required"] = form_required
        out["requestBody"] = {"content": {media: {"schema": schema}}}
    if params:
        out["parameters"] = params
    responses = op.get("responses") or {}
    out["responses"] = {str(code): _response(resp, produces, join(here, "responses", str(code)),
                                             join(here, "responses", str(code)), pmap)
                        for code, resp in responses.items()}
    return out


def _scheme(scheme: Any) -> Any:
    if not isinstance(scheme, dict):
        return scheme
    if scheme.get("type") == "basic":
        return {"type": "http", "scheme": "basic", **{k: v for k, v in scheme.items() if k != "type"}}
    if scheme.get("type") == "oauth2":
        flow = {k: scheme[k] for k in ("authorizationUrl", "tokenUrl") if k in scheme}
        flow["scopes"] = scheme.get("scopes", {})
        return {"type": "oauth2", "flows": {_FLOWS.get(str(scheme.get("flow")), "implicit"): flow}}
    return dict(scheme)


def convert(data: dict[str, Any]) -> tuple[dict[str, Any], PointerMap]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 document, and the map back to its pointers."""
    from bastion.openapi.document import HTTP_METHODS

    pmap = PointerMap()
    host, base = data.get("host"), str(data.get("basePath", "")).rstrip("/")
    servers = [{"url": f"{s}://{host}{base}"} for s in data.get("schemes") or ["https"]] if host else \
        [{"url": base or "/"}]
    out: dict[str, Any] = {k: v for k, v in data.items() if k.startswith("x-") or k in {"info", "tags", "security",
                                                                                         "externalDocs"}}
    out.update(openapi="3.0.3", servers=servers, paths={})
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        here = join("/paths", str(path))
        converted = {k: v for k, v in item.items() if k not in HTTP_METHODS and k != "parameters"}
        if isinstance(item.get("parameters"), list):
            converted["parameters"] = [_parameter(p) for p in item["parameters"] if isinstance(p, dict)]
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                converted[method] = _operation(item[method], data, join(here, method), pmap)
        out["paths"][path] = converted
    components: dict[str, Any] = {"schemas": _schema(data.get("definitions") or {})}
    components["parameters"] = {k: _parameter(v) for k, v in (data.get("parameters") or {}).items()
                                if isinstance(v, dict) and v.get("in") != "body"}
    components["responses"] = {k: _response(v, data.get("produces") or ["application/json"],
                                            join("/components/responses", k), join("/responses", k), pmap)
                               for k, v in (data.get("responses") or {}).items()}
    for name in components["responses"]:
        pmap.add(join("/components/responses", name), join("/responses", name))
    for name in components["parameters"]:
        pmap.add(join("/components/parameters", name), join("/parameters", name))
        pmap.add(join("/components/parameters", name, "schema"), join("/parameters", name))
    components["securitySchemes"] = {k: _scheme(v) for k, v in (data.get("securityDefinitions") or {}).items()}
    out["components"] = components
    return out, pmap
