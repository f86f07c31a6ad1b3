"""Document types that name a publisher's own DTD on that publisher's own site.

A recorded answer of a public XML service opens with the DOCTYPE its publisher wrote: a formal public identifier
naming the owner (``-//NLM//DTD PubMedArticle …//EN``, ``-//NCBI//NCBI TSeq/EN``, ``-//OASIS//DTD DocBook …``) and a
system identifier on that owner's site (``https://dtd.nlm.nih.gov/…/pubmed_250101.dtd``). Without an internal subset
such a DOCTYPE declares no entity the sender chose: a parser that loads it reads the publisher's published DTD. An
external DTD on any other host is the out-of-band XXE (the attacker's DTD declares the entities), so the owner named
in the public identifier must publish on the host of the system identifier; a public identifier that names a known
owner but points at another host stays flagged (``"-//NLM//DTD x//EN" "http://attacker.example/x.dtd"``). The W3C's
own DOCTYPEs are ``signatures._W3C_DOCTYPE``.
"""

from __future__ import annotations

import re

PUBLISHER_SITES: dict[str, tuple[str, ...]] = {
    "nlm": ("nlm.nih.gov",),
    "ncbi": ("nlm.nih.gov",),
    "oasis": ("oasis-open.org", "docbook.org"),
    "apache software foundation": ("apache.org",),
    "sun microsystems, inc.": ("sun.com", "oracle.com"),
    "spring": ("springframework.org",),
    "mybatis.org": ("mybatis.org",),
}
"""Owners of formal public identifiers (lower case, as between ``-//`` and ``//``) and the sites they publish their
DTDs on: the biomedical literature services (NLM/NCBI E-utilities, PubMed, PMC), DocBook and OASIS catalogues, and
the Java frameworks whose configuration files every project sends with their DOCTYPE (Struts/Tiles, J2EE descriptors,
Spring 2, MyBatis)."""

_PUBLISHED = re.compile(
    r"<!DOCTYPE\s+[\w:.-]{1,64}\s+PUBLIC\s+(['\"])[-+]//([^/'\"<>\[]{1,64})//[^'\"<>\[]{1,120}\1"
    r"\s*(['\"])https?://([a-z0-9.-]{1,120})(?::\d{1,5})?/[\w./~-]{0,200}\.dtd\3\s*>",
    re.I,
)
"""No internal subset: the declaration ends right after the system identifier."""


def published_doctype(value: str, start: int) -> int | None:
    """The end of the DOCTYPE at ``start`` when it names a known publisher's DTD on that publisher's site."""
    m = _PUBLISHED.match(value, start)
    if m is None:
        return None
    sites = PUBLISHER_SITES.get(m.group(2).strip().lower())
    host = m.group(4).lower().rstrip(".")
    if sites and any(host == site or host.endswith("." + site) for site in sites):
        return m.end()
    return None
