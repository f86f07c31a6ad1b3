"""Unit: the shapes of the fresh84 first contact (the SecLists ``Fuzzing/`` lists no older split read, against
python-slack-sdk's recorded Web API answers and Block Kit views).

Fixed: a template expression that is nothing but the engine's own context or self object (Twig's ``_self`` and
``_context``, a class ``constant('A::B')``, Python's ``locals()``, Pug's ``#{locals}``/``#{global}``, Thymeleaf's
``#execInfo``, ERB's ``ERB.version``), and UTF-7 markup whose base64 runs hold several characters (``+AD4APA-`` is
``><``) followed by a script call. Left: a backquoted command glued to a format string (``\\`…\\`%n``: a markdown code
span followed by text, what chat and issue bodies write). Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "an expression that is only the engine's context or self object": [
        "{{ _self }}",
        "{{_context|keys|last}}",
        "{{ _charset|upper }}",
        "{{ constant('App\\\\Kernel::VERSION') }}",
        "{{ globals() }}",
        "{{vars()}}",
        "#{ locals }",
        "#{global}",
        "${#ctx.session}",
        "${ #execInfo.templateName }",
        "<%= ERB.version %>",
        "name={{-_context-}}",
    ],
    "UTF-7 markup with a script call after it": [
        "+ADw-svg+AD4APA-/svg+AD4-,confirm(document.cookie)",
        "+ADwAaQ-+AD4-x+ADw-/i+AD4-.toString(),prompt(8)",
        "+ADw-p+AD4-hi+ADw-/p+AD4-;eval(name)",
    ],
}

PASSED = {
    "templates and shell that name the same words": [
        "Hello {{ name }}, your order ships {{ weekday }}",
        "{{ locals.title }}",
        "{{ global_nav }}",
        "{{ this }}",
        "{{ context }}",
        "{{ constant }}",
        "{{_id}}",
        "#{user.name} joined",
        "echo ${#array[@]} items",
        "${ctx}",
        "<%= user.name %>",
        "{% if global %}on{% endif %}",
        "Our global team keeps _self notes",
    ],
    "UTF-7 text and plus signs without a script call": [
        "+ADw-b+AD4-bold+ADw-/b+AD4-",
        "C++ is +great and a+b=c",
        "The +ADw- spelling is UTF-7 for the less-than sign",
        "Subject: +AFs-alert+AF0- digest",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("{{_self ", "#{locals ", "${#execInfo.", "+ADw-b+AD4-", "+AD4APAAAAAAA", "{{constant('A::"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
