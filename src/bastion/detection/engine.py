"""The engine: decode a value, prefilter it once, run only the analysers whose trigger fired.

``Engine`` is built once per policy at config load (the prefilter database is compiled there) and
is then pure and thread-safe: ``inspect`` keeps no state between calls.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import orjson

from bastion.detection import signatures
from bastion.detection.appliance_cmds import appliance_command
from bastion.detection.cfml import cf_execute, cf_java_object
from bastion.detection.cmd_rebalanced import rebalanced_command
from bastion.detection.commands import destructive_command
from bastion.detection.decode import base64_text, data_uri_text, needs_decoding, sniff_base64, variants
from bastion.detection.device_files import device_file
from bastion.detection.doc_exec import doc_command
from bastion.detection.dot_segments import dotted_system_path
from bastion.detection.el_scopes import el_scope
from bastion.detection.esi import esi_xss
from bastion.detection.exchange_routing import exchange_route
from bastion.detection.fields import Field, json_fields
from bastion.detection.git_config import git_command_key
from bastion.detection.identifier_slots import identifier_slot
from bastion.detection.inclusion_targets import inclusion_target
from bastion.detection.java_decoder import process_document
from bastion.detection.jdbc_urls import h2_init_code
from bastion.detection.jolokia import escaped_url
from bastion.detection.js_breakouts import commented_breakout
from bastion.detection.js_indirect import indirect_sink
from bastion.detection.language_exec import process_path
from bastion.detection.ldap_fragments import closing_filter, dn_match, opening_filter, operator_item
from bastion.detection.line_injection import assignment_lines
from bastion.detection.lone_probes import lone_probe
from bastion.detection.mail_words import split_address
from bastion.detection.mavo import mavo_expression
from bastion.detection.node_escape import node_escape
from bastion.detection.node_serialize import serialized_function
from bastion.detection.odd_schemes import odd_scheme_target
from bastion.detection.ognl_exprs import ognl_expression
from bastion.detection.operator_params import operator_param
from bastion.detection.orm_filters import orm_lookup, orm_operator
from bastion.detection.php_breakouts import php_breakout
from bastion.detection.php_concat import concat_call
from bastion.detection.pipe_open import pipe_open
from bastion.detection.prefilter import TRIGGERS, Prefilter, Run
from bastion.detection.probe_chains import probe_chain
from bastion.detection.proto_paths import array_path, sanitizer_standin
from bastion.detection.proxy_target import userinfo_target
from bastion.detection.remote_include import remote_include
from bastion.detection.rules import RULES, Context, Detection, redact
from bastion.detection.runtime_paths import runtime_path
from bastion.detection.sandbox_escapes import js_escape, popen_read, python_escape
from bastion.detection.scanner_agents import scanner_agent
from bastion.detection.scanner_probes import (
    control_command,
    glued_template,
    js_probe,
    split_select,
    struts_arithmetic,
    thinkphp_call,
)
from bastion.detection.script_links import css_expression, script_link
from bastion.detection.script_spellings import script_spelling
from bastion.detection.script_statements import best_fit_markup, script_statement
from bastion.detection.shell import STRONG, WEAK, is_cmdi
from bastion.detection.shell_expansion import expansion_command
from bastion.detection.shell_fragments import (
    expansion_after_separator,
    file_read,
    grouped_substitution,
    redirect,
    shellshock_prefix,
)
from bastion.detection.shell_lines import binary_spelling
from bastion.detection.shell_refs import env_reference, process_substitution
from bastion.detection.shortcodes import shortcode_breakout
from bastion.detection.sql_statements import dangerous_statement
from bastion.detection.sqli import is_sqli
from bastion.detection.sqli_breakouts import breakout
from bastion.detection.sqli_cuts import cut_fragment
from bastion.detection.sqli_stacks import stacked_shape
from bastion.detection.sqli_tails import sql_tail
from bastion.detection.ssrf import URL_NAMES, is_ssrf, metadata_host
from bastion.detection.template_exprs import template_expression
from bastion.detection.thinkphp import thinkphp_route
from bastion.detection.url_spellings import spelled_target
from bastion.detection.webshell_writes import script_write
from bastion.detection.windows_paths import machine_config_file
from bastion.detection.xpath_unions import xpath_probe, xpath_union
from bastion.detection.xslt import extension_call, local_document
from bastion.detection.xss import is_xss

Analyser = Callable[[str, Context], "tuple[int, int] | None"]

log = logging.getLogger("bastion.waf")

_INERT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/-"


def _inert(value: str) -> bool:
    """One token of ASCII letters, digits and ``._:/-`` — ``host:port``, dates and times, versions, ids, paths,
    command or SQL words on their own: no quote, blank, operator, separator, substitution or redirection, so
    neither SQL nor a shell command can be injected with it (an SQL ``--`` comment aside, which the analyser
    still reads). The prefilter's triggers are deliberately loose (a value opening with a number and a
    non-word character, a command name), and these values are common: the full analysers cost 15–35 µs each
    for nothing. Of every attack string in the corpora, the only such value either analyser flags is
    ``--sp_password`` (kept by the ``--`` test); a dotted walk to a process function (``x.linecache.os.system``, an
    XML-RPC method name) is read by the command analyser all the same (``language_exec.process_path``)."""
    return not value.strip(_INERT_CHARS) and "--" not in value


_COMMANDS = STRONG | WEAK
"""The command names ``shell_lines.binary_spelling`` reads under a ``bin`` folder."""

ANALYSERS: dict[str, Analyser] = {
    "jndi": signatures.jndi,
    "xxe": lambda v, c: signatures.xxe(v, c) or local_document(v),
    "sqli": lambda v, c: (None if _inert(v) else is_sqli(v) or dangerous_statement(v) or cut_fragment(v)
                          or breakout(v)  # fresh46: a SET-list continuation, 'or', a '"> probe, a sub-select
                          or sql_tail(v)  # fresh59: 'XOR' / 1 = '1' / 1-- / 20 OFFSET 5; as the whole value
                          or stacked_shape(v, is_sqli))  # fresh64: ');;;; --, "), (x,user()), WAITFOR DELAY 1
    or orm_lookup(v) or split_select(v)  # fresh50: */ select 1,2,3 (a UNION a comment spans)
    or xpath_union(v)  # fresh68: ')] | //* — an XPath literal closed and a path of the attacker's joined
    or xpath_probe(v),  # fresh70: count(//user/child::node()) — a blind probe's XPath expression
    "xss": lambda v, c: is_xss(v) or esi_xss(v) or indirect_sink(v) or script_statement(v) or best_fit_markup(v)
    or mavo_expression(v) or script_spelling(v)  # fresh48: a script scheme spelled in references
    or js_probe(v)  # fresh50: javascript:name, a \'; break-out
    or script_link(v) or css_expression(v),  # fresh54: [h](javascript:name), a whole CSS expression(body.x)
    "cmdi": lambda v, c: extension_call(v) or (_cmdi(v, c) if c.kind == "document" or "java.lang." in v
                                               else None if _inert(v) and not process_path(v) else is_cmdi(v))
    or doc_command(v)  # a spreadsheet DDE call or a TeX shell escape: the compiler or the sheet runs the program
    or node_escape(v)  # Node.js sandbox escapes run commands and read files: code injection, not script in a page
    or (h2_init_code(v) if "dbc:h2:" in v or "DBC:H2:" in v else None)  # jdbc_urls: an INIT that runs code
    or cf_execute(v) or git_command_key(v)  # fresh40: a .cfm page, a .git/config
    or cf_java_object(v)  # fresh75: CFML createObject('java','java.lang.Runtime'), <cfobject class=…URLClassLoader>
    or appliance_command(v)  # fresh45: shell-serving options, loops and redirects after a separator, SOAP text
    or expansion_command(v) or serialized_function(v)  # fresh46: a command glued from $VARs, node-serialize
    or pipe_open(v)  # fresh46: Perl's two-argument open of "cmd args|"
    or rebalanced_command(v) or thinkphp_route(v) or script_write(v)  # fresh49: ';id', a \think\ route, x.php
    or concat_call(v) or lone_probe(v)  # fresh47: ".f(…)." in PHP source, ping host / tool%00 probes
    or control_command(v) or thinkphp_call(v)  # fresh50: ;notepad; / id| alone, ThinkPHP invokefunction
    or popen_read(v)  # fresh52: x.mod.popen('id').read(), os reached under another name
    or env_reference(v) or process_substitution(v)  # fresh56: $Env:PATH / %PATH% alone, <(cmd)
    or file_read(v) or redirect(v) or expansion_after_separator(v)  # fresh59: $(<f), 2> f alone, ; ${a:-ls}
    or grouped_substitution(v, is_cmdi) or shellshock_prefix(v)  # fresh59: ( $(echo ls) ), () { alone
    or probe_chain(v)  # fresh58: sleep 5 && id, id%0adate +"%d-%B-%Y"
    or destructive_command(v)  # fresh64: rm -rf /, chmod 777, chown root as the whole value
    or (binary_spelling(v, _COMMANDS) if v[:1] == "/" else None)  # fresh64: /usr/bIn/kill, //bin/ls
    or php_breakout(v, _COMMANDS),  # fresh73: "].f().g().$a[", .`$v`, f=passthru&args=, /passthru/cmd x
    "traversal": lambda v, c: signatures.traversal(v, c) or inclusion_target(v) or (
        remote_include(v) if "://" in v else None) or (
        (machine_config_file(v) or device_file(v)  # fresh45: device_files, an appliance's secrets by path
         or runtime_path(v)  # fresh58: /var/lib/docker/…, /var/run/docker.sock, /inetpub/wwwroot/…
         or (dotted_system_path(v) if "/./" in v else None))  # fresh64: /./././root
        if not (c.kind == "body" and not c.is_key and signatures.CONFIG_PATH_FIELD.fullmatch(c.name)) else None),
    "ssrf": lambda v, c: _ssrf(v, c),
    "nosqli": lambda v, c: signatures.nosqli(v, c) or orm_operator(v, c)
    or operator_param(v),  # fresh53: q=x&$where=…, an operator as a form parameter's name
    "ldapi": lambda v, c: signatures.ldapi(v, c) or opening_filter(v) or closing_filter(v)  # fresh53: (|(foo, bar))(
    or operator_item(v) or dn_match(v),  # fresh61: !(cn=*) as the whole value, :dn:=*
    "ssti": lambda v, c: signatures.ssti(v, c) or template_expression(v) or shortcode_breakout(v)
    or ognl_expression(v)  # fresh45: Struts %{…} reaching the runtime
    or el_scope(v)  # fresh46: EL reading cookie[…], sessionScope, applicationScope
    or struts_arithmetic(v) or glued_template(v)  # fresh50: %{1+2}, 1,787{{z}},569
    or python_escape(v) or js_escape(v)  # fresh52: expression-sandbox escapes (dunder walks, constructor reach)
    or identifier_slot(v)  # fresh55: code for a template's identifier slot, Express render options
    or (commented_breakout(v) if "//" in v else None),  # fresh64: x'; f(); // (code evaluated on the server)
    "crlf": lambda v, c: signatures.crlf(v, c) or split_address(v) or assignment_lines(v),  # fresh49
    "proto": lambda v, c: signatures.proto(v, c)
    or sanitizer_standin(v) or array_path(v),  # fresh53: $_proto__ for replaceWith, [["constructor"],"prototype"]
    "scanner": lambda v, c: scanner_agent(v, c.kind, c.name),  # an attack tool named in User-Agent
}
"""In reporting order: the most specific class wins when a payload fits several."""


def _cmdi(value: str, ctx: Context) -> tuple[int, int] | None:
    """A whole XML document is read only for a Java object document that starts a process (``java_decoder``);
    any other value naming ``java.lang.`` for that first (it may carry such a document as a string), then as a
    command line. Values without it skip this call (``ANALYSERS``)."""
    if (document := process_document(value)) is not None or ctx.kind == "document":
        return document
    return None if _inert(value) and not process_path(value) else is_cmdi(value)


NOT_FETCHED_HEADERS = frozenset({"host", "origin", ":authority", "x-forwarded-host", "forwarded"})
"""Headers that name this server or the caller's page, never a URL the upstream fetches."""
ROUTING_HEADERS = frozenset({"host", ":authority", "x-forwarded-host"})
"""Headers a proxy may route by: a cloud metadata address there is a target though it has no ``://`` (the
prefilter's SSRF trigger names the metadata addresses, so no other value pays for this)."""


