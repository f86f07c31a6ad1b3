"""fresh41: the templates of projectdiscovery/nuclei-templates under http/vulnerabilities/wordpress/, joomla/ and
generic/ and http/cves/2025/ that no older split read (real exploit requests against named products: SQL injection,
traversal, command and code injection, XSS, CRLF), against recorded e-mail messages: what a support-ticket or
messaging API receives (subjects, sender names and addresses, header values, plain-text bodies with their quoted
replies and signatures, HTML bodies).

    python bench/waf/fresh41/build.py                                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh41/build.py --extract MAILPARSER TALON        # re-selects the values (the three json files)

``MAILPARSER`` is the unpacked PyPI sdist ``mail_parser-4.8.0.tar.gz`` (its ``tests/mails/``: the messages SpamScope's
parser is tested with, newsletters, bounces, spam and malware lures among them); ``TALON`` is the unpacked PyPI sdist
``talon-1.4.4.tar.gz`` (its ``tests/fixtures/``: replies from Gmail, Outlook, Apple Mail, Yahoo, AOL, iPhone and
Android clients, HTML replies, and the bodies, senders and signatures of its signature tests).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values (rules written before measuring). Messages: every file that parses as an RFC 5322 message with a From
or Subject header (mail-parser's ``mail_outlook_1`` is an Outlook .msg compound file and ``mail_malformed_3`` binary
data: left out), read with the standard library's ``email`` package. From each message: the decoded Subject; the
display names and the addresses of From, To, Cc, Reply-To and Sender; every other header value; every text/plain and
text/html part whole. Parts that are attachments (a Content-Disposition of attachment or a file name) and parts that
are not text are left out: their bytes are files, not text a person types (that is also what leaves out the malware
of the lure mails: their text is kept, their attachments are not). Talon's body-only fixtures: ``*_body``,
``*_signature`` and ``*_reply_text`` files as plain-text bodies, ``*_sender`` files as addresses, ``*.html`` as HTML
bodies; talon's ``#reply#``/``#sig#`` line markers (annotations its tests add) are removed; ``extraction.data`` (a CSV
of classifier features) is not mail. A body over 4,000 characters is cut at the last line break before 4,000 (the
length ``split_corpus.keep_text`` allows). Categories: subjects, names, emails, headers, text (plain bodies), html
(HTML bodies), paragraphs (the blank-line separated paragraphs of the plain bodies), at most ``CAP`` each at an even
stride. Whole documents: every message with a body as the JSON body ``{"subject": ..., "body": ...}`` (the plain body,
else the HTML body), at most ``MAX_BODIES``. Values among an older split's benign values are left out. Split name
``fresh41``.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import sys
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh41"
CAP = {"subjects": 200, "names": 200, "emails": 200, "headers": 400, "text": 200, "html": 120, "paragraphs": 500}
MAX_BODIES = 200
MAX_LEN = 4000
ADDRESS_HEADERS = ("from", "to", "cc", "reply-to", "sender")
MARKER = re.compile(r"^#(?:reply|sig)#", re.M)
MAILPARSER = "mail-parser 4.8.0 tests/mails"
TALON = "talon 1.4.4 tests/fixtures"
HOW_READ = (
    "each template's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "mail-parser 4.8.0 (PyPI sdist mail_parser-4.8.0.tar.gz), tests/mails/*: the recorded messages its "
    "tests parse (newsletters, bounces, spam and malware lures, Italian, Russian, Chinese and French mail); "
    "talon 1.4.4 (PyPI sdist talon-1.4.4.tar.gz), tests/fixtures/**: recorded replies of mail clients, HTML replies "
    "and the bodies, senders and signatures of its signature tests",
    "licence": "Apache-2.0 (mail-parser PKG-INFO License-Expression: Apache-2.0; talon PKG-INFO License: APACHE2)",
    "what": "subjects, display names, addresses, other header values, text/plain and text/html parts whole (cut at "
    "the last line break before 4,000 characters), paragraphs of the plain bodies, by category (at most CAP each, "
    "evenly spaced); every message with a body as a JSON body {subject, body}; values among an older split's benign "
    "values left out",
    "left_out": "attachment parts and non-text parts (files, among them the malware of the lure mails), "
    "mail_outlook_1 (an Outlook .msg compound file) and mail_malformed_3 (binary data), talon's extraction.data (a "
    "CSV of classifier features) and __init__.py; talon's #reply#/#sig# test markers removed",
}


def _cut(text: str) -> str:
    """``text`` with CR LF as LF, stripped, cut at the last line break before ``MAX_LEN`` when longer."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) <= MAX_LEN:
        return text
    head = text[:MAX_LEN]
    return head[: head.rfind("\n")].rstrip() if "\n" in head else head


