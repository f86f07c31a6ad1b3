"""Categories of a field by its name: secrets (``password``, ``client_secret``, ``x-api-key``) and
personal data whose values no pattern can recognise (``name``, ``address``, ``date_of_birth``).

Names are compared after lower-casing and removing ``-``, ``_`` and spaces, so ``apiKey``,
``api_key`` and ``API-Key`` are one name. Secret names match as substrings (``user_password``);
personal-data names match exactly, to keep ``username`` or ``hostname`` out of ``name``.
"""

from __future__ import annotations

from functools import lru_cache

from bastion.redaction.categories import Category

_SECRET_PARTS: tuple[tuple[str, Category], ...] = (
    ("password", Category.PASSWORD), ("passwd", Category.PASSWORD), ("pwd", Category.PASSWORD),
    ("secret", Category.PASSWORD), ("credential", Category.PASSWORD), ("cvv", Category.PASSWORD),
    ("cvc", Category.PASSWORD), ("privatekey", Category.PRIVATE_KEY), ("apikey", Category.API_KEY),
    ("token", Category.TOKEN), ("authorization", Category.TOKEN), ("cookie", Category.TOKEN),
    ("sessionid", Category.TOKEN), ("signature", Category.TOKEN),
)
_SECRET_EXACT = {"pass": Category.PASSWORD, "pin": Category.PASSWORD, "auth": Category.TOKEN,
                 "session": Category.TOKEN}
SECRET_NAME_PARTS: tuple[str, ...] = (*(part for part, _ in _SECRET_PARTS), *_SECRET_EXACT)
"""Every normalised secret field name contains one of these (for cheap prefilters)."""

_PERSONAL_EXACT: dict[str, Category] = {
    **dict.fromkeys(("email", "emailaddress", "mail", "contactemail"), Category.EMAIL),
    **dict.fromkeys(("phone", "phonenumber", "mobile", "mobilephone", "telephone", "tel", "msisdn"),
                    Category.PHONE),
    **dict.fromkeys(("cardnumber", "creditcard", "creditcardnumber", "ccnumber", "pan"), Category.CARD),
    **dict.fromkeys(("iban", "bankaccount", "accountnumber"), Category.IBAN),
    **dict.fromkeys(("ssn", "socialsecuritynumber"), Category.SSN),
    **dict.fromkeys(("nationalid", "nino", "taxid", "passportnumber", "dni", "nir"), Category.NATIONAL_ID),
    **dict.fromkeys(("ip", "ipaddress", "clientip", "remoteaddr"), Category.IP),
    **dict.fromkeys(("name", "fullname", "firstname", "lastname", "givenname", "familyname", "surname",
                     "middlename", "displayname"), Category.NAME),
    **dict.fromkeys(("address", "streetaddress", "street", "postaladdress", "billingaddress",
                     "shippingaddress", "postcode", "postalcode", "zip", "zipcode"), Category.ADDRESS),
    **dict.fromkeys(("dob", "dateofbirth", "birthdate", "birthday"), Category.BIRTH_DATE),
}


def normalise_name(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(" ", "")


@lru_cache(maxsize=4096)
def secret_field(name: str) -> Category | None:
    """The secret category of a field by its name (``user_password`` → password), or None."""
    n = normalise_name(name)
    if not n:
        return None
    exact = _SECRET_EXACT.get(n)
    if exact is not None:
        return exact
    for part, category in _SECRET_PARTS:
        if part in n:
            return category
    return None


@lru_cache(maxsize=4096)
def field_category(name: str) -> Category | None:
    """The category a field's name announces: a secret name first, then a personal-data name."""
    return secret_field(name) or _PERSONAL_EXACT.get(normalise_name(name))
