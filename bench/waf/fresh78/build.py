"""fresh78: the templates of projectdiscovery/nuclei-templates under ``http/vulnerabilities/other/`` (real exploit
requests against named products: SQL injection, XSS, traversal, command and code injection, JNDI, template
expressions, SSRF), against recorded Shopify answers: the address service's answers (countries with their zones,
labels and address formats in English, French, Japanese and Afrikaans) and the storefront answers (product, cart,
shipping rates, shop) that Shopify's own front-end packages test with.

    python bench/waf/fresh78/build.py                                         # writes corpus.jsonl (deterministic)
    python bench/waf/fresh78/build.py --extract ADDRESS_MOCKS THEME_PACKAGES  # re-selects the values (the json files)

``ADDRESS_MOCKS`` is the unpacked npm package ``@shopify/address-mocks`` 3.3.1 (its ``build/cjs/fixtures/*.js``: the
recorded GraphQL answers of Shopify's address service, read with ``node`` as the package exports them);
``THEME_PACKAGES`` is a folder holding the unpacked npm packages ``@shopify/theme-product`` 4.1.1,
``@shopify/theme-product-form`` 4.1.1, ``@shopify/theme-cart`` 4.1.1 and ``@shopify/theme-addresses`` 4.1.1 (each
as ``shopify-theme-<name>-4.1.1/package``; their ``__fixtures__/*.json``: recorded storefront AJAX answers).

Why not the brief's benign source. The brief named Shopify/shopify_python_api ``test/fixtures/*.json`` (110 recorded
Admin API answers). The code-search index lists them, but this session's look-up budget ran out while the attack
templates were being read, before any fixture was read; none of ShopifyAPI's PyPI sdists (12.7.0, 5.1.2, 2.1.8) ships
its ``test/fixtures`` (fresh56 found the same for 12.7.0), and the npm packages of Shopify's API clients
(``@shopify/shopify-api`` 5.3.0 and 13.1.0, ``shopify-api-node``, ``shopify-buy``, ``@shopify/admin-api-client``,
``@shopify/graphql-client``) ship none. The recorded Shopify answers that the registries do ship are the ones above,
so they are the benign source (same vendor, recorded answers of its services, never read by an older split).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``), labelled by fresh39's and fresh41's rules (the header of ``records.txt``):
those splits read the neighbouring nuclei-templates folders and label in the records, so their rules are reused as
written there (they have no ``classify`` function to load). Values already in an older split or repeated are dropped
and listed in ``sources.json``.

Benign values (rules fixed before measuring), as fresh76: every fixture in ``FIXTURES`` order, with every subtree
under a secret key and every private-address string removed first (fresh73's ``_prune``); every remaining string by
``text_category`` (``shopify_urls``, ``shopify_prose``, ``shopify_names``, ``shopify_codes``; at most ``CAP`` per
category at an even stride); each pruned fixture of at most ``MAX_DOC`` characters whole as a JSON body
(``shopify_documents``; the three country lists of 260-280 KB are sent as their elements only) and each object that
is an element of a list in a fixture whole as a JSON body (``shopify_items``, at most ``MAX_ITEMS`` at an even
stride). Values an older split holds, and values holding ``localhost``, are left out. Split name ``fresh78``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f73 = sc.load_build("fresh73")  # the fixture pruning (secret subtrees, private addresses)

SPLIT = "fresh78"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
MAX_DOC = 64 * 1024
HOW_READ = (
    "each template's stored text through the code-search index (read_file) at the commit named per source, after "
    "listing the folder with find_files (first 100 names) and the repository's templates-checksum.txt (the rest); the "
    "injected values transcribed into records.txt (see its header); the look-up budget ran out after 91 templates"
)
ADDRESS = "@shopify/address-mocks 3.3.1"
THEME = "@shopify/theme-* 4.1.1"
FIXTURES: list[tuple[str, str]] = [
    # (package label, file relative to the package root)
    (ADDRESS, "build/cjs/fixtures/countries_en.js"),
    (ADDRESS, "build/cjs/fixtures/countries_fr.js"),
    (ADDRESS, "build/cjs/fixtures/countries_ja.js"),
    (ADDRESS, "build/cjs/fixtures/countries_af.js"),
    (ADDRESS, "build/cjs/fixtures/country_ca_en.js"),
    (ADDRESS, "build/cjs/fixtures/country_ca_fr.js"),
    (ADDRESS, "build/cjs/fixtures/country_ca_ja.js"),
    (ADDRESS, "build/cjs/fixtures/country_ca_af.js"),
    (THEME, "shopify-theme-product-4.1.1/package/__fixtures__/product.json"),
    (THEME, "shopify-theme-product-form-4.1.1/package/__fixtures__/product-object.json"),
    (THEME, "shopify-theme-cart-4.1.1/package/__fixtures__/cart-empty.json"),
    (THEME, "shopify-theme-cart-4.1.1/package/__fixtures__/cart-populated.json"),
    (THEME, "shopify-theme-cart-4.1.1/package/__fixtures__/shipping-rates.json"),
    (THEME, "shopify-theme-addresses-4.1.1/package/__fixtures__/countries.json"),
    (THEME, "shopify-theme-addresses-4.1.1/package/__fixtures__/meta.json"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "npm @shopify/address-mocks 3.3.1 (build/cjs/fixtures/*.js: recorded answers of Shopify's address "
    "service, the countries list in en/fr/ja/af and Canada in the same four locales, read with node as the package "
    "exports them); npm @shopify/theme-product, @shopify/theme-product-form, @shopify/theme-cart and "
    "@shopify/theme-addresses 4.1.1 (__fixtures__/*.json: recorded storefront answers: product, product object, "
    "empty and populated cart, shipping rates, countries, shop meta)",
    "licence": "MIT (package.json license of each package: MIT; author Shopify Inc.)",
    "what": "string values by text_category (secret subtrees and private-address values removed), whole fixtures of "
    "at most 64 KiB and list-element objects as JSON bodies; values among an older split's benign values left out",
    "instead_of": "Shopify/shopify_python_api test/fixtures/*.json (the brief's source): the session's code-search "
    "budget ran out before any was read and no registry package ships them (see build.py)",
    "fixtures": [{"package": p, "file": f} for p, f in FIXTURES],
}


def _load(address: Path, theme: Path, label: str, rel: str) -> Any:
    """A fixture as parsed JSON: the address mocks' ES modules through node, the theme fixtures as JSON."""
    if label == ADDRESS:
        script = "process.stdout.write(JSON.stringify(require(process.argv[1]).default))"
        out = subprocess.run(["node", "-e", script, str((address / rel).resolve())], check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out)
    return json.loads((theme / rel).read_text(encoding="utf-8"))


def _benign(address: Path, theme: Path) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(sc.older_benign(HERE))
    removed: list[str] = []
    for label, rel in FIXTURES:
        doc = f73._prune(_load(address, theme, label, rel), removed)
        sc.collect_strings(found, seen, label, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{label} {rel} body"})
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for e_i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if text not in seen and "localhost" not in text:
                seen.add(text)
                items.append({"value": text, "source": f"{label} {rel} list element {e_i}"})
    out = {f"shopify_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["shopify_documents"] = documents
    out["shopify_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if f73._secret_key(k))
    return out, {"secret_subtrees_removed": secret, "private_address_values_removed": len(removed) - secret}


def extract(address: Path, theme: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked npm packages."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    benign, pruned = _benign(address, theme)
    sc.write_split(HERE, SPLIT, records, HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("shopify_documents", "documents", "json"), ("shopify_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