def _part_text(part: EmailMessage) -> str:
    """A text part's decoded content (its declared charset, else UTF-8 with replacement)."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, KeyError, AssertionError):
        raw = part.get_payload(decode=True)
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")


def _message(raw: bytes) -> EmailMessage | None:
    """``raw`` as a message when it parses with a From or Subject header."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or (msg.get("from") is None and msg.get("subject") is None):
        return None
    return msg


def _header(msg: EmailMessage, name: str) -> list[str]:
    """Every decoded value of header ``name`` (a header the parser cannot decode is read raw)."""
    out = []
    for value in msg.get_all(name) or []:
        try:
            out.append(str(value))
        except Exception:
            out.append(str(getattr(value, "_parse_tree", value)))
    return out


class Found:
    """The values found so far by category, each once (and never one an older split holds)."""

    def __init__(self, older: set[str]) -> None:
        self.seen = set(older)
        self.values: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}
        self.objects: list[dict[str, str]] = []

    def add(self, cat: str, value: str, where: str) -> None:
        value = value.strip()
        if value and value not in self.seen and sc.keep_text(value):
            self.seen.add(value)
            self.values[cat].append({"value": value, "source": where})

    def body(self, cat: str, text: str, where: str) -> str:
        text = _cut(MARKER.sub("", text))
        self.add(cat, text, where)
        if cat == "text":
            for para in re.split(r"\n\s*\n", text):
                if len(para.strip()) > 1:
                    self.add("paragraphs", para, where)
        return text

    def message(self, msg: EmailMessage, where: str) -> None:
        subject = " ".join(_header(msg, "subject")).strip()
        if subject:
            self.add("subjects", subject, f"{where}: Subject")
        for name in ADDRESS_HEADERS:
            for display, addr in getaddresses(_header(msg, name)):
                self.add("names", display, f"{where}: {name} name")
                self.add("emails", addr, f"{where}: {name} address")
        for name in dict.fromkeys(k.lower() for k in msg.keys()):
            if name not in ADDRESS_HEADERS and name != "subject":
                for value in _header(msg, name):
                    self.add("headers", value, f"{where}: {name}")
        bodies: dict[str, str] = {}
        for part in msg.walk():
            if part.is_multipart() or part.is_attachment() or part.get_filename():
                continue
            ctype = part.get_content_type()
            if ctype in ("text/plain", "text/html"):
                cat = "text" if ctype == "text/plain" else "html"
                text = self.body(cat, _part_text(part), f"{where}: {ctype} part")  # type: ignore[arg-type]
                bodies.setdefault(cat, text)
        body = bodies.get("text") or bodies.get("html") or ""
        if body:
            doc = json.dumps({"subject": subject, "body": body}, ensure_ascii=False)
            if doc not in self.seen:
                self.seen.add(doc)
                self.objects.append({"value": doc, "source": where})


def _benign(mailparser: Path, talon: Path) -> dict[str, list[dict[str, str]]]:
    found = Found(sc.older_benign(HERE))
    for path in sorted((mailparser / "tests/mails").iterdir()):
        msg = _message(path.read_bytes())
        if msg is not None:
            found.message(msg, f"{MAILPARSER}/{path.name}")
    fixtures = talon / "tests/fixtures"
    for path in sorted(p for p in fixtures.rglob("*") if p.is_file()):
        rel = path.relative_to(fixtures).as_posix()
        where = f"{TALON}/{rel}"
        name = path.name
        if name.endswith(("_body", "_signature", "_reply_text")):
            found.body("text", path.read_text(encoding="utf-8", errors="replace"), where)
        elif name.endswith("_sender"):
            for display, addr in getaddresses([path.read_text(encoding="utf-8", errors="replace").strip()]):
                found.add("names", display, where)
                found.add("emails", addr, where)
        elif name.endswith(".html"):
            found.body("html", path.read_text(encoding="utf-8", errors="replace"), where)
        elif name.endswith(".eml") or "." not in name:
            msg = _message(path.read_bytes())
            if msg is not None:
                found.message(msg, where)
    values = {f"mail_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.values.items() if vals}
    return {**values, "mail_objects": sc.even(found.objects, MAX_BODIES)}


def extract(mailparser: Path, talon: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the two unpacked sdists."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(mailparser, talon), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("mail_objects", "objects", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
