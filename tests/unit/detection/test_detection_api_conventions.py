"""Unit: API conventions that look like MongoDB operators — GraphQL variable definitions, OData system query
options, JSON Schema's ``$comment`` — pass; the operator injections next to them are still refused. Through the
whole engine (decoders, prefilter, analysers)."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

GRAPHQL = Context("body", "query")



@pytest.mark.parametrize("document", [
    "query Search($text: String!, $type: SearchType!, $first: Int) { search(query: $text, type: $type) { count } }",
    "query Products($min: Float, $max: Float, $size: Int = 20) { products(first: $size) { id } }",
    "query ($where: PostWhereInput, $orderBy: PostOrderByInput, $skip: Int) { posts(where: $where) { id } }",
    "mutation Tag($ids: [ID!]!, $all: Boolean, $near: GeoPoint) { tag(ids: $ids, all: $all) { ok } }",
    "subscription Feed($channel: ID!, $type: [EventType!]) { events(channel: $channel) { id } }",
])
def test_graphql_variable_definitions_are_not_mongo_operators(engine: Engine, document: str) -> None:
    assert engine.inspect(document, GRAPHQL) is None


@pytest.mark.parametrize("value", [
    '{"user": "admin", "$ne": ""}',
    "{'name': 'x', $where: 'sleep(5000)'}",
    '[{"a": 1}, {"$gt": ""}]',
    'query q { user(name: "x") } {"login": "admin", "$regex": ".*"}',
])
def test_operator_after_a_comma_outside_graphql_variables_is_refused(engine: Engine, value: str) -> None:
    found = engine.inspect(value, Context("body", "filter"))
    assert found is not None and found.rule.attack == "nosqli"


@pytest.mark.parametrize("name", ["$orderby", "$search", "$filter", "$select", "$top", "$skip", "$expand", "$count"])
def test_odata_system_query_options_pass_as_query_parameter_names(engine: Engine, name: str) -> None:
    assert engine.inspect(name, Context("query", name, is_key=True)) is None


@pytest.mark.parametrize(("value", "ctx"), [
    ("user[$search]", Context("query", "user[$search]", is_key=True)),
    ("sort[$orderby]", Context("query", "sort[$orderby]", is_key=True)),
    ("$where", Context("query", "$where", is_key=True)),
    ("$ne", Context("query", "$ne", is_key=True)),
    ("$orderby", Context("body", "$orderby", is_key=True)),
])
def test_mongo_operators_as_query_objects_are_still_refused(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == "nosqli"


def test_json_schema_comment_keyword_passes(engine: Engine) -> None:
    assert engine.inspect("$comment", Context("body", "$comment", is_key=True)) is None


def test_comment_after_a_query_breakout_is_still_refused(engine: Engine) -> None:
    found = engine.inspect("' } ], $comment:'injected'", Context("body", "username"))
    assert found is not None and found.rule.attack == "nosqli"