_MERGED_SLASHES = re.compile(r"(?<=[a-z]):/(?=[^/])", re.I)


def _sniff(value: str, ctx: Context) -> str | None:
    """Unmarked base64 (``sniff_base64``) or the base64 payload of a ``data:`` URL (``data_uri_text``); in the path
    the leading ``/`` is not part of the value."""
    if ctx.kind == "path" and value[:1] == "/":
        value = value[1:]
    if "base64," in value[:120] and (text := data_uri_text(value)) is not None:
        return text
    return sniff_base64(value)


def _ssrf(value: str, ctx: Context) -> tuple[int, int] | None:
    """Full URLs anywhere (a Referer can be fetched); bare hosts only in URL-named parameters and fields,
    not in headers, where ``Host`` and friends legitimately carry internal addresses: there only a cloud
    metadata address counts (``Host: 169.254.169.254``, what a proxy that routes by it would fetch). In the path,
    the normaliser has merged ``//``, so ``/fetch/http:/127.0.0.1/`` is read as the URL it was sent as. A URL in
    Jolokia's ``http:!/!/`` escape counts wherever it is (``jolokia``), and so does an Exchange backend-routing
    value (``exchange_routing``)."""
    if ctx.kind == "header":
        if ctx.name in NOT_FETCHED_HEADERS:
            return (0, len(value)) if ctx.name in ROUTING_HEADERS and metadata_host(value) else None
        return (is_ssrf(value) or odd_scheme_target(value) or escaped_url(value) or exchange_route(value)
                or userinfo_target(value) or spelled_target(value))  # fresh47: @10.0.0.1; fresh51: https:10.0.0.1
    if ctx.kind == "path" and ":/" in value:
        value = _MERGED_SLASHES.sub("://", value)
    return (is_ssrf(value, ctx.name) or odd_scheme_target(value) or escaped_url(value) or exchange_route(value)
            or userinfo_target(value) or spelled_target(value))


