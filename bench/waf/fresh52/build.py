"""fresh52: the escape attempts expression sandboxes test themselves against, against the expressions of expression
languages used legitimately in APIs (JMESPath, JSONPath, mathjs formulas, simpleeval's allowed expressions).

    python bench/waf/fresh52/build.py                                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh52/build.py --extract JMESPATH MATHJS SIMPLEEVAL JSONPATH STATICEVAL SAFEEVAL

``JMESPATH`` is the unpacked npm tarball ``@cloudelements/jmespath`` 0.19.0 (``package/``), ``MATHJS`` the unpacked
npm tarball ``mathjs-15.2.0.tgz`` (``package/``), ``SIMPLEEVAL`` the unpacked PyPI sdist ``simpleeval-1.0.8.tar.gz``,
``JSONPATH`` the unpacked npm tarball ``jsonpath-1.3.0.tgz``, ``STATICEVAL`` ``static-eval-2.1.1.tgz`` and ``SAFEEVAL``
``safe-eval-0.4.1.tgz`` (each ``package/``).

Attack payloads (what was read, and how): ``records.txt``, one expression a line as the user would send it into an
expression or template field (kind ``S``: no decoding). The Python values were read with ``ast`` from the test files
of simpleeval 1.0.8 (``tests/test_security.py`` and three more: the expressions each test expects
``FeatureNotAvailable`` for), asteval 1.0.10 (``tests/test_asteval.py``: ``test_safe_open``, ``test_kaboom``, the
disabled ``import``, ``test_unsafe_format_string_access``) and RestrictedPython 9.0 (the code its tests expect to be
refused: imports of ``os``/``builtins``, format-string and ``Formatter`` walks, ``getattr`` breakouts, generator
frame walks, ``exec``/``eval`` calls, ``__traceback__``), each the string constant at the recorded line, dedented and
stripped as the test hands it over. The JavaScript values were transcribed from static-eval 2.1.1 ``test/eval.js``,
safe-eval 0.4.1 ``test/test.js``, jsonpath 1.3.0 ``test/security.js`` (the prototype-pollution tests and the
CVE-2026-1615 filter/script tests) and handlebars 4.7.10 ``release-notes.md`` (the lookup-helper RCE), the JS string
literal's escapes decoded as JS decodes them. Classes: ``ssti`` for a template or expression escape (Python dunder
chains, frame walks, ``import``, ``open``, ``exec``/``eval``, ``constructor.constructor(...)``, a JS function run
inside a JSONPath filter), ``proto`` for a ``__proto__`` path or key, ``cmdi`` where the escape runs a shell command
(``os.popen('id')``, ``system("echo ...")``). Left out with ``@@ drop`` notes (``sources.json`` ``left_out``):
resource exhaustion (big powers, long strings), names and calls of host-given objects (``evil``, ``funcs[0]('exit')``),
harmless attribute reads (``__name__``, ``__all__``, ``mro``), underscore naming rules, lone ``constructor`` or
``prototype`` reads with no call and no second ``constructor``, a global's name, ordinary method calls, assignments.
vm2 3.12.2, mathjs 15.2.0, expr-eval 2.0.2 and jsonpath-plus 10.4.0 publish no tests in their tarballs: nothing read
on the attack side (noted as drops).

Benign values (rules fixed before measuring):

- JMESPath: the compliance suite (``test/compliance/*.json``, name order) of ``@cloudelements/jmespath`` 0.19.0, a
  fork of jmespath.js that ships the same JMESPath compliance tests as jmespath.py (the PyPI sdist
  ``jmespath-1.1.0.tar.gz`` named in the brief ships ``tests/*.py`` only: its ``MANIFEST.in`` leaves
  ``tests/compliance/`` out, and PyPI, Debian (``golang-github-jmespath-go-jmespath-dev``, ``node-jmespath``,
  ``ruby-jmespath``) and the npm ``jmespath`` tarball hold none): every case's ``expression`` (``jmespath_dsl``,
  syntax-error cases included: a user can type them), every string and key of every ``given`` document by
  ``text_category`` (``jmespath_<category>``), and every ``given`` document of 2-4,000 characters whole as a JSON body.
- mathjs 15.2.0: every string of the ``syntax`` and ``examples`` lists of ``lib/esm/expression/embeddedDocs/**/*.js``
  (the expression parser's documented examples, name order; ``mathjs_dsl``).
- simpleeval 1.0.8: the first argument of every ``self.t(...)``, ``*.eval(...)`` and ``simple_eval(...)`` call in
  ``tests/*.py`` that is a string constant and not inside a ``with self.assertRaises(...)`` block: the expressions the
  tests expect to evaluate (``simpleeval_dsl``).
- JSONPath: the path literal of every ``jp.query/nodes/paths/value/parent/apply(data, '...')`` and ``jp.parse('...')``
  call of jsonpath 1.3.0 ``test/*.js`` except ``security.js``, plus the paths of ``security.js``'s ``allows ...``
  tests (``jsonpath_dsl``); every string of ``test/data/store.json`` by ``text_category`` and its list elements whole
  as JSON bodies.
- static-eval 2.1.1 and safe-eval 0.4.1: the ``src``/``code`` literal of every test except the refusal tests
  (static-eval's ``disallow ...``, ``constructor at runtime only``, ``... unresolved``; safe-eval's ``should not have
  access ...``) (``jseval_dsl``).

Every value an older split holds, every value equal to an attack payload, and repeats are left out; values of 1-4,000
characters, no control character other than tab and line break. At most ``CAP`` per category at an even stride.
Split name ``fresh52``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh52"
CAP = 1200
"""At most this many values per benign category (even stride)."""
HOW_READ = (
    "records.txt: the Python values read with ast from the named test files (the string constant at the recorded "
    "line, dedented and stripped), the JavaScript values transcribed from the named test files and notes (see its "
    "header and build.py's docstring)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "@cloudelements/jmespath 0.19.0 (npm tarball, test/compliance/*.json: the JMESPath compliance suite; "
    "the PyPI sdist jmespath-1.1.0.tar.gz ships none), mathjs 15.2.0 (npm tarball, lib/esm/expression/embeddedDocs), "
    "simpleeval 1.0.8 (PyPI sdist, tests/*.py), jsonpath 1.3.0 (npm tarball, test/*.js, test/data/store.json), "
    "static-eval 2.1.1 and safe-eval 0.4.1 (npm tarballs, test/*.js)",
    "licence": "@cloudelements/jmespath: Apache-2.0 (package.json license); mathjs: Apache-2.0 (package.json "
    "license, LICENSE); simpleeval: MIT (PKG-INFO); jsonpath: MIT (package.json); static-eval: MIT; safe-eval: MIT",
    "same_kind_as": "none read before: older splits held query-language values (session 5's 34 DSL values: SCIM, JQL, "
    "JSONPath ...) but no expression-language test suite",
    "what": "JMESPath compliance expressions and given-document strings and documents; mathjs documented syntax and "
    "examples; simpleeval's expressions its tests expect to evaluate; jsonpath's test paths and store.json; "
    "static-eval/safe-eval test sources outside the refusal tests; older splits' values and attack payloads left out",
}
JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js(literal: str) -> str:
    """A JavaScript string literal's body as JavaScript decodes it."""
    out: list[str] = []
    i = 0
    while i < len(literal):
        c = literal[i]
        if c != "\\" or i + 1 == len(literal):
            out.append(c)
            i += 1
            continue
        e = literal[i + 1]
        if e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", literal[i + 2 : i + 6]):
            out.append(chr(int(literal[i + 2 : i + 6], 16)))
            i += 6
        elif e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", literal[i + 2 : i + 4]):
            out.append(chr(int(literal[i + 2 : i + 4], 16)))
            i += 4
        else:
            out.append(JS_ESCAPES.get(e, e))
            i += 2
    return "".join(out)


