"""Unit: the shapes of the fresh37 first contact.

ORM filter injection aimed at a secret column: a Django/Beego lookup path with a comparison after the column, Harbor's
``=~`` fuzzy match, a Ransack predicate key and an OData comparison (``orm_filters.orm_lookup``, sqli), and Prisma's
operator objects, bracket keys, ``j:`` JSON cookies and ``select`` of the secret (``orm_filters.orm_operator``,
nosqli); ``DROP FUNCTION`` with its argument types (``sqli._DANGEROUS_STATEMENT``); a dialog called through a window
alias as the whole value (``xss._JS_CALL``) and Mavo expressions (``mavo``); a half-encoded overlong dot or slash in a
climb (``signatures._JUNK``). False positives fixed: an HTML attribute value holding a character reference or ``#``
(``sqli._html_attribute``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "lookup on a secret column": [
        '{"author__account__password__startswith": "pbkdf2_sha256$"}',
        "owner__api_key__contains=sk_live",
        "profile__reset_token__regex=^a",
        "user__password_hash__gte=m",
        "owner__password__istartswith=b",
    ],
    "harbor fuzzy match on a secret": [
        "password=~$2b$",
        "api_key=~AKIA",
        "owner__salt=~9f",
    ],
    "ransack predicate on a secret": [
        "q[account_api_key_start]=a",
        "q[owner_password_digest_cont]=x",
        "search[user_reset_password_token_eq]=abc",
    ],
    "odata comparison on a secret": [
        "$filter=Owner/PasswordHash gt 'k'&$top=1",
        "$filter=ApiKey ge 'Q'",
        "Author/ResetToken lt 'f'",
    ],
    "prisma operator where a secret was expected": [
        '{"apiKey":{"startsWith":"sk_"},"name":"x"}',
        '{"reset_token": {"not": ""}, "password": "n3w"}',
        "password[not]=x&email=a@b.example",
        "api_key[startsWith]=AK",
        'j:{"contains":"a"}',
        '{"select": {"id": true, "passwordHash": true}}',
        '{"resetToken": {"in": ["a", "b"]}}',
    ],
    "drop function with its signature": [
        "DROP FUNCTION exfil(text, integer);",
        "drop procedure if exists cleanup_all(int)",
        "DROP FUNCTION public.run_cmd(cstring) CASCADE;",
    ],
    "dialog through a window alias": [
        "self.alert(7)",
        "window.confirm`1`",
        "{{ top.prompt(1) }}",
        "[parent.confirm()]",
    ],
    "mavo expression calling a sink": [
        "[x or self.alert (2) or y]",
        "[1 mod top.confirm(3)]",
        "<span mv-if='true or self.alert(1)'>hi</span>",
        '<p data-mv-expressions="@@ @@">@@window.prompt(9)@@</p>',
        "<b mv-value=\"x\">[y] eval('1')</b>",
    ],
    "half-encoded overlong climb": [
        "%C0AE%C0AE%C0AF%C0AE%C0AE%C0AF%C0AE%C0AE%C0AFetc%C0AFpasswd",
        "%c0ae%c0ae%c0af%c0ae%c0ae%c0af%c0ae%c0ae%c0afwindows%c0afwin.ini",
    ],
}

PASSED = {
    "secret columns in settings and prose": [
        '{"password_regex": "^(?=.*\\\\d).{12,}$", "password_min_length": 12}',
        '{"password_contains_username": false}',
        "Filter users with author__name__icontains=smith",
        "password=~ is Harbor's fuzzy operator; never expose it",
        "q[name_cont]=bolt&q[price_lt]=10",
        "$filter=Name eq 'Bolt'&$top=5",
        "token_count__gte=10",
    ],
    "operators on ordinary fields": [
        '{"title": {"contains": "bolt"}, "price": {"lt": 10}}',
        "title[contains]=bolt",
        'j:{"theme":"dark"}',
        '{"select": {"id": true, "title": true}}',
        '{"api_key": {"type": "apiKey", "in": "header", "name": "X-Key"}}',
        '{"securitySchemes": {"api_key": {"in": "header"}}}',
    ],
    "drop in prose": [
        "drop the function (legacy) from the module",
        "Please drop function names from the changelog",
    ],
    "window dialogs in prose and code": [
        "Replace every window.alert(msg) call with a toast",
        "[see the docs on window.alert]",
        "function notify(msg) { window.alert(msg); }",
    ],
    "mavo markup without a sink": [
        "<div mv-app=\"todo\" mv-storage=\"local\">[count(item)] items</div>",
        "[price * qty] and [self.name]",
    ],
    "overlong look-alikes in text": [
        "Part no. %C0AF-12 in stock",
        "etc%C0AFpasswd is an odd name",
    ],
    "html attribute with a reference": [
        '<a href="&ouml;">x</a>',
        '<img src="#" alt="&amp;" />',
        '<p><a href="&amp;#x2F;docs" title="a">b</a></p>',
        '<a href="page#top" class="x">top</a>',
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh37_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh37_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize(("parent", "key"), [("resettoken", "not"), ("password", "startsWith"),
                                             ("api_key", "contains"), ("select", "password")])
def test_fresh37_operator_key_under_a_secret(engine: Engine, parent: str, key: str) -> None:
    assert engine.inspect(key, Context("body", parent, True)) is not None


@pytest.mark.parametrize(("parent", "key"), [("title", "contains"), ("api_key", "in"), ("select", "title"),
                                             ("filter", "not"), ("password", "minLength")])
def test_fresh37_operator_key_elsewhere_passes(engine: Engine, parent: str, key: str) -> None:
    assert engine.inspect(key, Context("body", parent, True)) is None


def test_fresh37_new_searches_are_linear(engine: Engine) -> None:
    value = ('password__x [self.alert <a mv-x= "select": {"password" $filter=password=~ href="&amp;#1 %C0AE%C0AF '
             * 1500)[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
