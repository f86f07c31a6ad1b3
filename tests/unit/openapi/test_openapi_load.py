"""Unit: loading, $ref resolution across files, positions, operations and Swagger 2.0 refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.openapi import OpenAPIDocument, OpenAPIError, Where, load_document, media_schemas
from bastion.openapi.source import SourceFile

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "loader"


@pytest.fixture(scope="module")
def doc() -> OpenAPIDocument:
    return load_document(FIXTURES / "root.yaml")


def test_loads_every_referenced_file(doc: OpenAPIDocument) -> None:
    names = {Path(n).relative_to(FIXTURES).as_posix() for n in doc.files}
    assert names == {"root.yaml", "schemas.yaml", "people/owner.yaml"}
    assert doc.version == "3.0.3" and not doc.is_31


def test_operations_merge_path_parameters(doc: OpenAPIDocument) -> None:
    get, put = doc.operations()
    assert (get.label, get.operation_id, put.operation_id) == ("GET /pets/{pet_id}", "getPet", "putPet")
    by_key = {(p.name, p.location): p for p in get.parameters}
    assert set(by_key) == {("pet_id", "path"), ("trace", "header")}
    assert by_key[("trace", "header")].required is True  # the operation's own beats the path-level one
    pet_id = by_key[("pet_id", "path")]
    assert pet_id.required and pet_id.where.pointer == "/components/parameters/PetId"
    assert [p.name for p in put.params("header")] == ["trace"]


def test_security_is_effective(doc: OpenAPIDocument) -> None:
    get, put = doc.operations()
    assert get.security == [{"bearer": []}] and not get.security_declared_here
    assert put.security == [] and put.security_declared_here


def test_responses_resolve_across_files_and_keys_are_strings(doc: OpenAPIDocument) -> None:
    get = doc.operations()[0]
    assert set(get.responses) == {"200", "404"}
    assert get.responses["404"].where.pointer == "/components/responses/NotFound"
    [(media, schema)] = list(media_schemas(doc, get.responses["200"]))
    assert media == "application/json"
    assert schema.where == Where(str(FIXTURES / "schemas.yaml"), "/Pet")
    assert schema.value["properties"]["born"]["example"] == "2020-01-01"  # not a datetime.date


def test_positions_point_at_the_source(doc: OpenAPIDocument) -> None:
    get = doc.operations()[0]
    assert doc.position(get.where) == (14, 5)  # the `get:` key
    assert doc.position(get.where.child("responses", "200")) == (22, 9)
    owner = Where(str(FIXTURES / "people" / "owner.yaml"), "/properties/email/format")
    assert doc.position(owner) == (4, 25)
    assert doc.position(get.where.child("no", "such")) == (14, 5)  # nearest existing ancestor


def test_json_text_is_accepted_without_io() -> None:
    text = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}}'
    doc = OpenAPIDocument.from_sources("mem.json", {"mem.json": text})
    assert doc.is_31 and [op.label for op in doc.operations()] == ["GET /a"]
    assert doc.position(doc.operations()[0].where) == (1, 79)


def test_swagger2_is_converted_with_positions_in_the_original() -> None:
    doc = load_document(FIXTURES / "petstore-swagger2.yaml")
    assert (doc.source_version, doc.version) == ("2.0", "3.0.3")
    assert doc.servers == [{"url": "http://petstore.example.com/v1"}]
    get, post, photo = doc.operations()
    assert [(p.name, p.location, p.schema.value if p.schema else None) for p in get.parameters] == [
        ("petId", "path", {"type": "integer"})]
    [(media, body)] = list(media_schemas(doc, post.request_body)) if post.request_body else []
    assert media == "application/json" and body.where.pointer == "/components/schemas/Pet"
    assert body.value["properties"]["owner"] == {"type": "string", "nullable": True}
    [(media, form)] = list(media_schemas(doc, photo.request_body)) if photo.request_body else []
    assert media == "multipart/form-data"
    assert form.value["properties"]["file"] == {"type": "string", "format": "binary"}
    schemes = doc.component("securitySchemes")
    assert schemes["basic"][0] == {"type": "http", "scheme": "basic"}
    assert schemes["oauth"][0]["flows"]["implicit"]["scopes"] == {"pets:read": "read"}
    assert doc.position(body.where.child("properties", "card_number")) == (57, 7)  # in the Swagger file
    assert doc.position(post.request_body.where if post.request_body else get.where) == (38, 11)
    assert doc.position(get.responses["default"].where) == (59, 3)  # /responses/Error


def test_other_swagger_versions_are_refused_clearly() -> None:
    with pytest.raises(OpenAPIError, match=r"unsupported 'swagger' version '1\.2'; expected 2\.0"):
        load_document(FIXTURES / "swagger12.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.0.0\npaths: {/a: {get: {$ref: '#/nope'}}}", r"mem.yaml:2:14 /paths/~1a/get: \$ref '#/n"),
        ("openapi: 3.0.0\npaths: [\n", r"mem.yaml:3:1: cannot parse"),
        ("openapi: 4.0.0\n", r"unsupported 'openapi' version '4.0.0'"),
        ("- a list\n", r"a mapping at the top level"),
    ],
)
def test_bad_documents_raise_located_errors(text: str, message: str) -> None:
    with pytest.raises(OpenAPIError, match=message):
        OpenAPIDocument.from_sources("mem.yaml", {"mem.yaml": text})


def test_ref_cycles_raise_not_hang() -> None:
    text = "openapi: 3.1.0\npaths: {/a: {$ref: '#/x'}}\nx: {$ref: '#/y'}\ny: {$ref: '#/x'}\n"
    doc = OpenAPIDocument.from_sources("mem.yaml", {"mem.yaml": text})
    with pytest.raises(OpenAPIError, match="cycle"):
        doc.operations()


def test_missing_file_and_remote_refs_are_refused(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text("openapi: 3.0.0\npaths: {/a: {$ref: 'missing.yaml'}}\n")
    with pytest.raises(OpenAPIError, match=r"missing\.yaml: file not found"):
        load_document(spec)
    spec.write_text("openapi: 3.0.0\npaths: {/a: {$ref: 'https://example.com/x.yaml'}}\n")
    with pytest.raises(OpenAPIError, match="remote \\$ref"):
        load_document(spec)


def _all_pointers(data: object, pointer: str = "") -> list[str]:
    out = [pointer]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _all_pointers(value, pointer + "/" + str(key).replace("~", "~0").replace("/", "~1"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _all_pointers(value, f"{pointer}/{index}")
    return out


@pytest.mark.parametrize("indent", [None, 2])
def test_json_scanner_agrees_with_the_yaml_composer(indent: int | None) -> None:
    import json

    import yaml

    data = yaml.safe_load((FIXTURES.parent / "audit" / "shop-flawed-3.1.yaml").read_text())
    data["paths"]["/we{ird}~/\"path"] = {"get": {"tags": ["a", {"b": [1, {"c": "}]"}]}]}}
    text = json.dumps(data, indent=indent)
    pointers = [p for p in _all_pointers(data) if not p.endswith(("/0", "/1")) or "tags" not in p]
    scanned = SourceFile.parse("x.json", text)
    composed = SourceFile.parse("x.yaml", text)  # same text, but positions from the YAML node tree
    composed.is_json = False
    assert scanned.is_json
    assert scanned.positions(pointers) == composed.positions(pointers)


def test_the_same_ref_text_resolves_per_file_and_repeats_identically() -> None:
    """Resolved references are remembered per (ref, file): ``#/x`` in two files names two places."""
    root = "openapi: 3.1.0\npaths: {}\nx: {type: string}\nuse: {$ref: 'other.yaml#/y'}\nlocal: {$ref: '#/x'}\n"
    other = "y: {$ref: '#/x'}\nx: {type: integer}\n"
    doc = OpenAPIDocument.from_sources("root.yaml", {"root.yaml": root, "other.yaml": other})
    here = Where("root.yaml", "/local")
    for _ in range(2):
        assert doc.resolve({"$ref": "#/x"}, here) == ({"type": "string"}, Where("root.yaml", "/x"))
        assert doc.resolve({"$ref": "#/x"}, Where("other.yaml", "/y")) == ({"type": "integer"},
                                                                            Where("other.yaml", "/x"))
        assert doc.resolve({"$ref": "other.yaml#/y"}, here) == ({"type": "integer"}, Where("other.yaml", "/x"))
    assert doc.resolve({"type": "boolean"}, here) == ({"type": "boolean"}, here)
