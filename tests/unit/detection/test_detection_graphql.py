"""Unit: GraphQL documents are lexed (``bastion.detection.graphql``) and each string literal is inspected as its own
field, named by its argument, besides the whole document; realistic GitHub/Shopify-style queries still pass.
Through the field walk (``fields.py``) and the whole engine."""

from __future__ import annotations

import time

import orjson
import pytest

from bastion.detection import Engine
from bastion.detection.fields import Field, body_fields, request_fields
from bastion.detection.graphql import MAX_LITERALS, block_value, document_literals, is_executable, string_value
from bastion.testing.exchange import make_exchange


def _fields(*, body: bytes | None = None, ctype: str = "application/json", query: str = "") -> list[Field]:
    ex = make_exchange("POST" if body is not None else "GET", "/graphql", query=query,
                       headers=[("content-type", ctype)] if body is not None else [])
    fields = list(request_fields(ex.request, frozenset()))
    if body is not None:
        fields.extend(body_fields(body, ctype))
    return fields


def _json(document: str, **extra: object) -> bytes:
    return orjson.dumps({"query": document, **extra})


def _verdict(engine: Engine, fields: list[Field]) -> tuple[str, str] | None:
    hit = engine.first(fields)
    return None if hit is None else (fields[hit[0]][0], hit[1].rule.attack)


# -- the lexer ---------------------------------------------------------------------------------------------------

def test_literals_are_named_by_operation_field_and_argument() -> None:
    doc = ('query Issues($owner: String = "octo") { repository(owner: $owner, name: "hello") { '
           'issues(filterBy: {labels: ["bug"], createdBy: "mona"}, after: "Y3Vy") { nodes { title } } } }')
    assert [(p, v) for p, v, _ in document_literals(doc, "/body/query", "body")] == [
        ("/body/query/Issues/owner", "octo"),
        ("/body/query/Issues/repository/name", "hello"),
        ("/body/query/Issues/repository/issues/filterBy/labels", "bug"),
        ("/body/query/Issues/repository/issues/filterBy/createdBy", "mona"),
        ("/body/query/Issues/repository/issues/after", "Y3Vy"),
    ]


def test_anonymous_shorthand_aliases_fragments_and_directives() -> None:
    doc = ('# a comment with "quotes"\n{ me: viewer { avatarUrl(size: 64) @include(if: true) } }\n'
           'fragment Card on Product { title(locale: "de") }')
    literals = document_literals(doc, "/body", "body")
    assert [(p, v, c.name) for p, v, c in literals] == [("/body/Card/title/locale", "de", "locale")]


@pytest.mark.parametrize(("lexeme", "value"), [
    (r'"a\"b\\c\/d\n"', 'a"b\\c/d\n'),
    (r'"\u003cscript\u003e"', "<script>"),
    (r'"\ud83d\ude00 ok"', "\U0001F600 ok"),
    (r'"\u{1F600}\u{27}"', "\U0001F600'"),
    (r'"\q stays"', r"\q stays"),
])
def test_string_values_are_decoded_as_the_server_reads_them(lexeme: str, value: str) -> None:
    assert string_value(lexeme) == value


def test_block_strings_lose_common_indentation_and_unescape_triple_quotes() -> None:
    assert block_value('"""\n    first\n      second \\""" end\n    """') == 'first\n  second """ end'


@pytest.mark.parametrize("text", [
    "SELECT * FROM users", "name:alice", '"just a string"', "", "   # only a comment", "queryx { a }",
])
def test_texts_that_are_no_executable_document_yield_nothing(text: str) -> None:
    assert not is_executable(text) and document_literals(text, "/q", "query") == []


@pytest.mark.parametrize("doc", [
    '{ a(x: "read") } } { b(y: "never") }',
    '{ a(x: "read") ; b(y: "never") }',
    '{ a(x: "read", y: "unterminated) }',
])
def test_malformed_documents_yield_what_was_read_before_the_fault(doc: str) -> None:
    assert [v for _, v, _ in document_literals(doc, "/body/query", "body")] == ["read"]


