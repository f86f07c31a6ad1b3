"""Unit: the shapes of the fresh76 first contact (the Metasploit Framework's unix/http and windows/http exploit values,
against Home Assistant's recorded x-z integration answers).

Fixed: a process function run on text it decodes first (``system(decode_base64('…'))``, the Perl TWiki
``debugenableplugins`` eval; PHP's ``passthru(base64_decode(…))``), next to the ``eval(base64_decode(…))`` shape the
shell analyser already read. Left: a bare ``id &&`` in ZenTao's Git-client path (a command field by design), and
Rejetto HFS's ``{.exec|{.chr|…}.}`` macros (one product's template language). Values are our own; none comes from a
corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "a process function run on decoded text": [
        "x;system(decode_base64('bHMgLWxh'));exit",
        "Plugin;require('MIME/Base64.pm');system(decode_base64(\"dW5hbWUgLWE=\"))",
        "passthru(base64_decode($_GET['c']));",
        "<?php shell_exec( base64_decode('d2hvYW1p') ); ?>",
        "popen(hex2bin('6c73'), 'r');",
        "exec(str_rot13('jubnzv'));",
    ],
}

PASSED = {
    "prose and code that name decoders or process calls apart": [
        "Use decode_base64() from MIME::Base64 to read the attachment.",
        "The system (decode_base64 module) handles the mail body",
        "base64_decode($data) returns the raw bytes",
        "Call exec() only after you decode the input with base64_decode()",
        "re.exec(line); atob(value)",
        "my $bytes = decode_base64($encoded);",
        "subsystem(decode) pipeline",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("system(", "system( @ ", "exec(decode_base64", "system(  (", "passthru(@  base64_decode "):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
