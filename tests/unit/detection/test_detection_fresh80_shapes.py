"""Unit: the shapes of the fresh80 first contact (the Metasploit Framework's auxiliary admin/http, sqli and gather
injection values, against perceval's recorded API answers).

Fixed misses: ``cmd.exe`` handed ``/c`` and a command with cmd.exe's own ``,``/``;``/``=`` delimiters; OpenSSL's base64
decoder run on a constant (``openssl enc -base64 -d <<< …``); percent-encoded climbs inside a URL's path; MySQL's
``-- -`` after a number; a select list, a table and a clause cut with ``; --``. Fixed false positives: a C++
signature's ``*) ()`` read as an LDAP filter, a wiki link to an IPv6 address read as a template filter call, and an
HTML link whose text is in parentheses (``<a>(more)</a>``) read as a process substitution. Values are our own; none
comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "cmd.exe and /c with cmd.exe's own delimiters": [
        "Run(,cmd.exe,/c,whoami,)",
        "cmd;/c;ver",
        "x=cmd,/c,ipconfig",
        "CMD.EXE , /C , hostname",
    ],
    "OpenSSL decoding a constant for the shell": [
        "$(openssl enc -base64 -d <<< d2hvYW1p)",
        "x;openssl base64 -d <<< bHMgLWxh|sh",
        "`openssl enc -a -d <<< aWQ=`",
    ],
    "percent-encoded climbs inside a URL": [
        "https://img.example.net/%2e%2e%2f%2e%2e%2fetc%2fhosts",
        "http://203.0.113.7/a/..%2f..%2f..%2fopt%2fapp.conf",
        "fetch=https://cdn.example.org/%2E%2E/%2E%2E/var/x",
    ],
    "a number and MySQL's -- - or --+": [
        "7731-- -",
        "  42--+",
        "-1 -- +",
    ],
    "a select list cut with ; --": [
        "name from customers order by name desc limit 3 ; --",
        "group_concat(a,b) from t1 where x = 2 ; #",
        "* from accounts limit 1;--",
    ],
}

PASSED = {
    "cmd and /c in prose, URLs and paths": [
        "Open cmd /c and type your command",
        "The docs at /cmd,/c/ are old",
        "cmd.exe, the Windows shell, takes /c for a command",
    ],
    "openssl and base64 on variables or files": [
        "openssl enc -base64 -d <<< \"$BLOB\"",
        "openssl enc -base64 -d -in cert.b64 -out cert.der",
        "Use openssl base64 -d to decode the file",
    ],
    "URLs with encoded characters but no climb": [
        "https://example.com/docs/%2e%2e%2fnotes is a typo",
        "https://example.com/a%2fb%2fc?q=..",
        "https://example.com/path/../other/",
    ],
    "numbers with dashes": [
        "2024-- -- notes",
        "Call 555-0100 -- ask for Sam",
        "Version 12 -- the stable one",
    ],
    "prose with from and order": [
        "Pick the items from cart where needed; -- Sam",
        "names from the list order by date",
        "Remove the rows from table t where x = 1; then reload",
    ],
    "signatures, wiki links and links in parentheses": [
        "crash in vfprintf(State*, char const*, __va_list_tag*) () via Print",
        "Reverted edits by [[User:2001:db8::5|2001:db8::5]] to last revision",
        "[[Page|7:30]] and {{ value|date:\"Y\" }}",
        "Install the agent ... <a>(more)</a></p>",
        "<span>(see below)</span> then <b>(optional)</b>",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("cmd.exe,/c,", "<a>(x)</a>", "%2e%2e%2f", "a from t where ", "*) () ", "[[1|2:3]] ",
                 "openssl enc -a -d <<< "):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