def _js_strings(text: str) -> list[str]:
    return [_js(m.group(1) if m.group(1) is not None else m.group(2)) for m in JS_STRING.finditer(text)]


def _text(value: str) -> bool:
    return sc.keep_text(value) and not any(c < " " and c not in "\t\n" for c in value)


class Found:
    def __init__(self) -> None:
        older = sc.older_benign(HERE)
        attacks = {v for vs in json.loads((HERE / f"attacks_{SPLIT}.json").read_text()).values() for v in vs}
        self.seen: set[str] = older | attacks
        self.values: dict[str, list[dict[str, str]]] = {}
        self.bodies: list[dict[str, str]] = []

    def add(self, category: str, text: str, where: str) -> None:
        text = text.strip()
        if text in self.seen or not _text(text):
            return
        self.seen.add(text)
        self.values.setdefault(category, []).append({"value": text, "source": where})

    def body(self, doc: Any, where: str) -> None:
        text = json.dumps(doc, ensure_ascii=False)
        if 2 <= len(text) <= 4000 and isinstance(doc, dict | list) and text not in self.seen and _text(text):
            self.seen.add(text)
            self.bodies.append({"value": text, "source": where})


def _jmespath(found: Found, root: Path) -> None:
    label = "@cloudelements/jmespath 0.19.0 test/compliance"
    for path in sorted((root / "test/compliance").glob("*.json")):
        for g_i, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            where = f"{label}/{path.name} [{g_i}]"

            def visit(node: Any, where: str = where) -> None:
                if isinstance(node, dict):
                    for k, v in node.items():
                        found.add(f"jmespath_{sc.text_category(k)}", k, where + " given key")
                        visit(v)
                elif isinstance(node, list):
                    for v in node:
                        visit(v)
                elif isinstance(node, str):
                    found.add(f"jmespath_{sc.text_category(node)}", node, where + " given")

            visit(group["given"])
            found.body(group["given"], where + " given")
            for case in group["cases"]:
                found.add("jmespath_dsl", case["expression"], where + " expression")


