"""fresh77: the CVE templates of projectdiscovery/nuclei-templates under http/cves/2000/ ... http/cves/2016/ (older
splits read only 2017-2025, dast/ and http/vulnerabilities/{wordpress,joomla,generic}), against the Azure Resource
Manager REST requests and answers that the Azure SDK for Python's management-library tests recorded (CDN, Key Vault,
Storage, App Service, Cognitive Services, Communication and API Management: resource definitions, SKUs, policies,
endpoints, host names, rule sets, error messages).

    python bench/waf/fresh77/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh77/build.py --extract SDISTS     # re-selects the values (the three json files)

``SDISTS`` is a folder holding the unpacked PyPI sdists listed in ``PACKAGES`` (each unpacked in place, as
``azure-mgmt-cdn-11.0.0/`` ...); only their ``tests/recordings/*.yaml`` are read, the ``*_async*`` ones left out (they
replay the same calls as the sync tests).

The brief asked for the request and response examples of the Azure REST API specifications (Azure/azure-rest-api-specs
``specification/<service>/.../examples/*.json``). The session's code-search look-up budget ran out while the attack
templates were being read, before any example file was fetched, so that repository could not be read. The benign side
is instead the nearest source a package registry serves: the test recordings (vcrpy cassettes) that the Azure SDK for
Python shipped in its management-library sdists of 2020-2021 (later sdists no longer carry them). They hold the same
kind of traffic the spec examples describe, recorded against the live service: each interaction's request (method, ARM
URI with its api-version, JSON body) and response (JSON body), with subscription ids zeroed by the SDK's sanitiser.
Services, at an even spread across ARM providers of different kinds: cdn (Microsoft.Cdn), keyvault (Microsoft.KeyVault,
management plane, no secrets read), storage (Microsoft.Storage), web (Microsoft.Web: app service plans, web apps,
slots, static sites), cognitiveservices (Microsoft.CognitiveServices), communication (Microsoft.Communication) and
apimanagement (Microsoft.ApiManagement). azure-mgmt-logic 9.0.0, the Logic Apps library of that time, ships no
recordings.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``), labelled by fresh39's rules (its records header: the labels are written with the
value, before measuring; fresh39 and fresh40 have no ``classify`` function to load). Values already in an older split
or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). From every interaction of every recording in ``PACKAGES`` order: the
request body and the response body that parse as JSON, and the request URI. Each JSON document is pruned first as
fresh73 prunes (``_prune``: every subtree under a secret key removed -- ``split_corpus.SECRET_KEYS``, keys ending in
``token`` or holding ``secret``, ``password`` or ``serial``, and here also keys ending in ``key`` or ``keys`` or holding
``connectionstring``, ``credential`` or ``signature`` (storage and communication access keys, connection strings) --
and every string that is, or is a URL whose host is, a loopback, private or link-local address; counted in
``sources.json``). Every remaining string and every request URI kept by ``text_category`` (``az_urls``, ``az_prose``,
``az_names``, ``az_codes``; at most ``CAP`` per category at an even stride); each pruned request body whole as a JSON
body (``az_requests``), each pruned response body of at most ``MAX_DOC`` characters whole as a JSON body
(``az_responses``; repeated polling answers once), and each object that is an element of a list in a response whole as
a JSON body (``az_items``, at most ``MAX_ITEMS`` at an even stride). Values an older split holds, and values holding
``localhost``, are left out. Split name ``fresh77``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f73 = sc.load_build("fresh73")  # the pruning of secret subtrees and private addresses

SPLIT = "fresh77"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
MAX_DOC = 20000
LABEL = "Azure SDK for Python test recordings"
PACKAGES = [
    # (sdist, service) in the order read
    ("azure-mgmt-cdn-11.0.0", "cdn"),
    ("azure-mgmt-keyvault-9.0.0", "keyvault"),
    ("azure-mgmt-storage-17.0.0", "storage"),
    ("azure-mgmt-web-2.0.0", "web"),
    ("azure-mgmt-cognitiveservices-11.0.0", "cognitiveservices"),
    ("azure-mgmt-communication-1.0.0", "communication"),
    ("azure-mgmt-apimanagement-1.0.0", "apimanagement"),
]
EXTRA_SECRET = ("connectionstring", "credential", "signature")
HOW_READ = (
    "each template's stored text through the code-search index (read_file) at the commit named per source, after "
    "listing each year folder with find_files; the injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "the PyPI sdists " + ", ".join(p for p, _ in PACKAGES) + " (Azure SDK for Python management "
    "libraries), their tests/recordings/*.yaml without the *_async* ones: vcrpy cassettes of the Azure Resource "
    "Manager REST calls their tests made (request method, URI and JSON body; response JSON body)",
    "licence": "MIT (each sdist's PKG-INFO: 'License: MIT License'; azure-sdk-for-python)",
    "instead_of": "the request/response examples of Azure/azure-rest-api-specs, which could not be read: the "
    "session's code-search look-up budget ran out before any example file was fetched",
    "what": "request and response JSON bodies pruned of secret subtrees and private addresses; their strings and the "
    "request URIs by text_category; request bodies, response bodies of at most MAX_DOC characters and list-element "
    "objects whole as JSON bodies; values an older split holds left out",
    "services": [s for _, s in PACKAGES],
}


def _secret_key(key: str) -> bool:
    k = key.lower()
    return f73._secret_key(key) or k.endswith(("key", "keys")) or any(w in k for w in EXTRA_SECRET)


def _prune(node: Any, removed: list[str]) -> Any:
    """fresh73's ``_prune`` with this split's wider secret-key rule."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if _secret_key(str(k)) or (isinstance(v, str) and f73._private_host(v)):
                removed.append(str(k))
                continue
            out[k] = _prune(v, removed)
        return out
    if isinstance(node, list):
        kept = [v for v in node if not (isinstance(v, str) and f73._private_host(v))]
        removed.extend("list item" for _ in range(len(node) - len(kept)))
        return [_prune(v, removed) for v in kept]
    return node


