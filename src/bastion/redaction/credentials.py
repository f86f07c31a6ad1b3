"""Secret detectors: JWTs, API keys of common providers, private keys, auth headers, credentials in text.

Provider keys are recognised by their documented structure (prefix, alphabet, length); a JWT must
have a base64url header that decodes to a JSON object with ``alg``. Field names that hold secrets
(``password``, ``client_secret`` ...) are recognised in ``fieldnames.py``.
"""

from __future__ import annotations

import base64
import re

import orjson

PROVIDER_KEYS = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}"  # GitHub
    r"|glpat-[A-Za-z0-9_-]{20,}"  # GitLab
    r"|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,}"  # Stripe
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|AIza[0-9A-Za-z_-]{35}"  # Google
    r"|sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}"  # OpenAI, Anthropic
    r"|npm_[A-Za-z0-9]{36}"  # npm
    r"|SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"  # SendGrid
    r"|hv[sb]\.[A-Za-z0-9_-]{24,}"  # HashiCorp Vault
    r")(?![A-Za-z0-9])"
)

PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)

JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}")

AUTH_SCHEME = re.compile(r"(?i)\b(?:bearer|basic|digest|token|apikey|dpop|mac)\s+([A-Za-z0-9._~+/=-]{8,})")

# "Authorization: …" / "cookie=…" up to the end of the line: the whole header value is secret
SECRET_HEADER_LINE = re.compile(
    r"(?i)\b(?:proxy-authorization|authorization|set-cookie|cookie|x-api-key|api-key)\s*[:=]\s*([^\r\n]+)"
)

# ('cookie', 'sid=…') and "authorization": "…" - header pairs printed as Python or JSON
SECRET_HEADER_QUOTED = re.compile(
    r"(?i)([\"'])(?:proxy-authorization|authorization|set-cookie|cookie|x-api-key|api-key)\1\s*[,:]\s*"
    r"([\"'])((?:(?!\2).)+)\2"
)

# password=…, "client_secret": "…", token: … (query strings, JSON fragments, log lines). The match is
# the key only (a whole identifier: the lookbehind stops matches inside one, so scanning stays linear);
# the value is captured in a lookahead, and the caller decides with ``fieldnames.secret_field(key)``.
SECRET_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_-])([\"']?)([A-Za-z][A-Za-z0-9_-]{0,63})\1\s{0,8}[:=]\s{0,8}"
    r"(?=\"((?:[^\"\\]|\\.){0,4096})\"|'([^']{0,4096})'|([^\s&,;\"'}\]]{1,4096}))"
)

URL_USERINFO = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}://)([^/\s:@]{1,256}):([^/\s@]{1,256})@")


def jwt_ok(candidate: str) -> bool:
    header = candidate.split(".", 1)[0]
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        return False
    return isinstance(decoded, dict) and "alg" in decoded