@lru_cache(maxsize=4096)
def _url_named(name: str) -> bool:
    return URL_NAMES.search(name) is not None


def _failed(cls: str, exc: Exception, form: str) -> tuple[int, int]:
    """An analyser raised on this value: it is refused as that class (fail closed; the policy answers 403, not
    500) and the failure is logged by type and place only, since an exception's message may quote the value."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
    log.error("waf analyser %s failed (%s at %s) on a %d-character value; the value is refused",
              cls, type(exc).__name__, where, len(form))
    return 0, len(form)


def _memo_key(value: str, ctx: Context, skip: frozenset[str],
              b64: bool) -> tuple[str, Context, frozenset[str], bool] | None:
    """The memo key of a field ``Engine.first`` may remember as passed, or ``None`` (``MEMO_KINDS``)."""
    if ctx.kind not in MEMO_KINDS or len(value) > MEMO_MAX_CHARS or (ctx.name and _credential_header(ctx.name)):
        return None
    return value, ctx, skip, b64


@lru_cache(maxsize=1024)
def _credential_header(name: str) -> bool:
    return _CREDENTIAL_NAME.search(name) is not None


def _bare_host_field(ctx: Context) -> bool:
    return bool(ctx.name) and ctx.kind != "header" and _url_named(ctx.name)


def _bare_host_fields(fields: Sequence[Field], indexes: list[int]) -> list[int]:
    """Indexes of fields named like a URL, where a bare host is a target (``_bare_host_field``). A request has many
    fields but few distinct names: each name is judged once (``_url_named``, cached), with no Python call per
    field, and header fields are left out after."""
    url_names = {name for name in {fields[i][2][1] for i in indexes} if name and _url_named(name)}
    if not url_names:
        return []
    return [i for i in indexes if fields[i][2][1] in url_names and fields[i][2][0] != "header"]


MEMO_KINDS = frozenset({"header", "path"})
"""Where a value that passed every analyser is remembered (``Engine.first``): header values and path segments, which
recur verbatim from request to request (a client's ``User-Agent``, ``Accept`` and ``sec-ch-ua``, the ``Host``, the
routes' fixed segments), unlike body, query and cookie values."""
MEMO_MAX_CHARS = 256
MEMO_ENTRIES = 2048
"""The memo is emptied when it reaches this many values: a flood of distinct values costs the analysis they would
have cost anyway, never a wrong answer."""
_CREDENTIAL_NAME = re.compile(r"auth|token|key|secret|cookie|session|passw|signature|credential", re.I)
"""Header names that carry credentials (``Authorization``, ``X-Api-Key``, ``X-Amz-Security-Token`` …): their values
are inspected every time and never kept past the request."""

_EMBEDDED_DEPTH = 2
"""How deep a JSON document inside a string value is opened (a document in a string in a document's string)."""


def _embedded_json(value: str) -> list[str]:
    """The string keys and values of ``value`` when it is a whole JSON object or array (fresh62): a field that carries a
    JSON document as text (``{"orderBy":"1 and 1=updatexml(…)--"}`` in a path segment, a query value or a header; a
    .NET ``ObjectDataProvider`` body in a form field) is read by the application as a document, so its strings are
    inspected as values, as a JSON body's are. Only the first and last characters are looked at before parsing; a
    value that does not parse, or whose strings are the value itself, gives nothing."""
    text = value.strip()
    if len(text) < 7 or text[0] not in "{[" or text[-1] != ("}" if text[0] == "{" else "]") or '"' not in text:
        return []
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError:
        return []
    if type(doc) is not dict and type(doc) is not list:
        return []
    return [leaf for _, leaf, _ in json_fields(doc) if leaf and leaf != value]


_SERIALIZED_START = re.compile(r"(?:\w{1,64}\|)?(?:[aOC]:\d{1,6}:[{\"]|s:\d{1,6}:\")")
"""A ``serialize()`` payload's start, after at most one ``name|`` (PHP's session encoding ``name|a:2:{…}``, which
``session_decode`` and applications that split on ``|`` read: ECShop's ``…ads|a:2:{…}`` Referer, fresh78)."""
_SERIALIZED_STRING = re.compile(r"s:(\d{1,6}):\"")


def _embedded_serialized(value: str) -> list[str]:
    """The strings of ``value`` when it is a whole PHP ``serialize()`` payload (fresh72): a field the application
    ``unserialize()``s (``a:1:{s:4:"type";s:69:"1 AND extractvalue(…)-- ";}`` in a query value) hands each string on
    as a value, so each is inspected as one, as a JSON document's strings are. A string is the ``N`` characters its
    ``s:N:"`` announces when ``";`` follows them, else the text up to the next ``";``; one pass over the value."""
    text = value.strip()
    if len(text) < 8 or text[-1] not in "};" or _SERIALIZED_START.match(text) is None:
        return []
    leaves: list[str] = []
    pos = 0
    while (found := _SERIALIZED_STRING.search(text, pos)) is not None:
        start = found.end()
        end = start + int(found.group(1))
        if text.startswith('";', end):
            pos = end + 2
        else:
            end = text.find('";', start)
            if end < 0:
                break
            pos = end + 2
        leaf = text[start:end]
        if leaf and leaf != value:
            leaves.append(leaf)
    return leaves


SNIFF = "base64?"
"""Not an attack class: the prefilter's name for "this value may be unmarked base64" (``sniff_base64``)."""
SNIFF_RUN = Run(SNIFF, b"abcdefghijklmnopqrstuvwxyz0123456789+/", 16)
SNIFF_TRIGGER = (rb"(?:^|\x00)[a-z0-9+/]{11,15}={0,2}(?:\x00|$)"
                 rb"|(?:^|\x00)\s*data:[^,\x00]{0,100};base64,")
"""A run of 16 base64 characters anywhere in a value (``SNIFF_RUN``; a form decoder may have turned the value's '+'
into spaces), or a whole value of 11–15 of them; prose, with a space every few letters, has neither. The prefilter
is caseless and the whole value is checked after (``sniff_base64``). Anchoring at the value's end instead cost
half as much again as every other trigger together on a prose-heavy body. As a Hyperscan pattern the run had to be
matched from its start, so it was reported once (unanchored, it reported every position past the 16th, one Python
callback each: ~450 µs for the benchmark's 1,900-character note); it is now found with ``bytes.translate`` and
``find`` (``Prefilter``'s ``run``), at a quarter of the cost. A whole value that is a base64 ``data:`` URL is
sniffed too, whatever the length of its payload."""


class Engine:
    def __init__(self, disabled: Iterable[str] = (), *, use_hyperscan: bool = True) -> None:
        off = set(disabled)
        unknown = off - set(ANALYSERS)
        if unknown:
            raise ValueError(f"unknown attack classes: {sorted(unknown)}")
        self.classes = tuple(c for c in ANALYSERS if c not in off)
        self.document_classes = tuple(c for c in self.classes if c in ("xxe", "cmdi"))
        self.prefilter = Prefilter({**{c: TRIGGERS[c] for c in self.classes}, SNIFF: SNIFF_TRIGGER},
                                   use_hyperscan=use_hyperscan, run=SNIFF_RUN)
        self._passed: dict[tuple[str, Context, frozenset[str], bool], None] = {}
        """Header values and path segments that passed every analyser, by value, context, skipped classes and
        base64 marking (``MEMO_KINDS``): the analysers are pure functions of those, so an identical field gets the
        identical answer without the analysis. Only passes are kept; refusals are analysed (and logged) each time."""

    def inspect(self, value: str, ctx: Context, *, base64: bool = False,
                skip: frozenset[str] = frozenset()) -> Detection | None:
        """The first detection in ``value`` (or what it decodes to), or ``None``."""
        forms = variants(value) if needs_decoding(value) else [value]
        text = base64_text(value) if base64 else _sniff(value, ctx)
        if text is None and len(forms) > 1 and "base64" in value:
            text = next((t for f in forms[1:] if (t := data_uri_text(f)) is not None), None)  # data%3A%3Bbase64%2C…
        if text is not None:
            forms.extend(variants(text))
        for index, form in enumerate(forms):
            hits = self.prefilter.scan(form)
            if "\x00" in form:
                hits.add("traversal")  # a real NUL (raw or decoded): a trigger cannot tell it from the batch joint
                hits.add("cmdi")  # fresh47: lone_probes reads a probe tool cut off by NUL
            found = self._analyse(form, ctx, hits, skip, index > 0)
            if found is not None:
                return found
        return None

    def first(self, fields: Sequence[Field], skip_for: Callable[[str], frozenset[str]] | None = None,
              base64_for: Callable[[str], bool] | None = None) -> tuple[int, Detection] | None:
        """The first detection over many fields, in order: plain ASCII values (most of them) share
        one prefilter pass; values that need decoding are inspected one by one."""
        fast: list[int] = []
        slow: list[int] = []
        slow_set: set[int] | frozenset[int] = frozenset()
        values = [f[1] for f in fields]
        joined = "".join(values)
        if needs_decoding(joined) or "+" in joined:
            for i, value in enumerate(values):
                if value:
                    (slow if needs_decoding(value) else fast).append(i)
        else:
            fast = [i for i, value in enumerate(values) if value]
        batch = {fast[p]: h for p, h in self.prefilter.scan_hits([values[i] for i in fast]).items()}
        todo = set(batch)
        if "ssrf" in self.classes:
            todo.update(_bare_host_fields(fields, fast))
        todo.update(slow)
        if slow:
            slow_set = set(slow)
        no_hits: set[str] = set()
        if base64_for is not None:
            todo.update(i for i in fast if base64_for(fields[i][0]))
        everything = frozenset(self.classes)
        for i in sorted(todo):
            pointer, value, ctx = fields[i]
            skip = skip_for(pointer) if skip_for is not None else frozenset()
            if skip >= everything:
                continue
            b64 = base64_for(pointer) if base64_for is not None else False
            memo = _memo_key(value, ctx, skip, b64)
            if memo is not None and memo in self._passed:
                continue
            hits = batch.get(i, no_hits) if i not in slow_set else None
            if hits is not None and SNIFF in hits and not b64 and _sniff(value, ctx) is None:
                hits = hits - {SNIFF}  # prose that merely ends in base64 letters: no second pass
            if hits is None or b64 or SNIFF in hits:
                found = self.inspect(value, ctx, base64=b64, skip=skip)
            else:
                found = self._analyse(value, ctx, hits, skip, False)
            if found is not None:
                return i, found
            if memo is not None:
                if len(self._passed) >= MEMO_ENTRIES:
                    self._passed.clear()
                self._passed[memo] = None
        return None

    def _analyse(self, form: str, ctx: Context, hits: set[str], skip: frozenset[str],
                 decoded: bool, depth: int = 0) -> Detection | None:
        if "ssrf" in self.classes and _bare_host_field(ctx):
            hits = hits | {"ssrf"}
        if not hits:
            return None
        for cls in self.document_classes if ctx.kind == "document" else self.classes:
            if cls in hits and cls not in skip:
                try:
                    span = ANALYSERS[cls](form, ctx)
                except Exception as exc:  # a detector bug must neither pass the value nor answer 500
                    span = _failed(cls, exc, form)
                if span is not None:
                    return Detection(RULES[cls], redact(form, *span), decoded=decoded)
        if depth < _EMBEDDED_DEPTH and ctx.kind != "document" and (
                leaves := _embedded_json(form) or _embedded_serialized(form)):
            for leaf in leaves:
                leaf_hits = self.prefilter.scan(leaf)
                if "\x00" in leaf:
                    leaf_hits |= {"traversal", "cmdi"}
                found = self._analyse(leaf, ctx, leaf_hits, skip, decoded, depth + 1)
                if found is not None:
                    return found
        return None
