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

# password=…, "client_secret": "…", token: … (query strings, JSON fragments, log lines)
SECRET_ASSIGNMENT = re.compile(
    r"(?i)([\"']?)\b([a-z0-9_-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|credential"
    r"|private[_-]?key|session[_-]?id|sessionid)[a-z0-9_-]*)\1\s*[:=]\s*"
    r"(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([^\s&,;\"'}\]]+))"
)

URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@]+):([^/\s@]+)@")

def jwt_ok(candidate: str) -> bool:
    header = candidate.split(".", 1)[0]
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        return False
    return isinstance(decoded, dict) and "alg" in decoded
