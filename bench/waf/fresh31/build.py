"""fresh31: attack write-ups no older split read (PayloadsAllTheThings' Python template, Server Side Include and XSLT
pages; HackTricks' SSI/ESI, Jinja2, EL, XSS and per-DBMS SQL pages), against benign values generated with Faker in 20
locales (names, addresses, companies, job titles, prose, e-mails, phone numbers, URLs, user agents, IBANs, dates),
whole customer profiles as JSON bodies and whole query strings.

    python bench/waf/fresh31/build.py                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh31/build.py --extract FAKER_WHEEL  # re-generates the values (the three json files)

``FAKER_WHEEL`` is the PyPI wheel ``faker-40.63.0-py3-none-any.whl`` (``pip download --no-deps faker==40.63.0``); it is
imported from the wheel file itself (a zip on ``sys.path``), not installed. Each locale's generator is seeded with
``SEED + its index`` (``seed_instance``), and dates are drawn between fixed bounds (``DAYS``, ``STAMPS``), so the same
Faker version gives the same values on any day.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Per locale ``PER_LOCALE`` values of each kind, by category (``fk_names`` person names, ``fk_prose``
sentences, paragraphs, addresses, company names with catch phrases and job titles, ``fk_emails``, ``fk_urls``,
``fk_codes`` phone numbers, IBANs, dates, postcodes, ``fk_agents`` user agents), none already among an older split's
benign values; ``PROFILES`` customer profiles (one per locale in turn) sent whole as JSON bodies and ``QUERIES``
search/sign-up query strings sent whole. Split name ``fresh31``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh31"
SEED = 3100
FAKER_VERSION = "40.63.0"
LOCALES = (
    "ja_JP", "zh_CN", "ru_RU", "ar_AA", "he_IL", "el_GR", "hi_IN", "ko_KR", "th_TH", "fa_IR",
    "uk_UA", "pl_PL", "tr_TR", "vi_VN", "de_DE", "fr_FR", "es_ES", "pt_BR", "it_IT", "ga_IE",
)
PER_LOCALE = {"names": 10, "prose": 14, "emails": 4, "urls": 2, "codes": 10, "agents": 2}
DAYS = (date(1940, 1, 1), date(2008, 12, 31))
STAMPS = (datetime(2019, 1, 1), datetime(2026, 11, 30))
PROFILES = 400
QUERIES = 400
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": f"Faker {FAKER_VERSION} (PyPI wheel faker-{FAKER_VERSION}-py3-none-any.whl, imported from the wheel, "
    "not installed)",
    "licence": "MIT (Faker's LICENSE.txt)",
    "seed": f"Faker(locale).seed_instance({SEED} + index of the locale in LOCALES); calls made in build.py's order",
    "locales": list(LOCALES),
    "what": "generated values per locale by category (person names, sentences and paragraphs, addresses, company "
    "names, catch phrases and job titles, e-mails, URLs, phone numbers, IBANs, dates, postcodes, user agents); "
    "customer profiles sent whole as JSON bodies; sign-up/search query strings sent whole; values among an older "
    "split's benign values left out",
}


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("fk_queries", "queries", "/api/v1/customers?"),
                                   ("fk_profiles", "profiles"))


def _kinds(fake: Any) -> dict[str, list[Callable[[], str]]]:
    """What each category draws from, in turn (a provider a locale lacks falls back to Faker's default)."""
    return {
        "names": [fake.name, fake.name_female, fake.name_male, lambda: f"{fake.last_name()}, {fake.first_name()}"],
        "prose": [fake.sentence, fake.address, fake.company, fake.job, fake.catch_phrase,
                  lambda: fake.paragraph(nb_sentences=3), fake.street_address,
                  lambda: f"{fake.city()}, {fake.country()}"],
        "emails": [fake.email, fake.free_email, fake.company_email],
        "urls": [fake.url, lambda: f"{fake.url()}{fake.uri_path()}"],
        "codes": [fake.phone_number, fake.iban, lambda: _day(fake), fake.postcode,
                  lambda: fake.date_time_between_dates(*STAMPS).isoformat(), fake.msisdn, fake.bban,
                  lambda: _day(fake, "%d.%m.%Y")],
        "agents": [fake.user_agent],
    }


def _day(fake: Any, pattern: str = "%Y-%m-%d") -> str:
    """A date between fixed bounds (Faker's own date helpers count back from today: not reproducible)."""
    return str(fake.date_between_dates(*DAYS).strftime(pattern))


def _profile(fake: Any, locale: str) -> dict[str, Any]:
    return {
        "customer": {
            "name": fake.name(),
            "email": fake.email(),
            "phone": fake.phone_number(),
            "birthdate": _day(fake),
            "address": {"street": fake.street_address(), "city": fake.city(), "postcode": fake.postcode(),
                        "country": fake.current_country_code()},
            "company": fake.company(),
            "job": fake.job(),
            "iban": fake.iban(),
            "website": fake.url(),
            "bio": fake.paragraph(nb_sentences=2),
            "locale": locale,
            "tags": fake.words(nb=3),
            "marketing_opt_in": fake.boolean(),
        }
    }


def _query(fake: Any, k: int) -> str:
    if k % 2:
        return urlencode({"q": fake.sentence(nb_words=4).rstrip("."), "city": fake.city(), "page": k % 7 + 1,
                          "sort": "name"})
    return urlencode({"first_name": fake.first_name(), "last_name": fake.last_name(), "email": fake.email(),
                      "phone": fake.phone_number(), "company": fake.company(), "postcode": fake.postcode()})


def _benign(wheel: Path) -> dict[str, list[dict[str, str]]]:
    sys.path.insert(0, str(wheel))
    from faker import Faker  # imported from the wheel given on the command line

    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {f"fk_{cat}": [] for cat in PER_LOCALE}
    fakes = []
    for i, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(SEED + i)
        for provider in fake.get_providers():
            if isinstance(getattr(provider, "cities", None), list):
                provider.cities = sorted(provider.cities)  # it_IT builds it from a set: hash order, not reproducible
        fakes.append(fake)
        for cat, makers in _kinds(fake).items():
            for k in range(PER_LOCALE[cat]):
                value = makers[k % len(makers)]().strip()
                if value and value not in seen:
                    seen.add(value)
                    found[f"fk_{cat}"].append({"value": value, "source": f"Faker {FAKER_VERSION} {locale}"})
    profiles = []
    queries = []
    for k in range(max(PROFILES, QUERIES)):
        i = k % len(LOCALES)
        if k < PROFILES:
            whole = json.dumps(_profile(fakes[i], LOCALES[i]), ensure_ascii=False)
            profiles.append({"value": whole, "source": f"Faker {FAKER_VERSION} {LOCALES[i]} profile"})
        if k < QUERIES:
            queries.append({"value": _query(fakes[i], k), "source": f"Faker {FAKER_VERSION} {LOCALES[i]} query"})
    return {**found, "fk_profiles": profiles, "fk_queries": queries}


def extract(wheel: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(wheel), BENIGN_SOURCES)


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