def _recordings(root: Path) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(service, recording file, interactions) in ``PACKAGES`` order, file names sorted, async recordings left out."""
    import yaml  # the runner's venv has PyYAML; only --extract needs it

    out = []
    for sdist, service in PACKAGES:
        for path in sorted((root / sdist / "tests" / "recordings").glob("*.yaml")):
            if "_async" in path.name:
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            out.append((service, f"{sdist}/tests/recordings/{path.name}", data.get("interactions") or []))
    return out


def _json(text: Any) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def azure_values(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    requests: list[dict[str, str]] = []
    responses: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    too_long = 0

    def whole(out: list[dict[str, str]], doc: Any, where: str) -> bool:
        text = json.dumps(doc, ensure_ascii=False)
        if not isinstance(doc, (dict, list)) or not doc or text in seen or "localhost" in text:
            return False
        seen.add(text)
        out.append({"value": text, "source": where})
        return True

    for service, rel, interactions in _recordings(root):
        for i, it in enumerate(interactions):
            req, resp = it.get("request") or {}, it.get("response") or {}
            where = f"{LABEL} {service} {rel} interaction {i}"
            sc.collect_strings(found, seen, LABEL, f"{service} {rel} interaction {i}", {"uri": req.get("uri") or ""})
            body = _json(req.get("body"))
            if body is not None:
                body = _prune(body, removed)
                sc.collect_strings(found, seen, LABEL, f"{service} {rel} interaction {i} request", body)
                whole(requests, body, f"{where} request body")
            answer = _json((resp.get("body") or {}).get("string"))
            if answer is not None:
                answer = _prune(answer, removed)
                sc.collect_strings(found, seen, LABEL, f"{service} {rel} interaction {i} response", answer)
                if len(json.dumps(answer, ensure_ascii=False)) <= MAX_DOC:
                    whole(responses, answer, f"{where} response body")
                else:
                    too_long += 1
                elements: list[Any] = []
                sc.list_items(answer, elements)
                for e_i, element in enumerate(elements):
                    whole(items, element, f"{where} response list element {e_i}")
    out = {f"az_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["az_requests"] = requests
    out["az_responses"] = responses
    out["az_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if _secret_key(k))
    return out, {"secret_subtrees_removed": secret, "private_address_values_removed": len(removed) - secret,
                 "responses_over_max_doc": too_long}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdists under ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    benign, pruned = azure_values(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, records, HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("az_requests", "requests", "json"), ("az_responses", "responses", "json"),
                      ("az_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
