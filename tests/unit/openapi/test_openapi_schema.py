"""Unit: OpenAPI schemas -> self-contained JSON Schema (compiled with jsonschema-rs), and schema walks."""

from __future__ import annotations

from pathlib import Path

import jsonschema_rs
import pytest

from bastion.openapi import OpenAPIDocument, Where, iter_schema, load_document, media_schemas, to_json_schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "loader"


@pytest.fixture(scope="module")
def doc() -> OpenAPIDocument:
    return load_document(FIXTURES / "root.yaml")


def _pet_schema(doc: OpenAPIDocument) -> dict[str, object]:
    [(_, schema)] = list(media_schemas(doc, doc.operations()[0].responses["200"]))
    return to_json_schema(doc, schema.value, schema.where)


def test_cyclic_cross_file_schema_compiles_and_validates(doc: OpenAPIDocument) -> None:
    validator = jsonschema_rs.validator_for(_pet_schema(doc))
    owner = {"email": "a@b.c", "tags": ["x"]}
    good = {"name": "rex", "parent": {"name": None, "owner": owner}, "owner": None}
    assert validator.is_valid(good)
    assert not validator.is_valid({"name": "x" * 21})
    assert not validator.is_valid({"parent": {"name": "ok"}})  # nested `required` via the cycle
    assert not validator.is_valid({"name": "a", "owner": {"tags": [1]}})  # cross-file Tag is a string


def test_nullable_30_becomes_type_union(doc: OpenAPIDocument) -> None:
    schema = _pet_schema(doc)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    assert defs["Pet"]["properties"]["name"]["type"] == ["string", "null"]
    assert "example" not in defs["Pet"]["properties"]["born"]


def test_exclusive_minimum_boolean_is_translated(doc: OpenAPIDocument) -> None:
    pet_id = next(p for p in doc.operations()[0].parameters if p.name == "pet_id")
    assert pet_id.schema is not None
    schema = to_json_schema(doc, pet_id.schema.value, pet_id.schema.where)
    assert schema["exclusiveMinimum"] == 1 and "minimum" not in schema
    validator = jsonschema_rs.validator_for(schema)
    assert validator.is_valid(2) and not validator.is_valid(1)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_ref_siblings_follow_the_version(version: str) -> None:
    text = (
        f"openapi: {version}\npaths: {{}}\ncomponents:\n  schemas:\n"
        "    A: {type: string}\n    B: {$ref: '#/components/schemas/A', maxLength: 2}\n"
    )
    doc = OpenAPIDocument.from_sources("m.yaml", {"m.yaml": text})
    b = doc.get(Where("m.yaml", "/components/schemas/B"))
    validator = jsonschema_rs.validator_for(to_json_schema(doc, b, Where("m.yaml", "/components/schemas/B")))
    assert validator.is_valid("abcdef") is (version == "3.0.3")  # 3.0 ignores $ref siblings


def test_nullable_without_type_and_enum() -> None:
    text = (
        "openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n"
        "    E: {type: string, enum: [a], nullable: true}\n"
        "    R: {allOf: [{$ref: '#/components/schemas/E'}], nullable: true}\n"
    )
    doc = OpenAPIDocument.from_sources("m.yaml", {"m.yaml": text})
    for name in ("E", "R"):
        where = Where("m.yaml", f"/components/schemas/{name}")
        validator = jsonschema_rs.validator_for(to_json_schema(doc, doc.get(where), where))
        assert validator.is_valid(None) and validator.is_valid("a") and not validator.is_valid("b")


def test_walk_follows_refs_once_with_property_paths(doc: OpenAPIDocument) -> None:
    [(_, schema)] = list(media_schemas(doc, doc.operations()[0].responses["200"]))
    nodes = list(iter_schema(doc, schema.value, schema.where))
    paths = [n.path for n in nodes]
    assert paths == [(), ("name",), ("born",), ("owner",), ("owner", "email"), ("owner", "tags"),
                     ("owner", "tags", "[]")]  # `parent` is the Pet cycle: visited once, at the root
    by_path = {n.path: n for n in nodes}
    assert by_path[("name",)].required and not by_path[("born",)].required
    assert by_path[("owner", "email")].name == "email" and by_path[("owner", "tags", "[]")].name is None


def test_31_ref_siblings_count_in_walks_but_not_in_30() -> None:
    def walked(version: str) -> dict[str, object]:
        text = (f"openapi: {version}\npaths: {{}}\ncomponents:\n  schemas:\n    Name: {{type: string}}\n"
                "    User:\n      properties:\n        name: {$ref: '#/components/schemas/Name', maxLength: 9}\n")
        doc = OpenAPIDocument.from_sources("m.yaml", {"m.yaml": text})
        where = Where("m.yaml", "/components/schemas/User")
        return next(n.schema for n in iter_schema(doc, doc.get(where), where) if n.path == ("name",))

    assert walked("3.1.0") == {"type": "string", "maxLength": 9}
    assert walked("3.0.3") == {"type": "string"}
