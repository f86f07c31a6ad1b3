"""Attack tools that name themselves in the ``User-Agent`` header: the waf's ``scanner`` class.

sqlmap, Nuclei, ffuf, Nikto, OpenVAS, WPScan and most other vulnerability scanners and fuzzers send a
``User-Agent`` naming the tool unless their user changes it. A request carrying one is a probe, whatever its
parameters hold: the payloads that follow are what the injection classes look for, and refusing the tool's
first requests stops the cheap, unattended scans that make up most of them. This is OWASP CRS rule 913100
(``scanners-user-agents.data``, Apache-2.0), which blocks at paranoia level 1; GoTestWAF counts it in its
``community-user-agent`` set. The list here is our own selection from it and from tools released since,
names a tool sends by default only: bare words a product or an app may share (``grabber``, ``metis``,
``floodgate``, ``brutus``) are left out, and clients that real API callers use (curl, python-requests,
Go-http-client, okhttp, Postman) are never listed.

Only the ``User-Agent`` header is read: the same words in a body, a query or another header are talk about the
tools (a ticket saying "we ran sqlmap"), not the tools. A team that scans its own API through the gateway
turns the class off for the route (``waf: {disabled: [scanner]}``), or excludes the header
(``exclusions: [{field: /headers/user-agent, rules: [scanner]}]``).
"""

from __future__ import annotations

import re

TOOLS: tuple[str, ...] = (
    # SQL injection
    "sqlmap", "sqlninja", "bsqlbf", "havij", "absinthe", "mysqloit", "sql power injector",
    # template, vulnerability and CMS scanners
    "nuclei", "nikto", "nessus", "openvas", "openvasvt", "qualys was", "acunetix", "netsparker", "appscan",
    "webinspect",
    "arachni", "w3af", "wapiti", "skipfish", "vega/", "n-stealth", "webshag", "grendel-scan", "webvulnscan",
    "wpscan", "joomscan", "droopescan", "cmsmap", "whatweb", "jaeles", "detectify", "nsauditor", "sysscan",
    "struts-pwn", "cgichk", "cisco-torch", "crimscanner", "fhscan core", "voideye", "webbandit", "uil2pn",
    # injection-specific tools
    "commix", "xsser", "xsstrike", "dalfox", "dotdotpwn", "tplmap", "sstimap", "nosqlmap",
    # content discovery and fuzzers
    "fuzz faster u fool", "ffuf", "wfuzz", "gobuster", "dirbuster", "dirsearch", "feroxbuster",
    # mass scanners and bots that only probe
    "masscan", "zgrab", "nmap scripting engine", "nmap nse", "nmap-nse", "zmeu", "morfeus fucking scanner",
    "jorgee", "gootkit auto-rooter", "this is an exploit", "toata dragostea", "teh forest lobster", "(hydra)",
    "datacha0s", "pmafind", "brutus/aet",
)
"""Lower-case names, each matched as a whole word (``OpenVAS-VT``, ``sqlmap/1.7.4#stable``): ``Nucleic Acids Res.``
and ``page=nessus766360843`` are no tool."""

_TOOL = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(t) for t in TOOLS) + r")(?![a-z0-9])"
                   r"|\.nasl\b"  # a Nessus plugin file name (what its HTTP plugins put in the header)
                   r"|\buser-agent\s*:", re.I)  # a tool that wrote the header into its own value
TRIGGER = rb"|".join(re.escape(t.encode()) for t in TOOLS) + rb"|\.nasl|user-agent\s*:"
"""The prefilter's caseless trigger: any of the names anywhere; ``scanner_agent`` then asks where it was."""

HEADER = "user-agent"


def scanner_agent(value: str, kind: str, name: str) -> tuple[int, int] | None:
    """The span of a tool's name when ``value`` is the ``User-Agent`` header's, else ``None``."""
    if kind != "header" or name != HEADER:
        return None
    m = _TOOL.search(value)
    return m.span() if m else None
