"""Unit: schema projection keeps exactly what a JSON Schema declares; the compiled projector agrees."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bastion.redaction.native import native_projector
from bastion.redaction.projection import ShapeMismatch, compile_schema, project
from bastion.redaction.projector import projector

ADDRESS = {"type": "object", "properties": {"city": {"type": "string"}}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "address": {"$ref": "#/$defs/Address"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "lines": {"type": "array", "items": {"$ref": "#/$defs/Address"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "meta": {"type": "object", "additionalProperties": ADDRESS},
        "free": {},
        "parent": {"$ref": "#"},
        "maybe": {"anyOf": [ADDRESS, {"type": "null"}]},
    },
    "$defs": {"Address": ADDRESS},
}


def both(doc: Any, schema: Any) -> Any:
    """The reference walker, the compiled Python projector and (when it applies) msgspec agree."""
    shape = compile_schema(schema)
    slow = project(doc, shape)
    fast = projector(shape)(doc, [0])
    assert fast == slow
    native = native_projector(shape)
    if native is not None:
        assert orjson.loads(native(orjson.dumps(doc))) == slow
    return slow


def test_undeclared_properties_are_removed_at_every_depth() -> None:
    doc = {"id": 1, "secret": "x", "address": {"city": "Oslo", "street": "Gate 1"},
           "lines": [{"city": "A", "zip": "1"}], "parent": {"id": 2, "ssn": "x", "parent": {"id": 3, "pin": 1}},
           "maybe": {"city": "B", "extra": 1}}
    assert both(doc, SCHEMA) == {"id": 1, "address": {"city": "Oslo"}, "lines": [{"city": "A"}],
                                 "parent": {"id": 2, "parent": {"id": 3}}, "maybe": {"city": "B"}}


def test_additional_properties_are_honoured() -> None:
    doc = {"labels": {"a": "x", "b": "y"}, "meta": {"k": {"city": "C", "drop": 1}}, "free": {"any": [1, {"x": 2}]}}
    assert both(doc, SCHEMA) == {"labels": {"a": "x", "b": "y"}, "meta": {"k": {"city": "C"}},
                                 "free": {"any": [1, {"x": 2}]}}


def test_pattern_properties() -> None:
    schema = {"type": "object", "patternProperties": {"^x-": {"type": "string"}}}
    assert both({"x-a": "1", "b": "2"}, schema) == {"x-a": "1"}


def test_all_of_merges_declarations() -> None:
    schema = {"allOf": [{"$ref": "#/$defs/Base"}, {"type": "object", "properties": {"extra": {"type": "string"}}}],
              "$defs": {"Base": {"type": "object", "properties": {"id": {"type": "integer"}}}}}
    assert both({"id": 1, "extra": "e", "hidden": True}, schema) == {"id": 1, "extra": "e"}


def test_one_of_picks_the_branch_by_discriminator() -> None:
    cat = {"type": "object", "required": ["kind"],
           "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}}}
    dog = {"type": "object", "required": ["kind"],
           "properties": {"kind": {"enum": ["dog"]}, "bark": {"type": "string"}}}
    schema = {"type": "array", "items": {"oneOf": [cat, dog]}}
    doc = [{"kind": "dog", "bark": "woof", "lives": 9}, {"kind": "cat", "lives": 9, "bark": "no"}]
    assert both(doc, schema) == [{"kind": "dog", "bark": "woof"}, {"kind": "cat", "lives": 9}]


def test_nullable_and_missing_values_pass() -> None:
    assert both({"address": None, "maybe": None}, SCHEMA) == {"address": None, "maybe": None}


@pytest.mark.parametrize("doc", [
    {"id": {"smuggled": "data"}},
    {"tags": [{"smuggled": 1}]},
    {"address": [{"city": "x"}]},
    {"lines": {"city": "x"}},
])
def test_structure_where_a_scalar_is_declared_is_refused(doc: Any) -> None:
    shape = compile_schema(SCHEMA)
    native = native_projector(shape)
    assert native is not None
    with pytest.raises(ShapeMismatch):
        project(doc, shape)
    with pytest.raises(ShapeMismatch):
        projector(shape)(doc, [0])
    with pytest.raises(ShapeMismatch):
        native(orjson.dumps(doc))


def test_removed_counter_counts_dropped_keys() -> None:
    removed = [0]
    projector(compile_schema(SCHEMA))({"id": 1, "a": 1, "address": {"b": 2, "city": "c"}}, removed)
    assert removed == [2]


def test_property_names_cannot_inject_code() -> None:
    evil = 'x"]; import os; os.system("echo pwned") #'
    schema = {"type": "object", "properties": {evil: {"type": "string"}, "__import__": {"type": "string"}}}
    assert both({evil: "v", "__import__": "w", "other": 1}, schema) == {evil: "v", "__import__": "w"}


def test_free_form_object_without_declarations_is_emptied() -> None:
    assert both({"a": 1}, {"type": "object"}) == {}
    assert both({"a": 1}, {}) == {"a": 1}


def test_one_of_dispatch_survives_odd_discriminator_values() -> None:
    a = {"type": "object", "required": ["t"], "properties": {"t": {"const": "a"}, "x": {"type": "integer"}}}
    b = {"type": "object", "required": ["t"], "properties": {"t": {"const": "b"}, "y": {"type": "integer"}}}
    schema = {"oneOf": [a, b]}
    assert both({"t": "b", "x": 1, "y": 2}, schema) == {"t": "b", "y": 2}
    for doc in ({"t": ["a"], "x": 1, "z": 2}, {"x": 1, "q": 2}):  # matches no branch: refused, not guessed
        with pytest.raises(ShapeMismatch):
            project(doc, compile_schema(schema))
        with pytest.raises(ShapeMismatch):
            projector(compile_schema(schema))(doc, [0])


def test_native_engine_declines_what_it_cannot_express() -> None:
    assert native_projector(compile_schema({"type": "object", "patternProperties": {"^x": {}}})) is None
    mixed = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": True}
    assert native_projector(compile_schema(mixed)) is None
    untagged = {"oneOf": [{"type": "object", "properties": {"a": {}}}, {"type": "object", "properties": {"b": {}}}]}
    assert native_projector(compile_schema(untagged)) is None
    assert native_projector(compile_schema(SCHEMA)) is not None  # recursive ($ref "#"), maps, anyOf with null