def _mathjs(found: Found, root: Path) -> None:
    docs = root / "lib/esm/expression/embeddedDocs"
    for path in sorted(docs.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        for key in ("syntax", "examples"):
            for m in re.finditer(rf"\b{key}:\s*\[(.*?)\]\s*(?:,\s*\n|\n)", text, re.S):
                for value in _js_strings(m.group(1)):
                    found.add("mathjs_dsl", value, f"mathjs 15.2.0 {path.relative_to(root)}: {key}")


def _simpleeval(found: Found, root: Path) -> None:
    def refused(stack: list[ast.AST]) -> bool:
        return any(isinstance(n, ast.With) and any("assertRaises" in ast.unparse(i.context_expr) for i in n.items)
                   for n in stack)

    for path in sorted((root / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def walk(node: ast.AST, stack: list[ast.AST], path: Path = path) -> None:
            if isinstance(node, ast.Call) and node.args and not refused(stack):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                arg = node.args[0]
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if name in ("t", "eval", "simple_eval") and literal:
                    assert isinstance(arg, ast.Constant)
                    found.add("simpleeval_dsl", arg.value, f"simpleeval 1.0.8 tests/{path.name}:{node.lineno}")
            for child in ast.iter_child_nodes(node):
                walk(child, [*stack, node])

        walk(tree, [])


_JS_LITERAL = r"('(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
JP_CALL = re.compile(r"jp\.(?:query|nodes|paths|value|parent|apply)\(\s*[\w.$]+\s*,\s*" + _JS_LITERAL
                     + r"|jp\.parse\(\s*" + _JS_LITERAL)


def _jsonpath(found: Found, root: Path) -> None:
    label = "jsonpath 1.3.0"
    for path in sorted((root / "test").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        if path.name == "security.js":
            text = "\n".join(m.group(0) for m in re.finditer(r"test\('allows[^\n]*\n(?:.*\n)*?\s*\}\);", text))
        for m in JP_CALL.finditer(text):
            literal = m.group(1) or m.group(2)
            found.add("jsonpath_dsl", _js(literal[1:-1]), f"{label} test/{path.name}")
    store = json.loads((root / "test/data/store.json").read_text(encoding="utf-8"))
    sc.walk_strings(store, "", lambda key, text: found.add(f"jsonpath_{sc.text_category(text)}", text,
                                                          f"{label} test/data/store.json: {key}"), ("", ""))
    items: list[Any] = []
    sc.list_items(store, items)
    for obj in items:
        found.body(obj, f"{label} test/data/store.json list element")


STATIC_EVAL_REFUSED = re.compile(r"disallow|constructor at runtime only|unresolved")
SAFE_EVAL_REFUSED = re.compile(r"should not have access")


def _js_tests(found: Found, root: Path, label: str, opener: str, var: str, refused: re.Pattern[str]) -> None:
    for path in sorted((root / "test").glob("*.js")):
        blocks = re.split(rf"\n\s*{opener}\(", path.read_text(encoding="utf-8"))
        for block in blocks[1:]:
            name = _js_strings(block[:200])[0]
            if refused.search(name):
                continue
            for m in re.finditer(rf"\b{var}\s*=\s*('(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")", block):
                found.add("jseval_dsl", _js(m.group(1)[1:-1]), f"{label} test/{path.name}: {name}")


def _benign(jmespath: Path, mathjs: Path, simpleeval: Path, jsonpath: Path, static_eval: Path,
            safe_eval: Path) -> dict[str, list[dict[str, str]]]:
    found = Found()
    _jmespath(found, jmespath)
    _mathjs(found, mathjs)
    _simpleeval(found, simpleeval)
    _jsonpath(found, jsonpath)
    _js_tests(found, static_eval, "static-eval 2.1.1", "test", "src", STATIC_EVAL_REFUSED)
    _js_tests(found, safe_eval, "safe-eval 0.4.1", "it", "code", SAFE_EVAL_REFUSED)
    values = {cat: sc.even(vals, CAP) for cat, vals in sorted(found.values.items())}
    return {**values, "given_documents": found.bodies}


def extract(jmespath: Path, mathjs: Path, simpleeval: Path, jsonpath: Path, static_eval: Path, safe_eval: Path) -> None:
    """The attack values (records.txt) and the benign values from the unpacked packages."""
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    attacks, repeats = sc.first_seen(HERE, sources)
    sc.dump(HERE / f"attacks_{SPLIT}.json", attacks)  # the benign side leaves out values equal to an attack
    benign = _benign(jmespath, mathjs, simpleeval, jsonpath, static_eval, safe_eval)
    counts = {cat: len(v) for cat, v in benign.items()}
    sc.write_values(HERE, SPLIT, attacks, benign, sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks),
                    {**BENIGN_SOURCES, "counts": counts})


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("given_documents", "documents", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
