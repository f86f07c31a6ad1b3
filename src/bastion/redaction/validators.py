"""Check digits and structure rules that turn a regex candidate into a detection.

Each validator takes the candidate with separators already removed (digits / upper-case letters)
and answers whether it is plausibly the real thing: a card number passes Luhn, an IBAN has its
country's length and passes ISO 7064 mod 97-10, a US SSN is not in a never-issued range, and so on.
"""

from __future__ import annotations

import ipaddress

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24,
    "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812 Luhn check over a string of decimal digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_ok(digits: str) -> bool:
    """A payment card number: 13-19 digits, a real issuer prefix (not 0), Luhn-valid, not all one digit."""
    return 13 <= len(digits) <= 19 and digits[0] != "0" and len(set(digits)) > 1 and luhn_ok(digits)


def iban_ok(compact: str) -> bool:
    """ISO 13616: known country length, then mod 97 of the rearranged number equals 1."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def ssn_ok(digits: str) -> bool:
    """US SSN: 9 digits; area not 000, 666 or 900-999; group not 00; serial not 0000."""
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def phone_ok(digits: str, international: bool) -> bool:
    """E.164 allows at most 15 digits; +-prefixed numbers need 8+, national (NANP) ones exactly 10/11."""
    if international:
        return 8 <= len(digits) <= 15 and digits[0] != "0"
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789"


_NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_ok(compact: str) -> bool:
    """UK National Insurance number: two allowed prefix letters, six digits, suffix A-D."""
    if len(compact) != 9 or compact[:2] in _NINO_BAD_PREFIX:
        return False
    first, second = compact[0], compact[1]
    letters_ok = first not in "DFIQUV" and second not in "DFIOQUV"
    return letters_ok and compact[2:8].isdigit() and compact[8] in "ABCD"


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_ok(compact: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), check letter mod 23."""
    if len(compact) != 9:
        return False
    body = compact[:8]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    return body.isdigit() and _DNI_LETTERS[int(body) % 23] == compact[8]


def fr_nir_ok(digits: str) -> bool:
    """French social security number (NIR): 13 digits + 2-digit key = 97 - (number mod 97)."""
    if len(digits) != 15 or digits[0] not in "12":
        return False
    return 97 - int(digits[:13]) % 97 == int(digits[13:])


def ip_ok(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def email_ok(candidate: str) -> bool:
    """RFC 5321 sizes: local part ≤ 64, domain ≤ 253 with a letters-only TLD and sane labels."""
    local, _, domain = candidate.rpartition("@")
    if not local or len(local) > 64 or len(domain) > 253 or ".." in candidate:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not labels[-1].isalpha() or len(labels[-1]) < 2:
        return False
    return all(0 < len(lb) <= 63 and not lb.startswith("-") and not lb.endswith("-") for lb in labels)
