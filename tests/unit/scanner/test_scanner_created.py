"""Unit: create requests send values unique per identity and scan, and the created object is found even
when the answer carries no id (Location, the listing, the value sent), then used as the BOLA victim."""

from __future__ import annotations

from typing import Any

from scanner_support import drive, ok

from bastion.scanner.context import Identity, ScanContext
from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes.bola import BolaProbe
from bastion.scanner.probes.discover import DiscoverProbe
from bastion.scanner.spec import Param, ScanOperation
from bastion.scanner.values import tag_for, unique_values

BOOK = {"type": "object", "properties": {
    "book_title": {"type": "string", "example": "book99", "maxLength": 12},
    "secret": {"type": "string", "example": "pass1secret"},
    "email": {"type": "string", "format": "email"},
    "genre": {"type": "string", "enum": ["novel", "poem"]},
    "published": {"type": "string", "format": "date"},
    "author_id": {"type": "string", "example": "u-1"},
    "cover_url": {"type": "string", "example": "https://example.com/c.png"},
    "code": {"type": "string", "example": "AB12", "pattern": "^[A-Z]{2}[0-9]{2}$"},
}}


def op(method: str, path: str, body: dict[str, Any] | None = None) -> ScanOperation:
    params = [Param(p.strip("{}"), "path", True, {"type": "string"}) for p in path.split("/") if p.startswith("{")]
    return ScanOperation(method, path, f"{method} {path}", (), params, body, {}, secured=True)


def books_api(*, listing: bool = True) -> ScanContext:
    operations = [op("POST", "/books", {"type": "object", "properties": {
        "book_title": {"type": "string", "example": "book99"}, "secret": {"type": "string"}}}),
        op("GET", "/books/{book_title}")]
    if listing:
        operations.insert(0, op("GET", "/books"))
    ctx = ScanContext(operations, target="http://api.test/v1", allow_unsafe=True, seed="s33d")
    for name in ("a", "b"):
        ctx.identities[name] = Identity(name, (("Authorization", f"Bearer {name}"),), username=f"user-{name}")
    return ctx


def test_unique_values_differ_per_identity_and_per_seed_and_keep_fixed_meaning_fields() -> None:
    body = {"book_title": "book99", "secret": "pass1secret", "email": "scanner@example.com", "genre": "novel",
            "published": "2024-01-01", "author_id": "u-1", "cover_url": "https://example.com/c.png",
            "code": "AB12"}
    a, b = (unique_values(body, BOOK, tag_for("seed-1", n)) for n in ("a", "b"))
    again = unique_values(body, BOOK, tag_for("seed-2", "a"))
    assert len({a["book_title"], b["book_title"], again["book_title"]}) == 3
    assert a["book_title"] == "book9-" + tag_for("seed-1", "a")  # cut to maxLength 12, the tag kept whole
    assert a["email"] == f"scanner-{tag_for('seed-1', 'a')}@example.com"
    for unchanged in ("secret", "genre", "published", "author_id", "cover_url", "code"):
        assert a[unchanged] == body[unchanged], unchanged  # "code": no variant matches its pattern
    assert unique_values(body, BOOK, tag_for("seed-1", "a")) == a  # reproducible from the seed


def test_a_variant_is_chosen_to_match_the_pattern_when_one_can() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}}}
    value = unique_values({"name": "shelf"}, schema, "3fa9c1")["name"]
    assert value.startswith("shelf") and value != "shelf" and value.isalpha()


def test_b_creates_with_its_own_title_and_the_object_is_found_in_the_listing() -> None:
    ctx = books_api()
    books: dict[str, str] = {}

    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.method == "POST":
            title = request.json["book_title"]
            if title in books:
                return ProbeResponse(500)
            books[title] = str(request.identity)
            return ok({"message": "Book added"})
        if request.path == "/books":
            return ok({"Books": [{"book_title": t, "user": o} for t, o in books.items()]})
        title = request.path.rsplit("/", 1)[-1]
        return ok({"book_title": title, "secret": "s", "user": books[title]}) if title in books else ProbeResponse(404)

    drive(DiscoverProbe().run(ctx), respond)
    assert books == {f"book99-{ctx.tag('a')}": "a", f"book99-{ctx.tag('b')}": "b"}
    assert ctx.created == {name: [("/books/{book_title}", f"/books/book99-{ctx.tag(name)}")] for name in "ab"}
    assert ctx.baselines[("GET /books/{book_title}", "a")].request.path == f"/books/book99-{ctx.tag('a')}"


def test_the_location_header_names_the_created_object() -> None:
    ctx = books_api(listing=False)

    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.method == "POST":
            return ProbeResponse(201, (("Location", f"http://api.test/v1/books/loc-{request.identity}"),))
        return ProbeResponse(404)

    sent = drive(DiscoverProbe().run(ctx), respond)
    assert ctx.created["a"] == [("/books/{book_title}", "/books/loc-a")]
    assert ("GET", "/books/loc-a") in [(r.method, r.path) for r in sent]


def test_a_new_id_in_the_listing_is_the_created_object_when_the_sent_values_are_not_shown() -> None:
    ctx = books_api()
    ctx.operations = [op("GET", "/books"), op("POST", "/books", ctx.operations[1].body), op("GET", "/books/{id}")]
    ids = [7]

    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.method == "POST":
            ids.append(ids[-1] + 1)
            return ok({"message": "added"})
        return ok([{"id": i} for i in ids]) if request.path == "/books" else ProbeResponse(404)

    drive(DiscoverProbe().run(ctx), respond)
    assert ctx.created["a"] == [("/books/{id}", "/books/8")]
    assert "b" not in ctx.created  # B's listing shows two new ids (A's and B's): neither is taken


def test_without_listing_or_location_the_sent_value_named_like_the_path_parameter_is_used() -> None:
    ctx = books_api(listing=False)
    drive(DiscoverProbe().run(ctx), lambda r: ok({"message": "added"}) if r.method == "POST" else ProbeResponse(404))
    assert ctx.created["a"] == [("/books/{book_title}", f"/books/book99-{ctx.tag('a')}")]


def test_b_reads_the_object_a_created_without_an_id_in_the_answer() -> None:
    ctx = books_api(listing=False)
    books: dict[str, tuple[str, str]] = {"someone-else": ("c", "c's secret")}

    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.method == "POST":
            books[request.json["book_title"]] = (str(request.identity), request.json["secret"] + str(request.identity))
            return ok({"message": "added"})
        title = request.path.rsplit("/", 1)[-1]
        if title not in books:
            return ProbeResponse(404)
        return ok({"book_title": title, "secret": books[title][1], "owner": books[title][0]})

    ctx.bank("a").entries.append(("book_title", "someone-else", "book"))  # learned first, but not A's own
    drive(DiscoverProbe().run(ctx), respond)
    drive(BolaProbe().run(ctx), respond)
    assert [(f.rule_id, f.location.url) for f in ctx.findings] == [("bola.read", f"/books/book99-{ctx.tag('a')}")]