def test_literals_past_the_cap_are_one_value() -> None:
    doc = "{ a(" + ", ".join(f'x{i}: "v{i}"' for i in range(MAX_LITERALS + 10)) + ") }"
    literals = document_literals(doc, "/body/query", "body")
    assert len(literals) == MAX_LITERALS + 1
    assert literals[-1][0] == "/body/query" and literals[-1][1].startswith(f'"v{MAX_LITERALS}"')


# -- attacks inside arguments are refused ---------------------------------------------------------------------------

@pytest.mark.parametrize(("document", "attack"), [
    ('mutation { addComment(input: {subjectId: "I_1", body: "2 UNION ALL SELECT login, hash FROM accounts--"}) '
     '{ id } }', "sqli"),
    ('mutation { updateUser(id: 7, bio: "0 OR 55=55") { id } }', "sqli"),
    ('mutation { rename(name: "x\\u0027 or \\u00271\\u0027=\\u00271") { ok } }', "sqli"),
    ('mutation { note(text: "\\u003cimg src=x onerror=confirm(document.domain)\\u003e") { id } }', "xss"),
    ('mutation { post(body: """\n  <svg/onload=alert`1`>\n""") { id } }', "xss"),
    ('mutation { ping(host: "127.0.0.1 && cat /etc/shadow") { out } }', "cmdi"),
    ('query { file(path: "..\\/..\\/..\\/etc\\/passwd") { content } }', "traversal"),
    ('mutation { importFeed(url: "169.254.169.254") { id } }', "ssrf"),
])
def test_injections_in_graphql_arguments_are_refused(engine: Engine, document: str, attack: str) -> None:
    found = _verdict(engine, _fields(body=_json(document)))
    assert found is not None and found[1] == attack, found


def test_an_argument_hit_names_the_argument(engine: Engine) -> None:
    found = _verdict(engine, _fields(body=_json('mutation Save { save(memo: "1 OR 9=9 --") { id } }')))
    assert found == ("/body/query/Save/save/memo", "sqli")


def test_batched_operations_get_query_and_graphql_bodies_are_lexed(engine: Engine) -> None:
    doc = 'query { search(term: "5 UNION SELECT pass FROM users--") { id } }'
    batch = orjson.dumps([{"query": "{ viewer { login } }"}, {"query": doc}])
    assert _verdict(engine, _fields(body=batch)) == ("/body/1/query/query/search/term", "sqli")
    get = _fields(query="query=" + doc.replace(" ", "+").replace('"', "%22"))
    assert _verdict(engine, get) == ("/query/query/query/search/term", "sqli")
    raw = _fields(body=doc.encode(), ctype="application/graphql")
    assert _verdict(engine, raw) == ("/body/query/search/term", "sqli")


def _upload(operations: dict[str, object]) -> bytes:
    return (b'--B0\r\nContent-Disposition: form-data; name="operations"\r\n\r\n' + orjson.dumps(operations)
            + b'\r\n--B0\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.file"]}'
            b'\r\n--B0\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\nhello\r\n--B0--\r\n")


def test_a_multipart_uploads_operations_are_read_as_a_graphql_request(engine: Engine) -> None:
    ctype = "multipart/form-data; boundary=B0"
    doc = 'mutation ($file: Upload!) { upload(file: $file, caption: "0 OR 77=77") { id } }'
    found = _verdict(engine, _fields(body=_upload({"query": doc, "variables": {"file": None}}), ctype=ctype))
    assert found == ("/body/operations/query/mutation/upload/caption", "sqli")
    sneaky = {"query": "mutation ($file: Upload!, $n: String) { upload(file: $file, note: $n) { id } }",
              "variables": {"file": None, "n": "<details open ontoggle=confirm(2)>"}}
    assert _verdict(engine, _fields(body=_upload(sneaky), ctype=ctype)) == ("/body/operations/variables/n", "xss")
    benign = {"query": 'mutation ($file: Upload!) { upload(file: $file, caption: "Q3 report (final)") { id url } }',
              "variables": {"file": None}}
    assert _verdict(engine, _fields(body=_upload(benign), ctype=ctype)) is None


# -- benign GraphQL passes ----------------------------------------------------------------------------------------

BENIGN = [
    # GitHub: fragments, aliases, variables, directives, search syntax and cursors
    '''query RepoIssues($owner: String!, $name: String!, $cursor: String, $withBody: Boolean = false) {
      repository(owner: $owner, name: $name) {
        open: issues(first: 50, after: $cursor, states: OPEN, orderBy: {field: CREATED_AT, direction: DESC}) {
          nodes { ...IssueParts body @include(if: $withBody) }
          pageInfo { endCursor hasNextPage }
        }
      }
      search(query: "repo:octo-org/api is:pr is:open review:required label:\\"needs review\\"", type: ISSUE, first: 5) {
        issueCount
      }
    }
    fragment IssueParts on Issue {
      number title author { login avatarUrl(size: 40) } labels(first: 10) { nodes { name } }
    }''',
    # GitHub mutation with a Markdown body in a block string
    '''mutation AddComment {
      addComment(input: {subjectId: "I_kwDOAbc123", body: """
        Thanks! Reproduced on `main` with `SELECT count(*) FROM orders` taking 3s;
        see <https://example.com/runbook#slow-queries> and run `make test`.
      """}) { commentEdge { node { url } } }
    }''',
    # Shopify Admin: search syntax with AND/OR, money, handles and GIDs
    '''# products for the storefront
    query Products {
      products(first: 25, query: "title:snowboard* AND product_type:'Outdoor Gear' OR vendor:Burton", sortKey: TITLE) {
        edges { node { id handle title priceRangeV2 { minVariantPrice { amount currencyCode } } } }
      }
      node(id: "gid://shopify/Product/8573461234") { ... on Product { tags } }
    }''',
    '''mutation productUpdate {
      productUpdate(input: {id: "gid://shopify/Product/108828309", title: "Sweet new product - GID",
                            descriptionHtml: "<p>Soft <strong>organic</strong> cotton, 100% recycled.</p>",
                            tags: ["summer", "sale-2024"],
                            seo: {title: "Tee | Shop", description: "Best tee; ships 1-2 days."}}) {
        product { id } userErrors { field message }
      }
    }''',
    # descriptions, unicode escapes, numbers and enums
    '''query Localised($lang: LanguageCode = DE) @inContext(language: $lang) {
      shop { name description(format: "Caf\\u00e9 & B\\u00e4ckerei \\u2014 est. 1998", truncate: 1.5e2) }
      collection(handle: "frontpage") { products(first: 3, reverse: true) { nodes { title } } }
    }''',
    # GitLab: paths and refs
    '''query { project(fullPath: "gitlab-org/gitlab-runner") {
      pipelines(ref: "refs/heads/main", status: FAILED, first: 2) { nodes { id sha } }
      repository { blobs(paths: ["docs/install/index.md", ".gitlab-ci.yml"]) { nodes { rawTextBlob } } } } }''',
]


@pytest.mark.parametrize("document", BENIGN)
def test_realistic_graphql_documents_pass(engine: Engine, document: str) -> None:
    assert document_literals(document, "/body/query", "body")
    assert _verdict(engine, _fields(body=_json(document, variables={"owner": "octo-org", "cursor": None}))) is None
    assert _verdict(engine, _fields(body=document.encode(), ctype="application/graphql")) is None


def test_a_search_api_query_parameter_is_left_alone(engine: Engine) -> None:
    assert _verdict(engine, _fields(query='query=%22release+notes%22+author%3Aalice')) is None


# -- bounded work -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("document", [
    "{ a(" + 'x: "\\\\", ' * 13_000 + ") }",
    "{ a(x: " + "[" * 128_000 + "] }",
    '{ a(x: """' + '\\"' * 60_000,
    '{ a(x: "' + "\\u0041" * 20_000,
    "{ " + "a { " * 30_000,
])
def test_adversarial_documents_are_inspected_in_linear_time(engine: Engine, document: str) -> None:
    body = _json(document)
    assert len(body) >= 120_000
    start = time.process_time()
    engine.first(_fields(body=body))
    assert time.process_time() - start < 5.0  # linear: well under a second when the machine is idle
