"""Server-side request forgery: URLs (and bare hosts in URL-valued fields) that point inside.

A URL is a target when its scheme reaches something other than the web (``file:``, ``gopher:``,
``dict:`` …) or its host is loopback, private, link-local, unspecified, carrier-grade NAT or a
cloud metadata service, in any notation a resolver accepts: dotted, decimal (``2130706433``),
octal (``0177.0.0.1``), hex (``0x7f.1``), short (``127.1``), IPv6 with embedded IPv4
(``[::ffff:127.0.0.1]``), or a wildcard-DNS name that embeds one (``127.0.0.1.nip.io``).
"""

from __future__ import annotations

import ipaddress
import re

from bastion.detection.ipv6_embedding import embedded_ipv4

BAD_SCHEMES = frozenset({
    "file", "gopher", "dict", "ldap", "ldaps", "tftp", "jar", "netdoc", "php", "expect", "phar",
    "sftp", "ftp", "smb", "glob", "data", "zip", "rmi", "iiop", "jdbc", "local_file", "local-file",
})
URL_NAMES = re.compile(
    r"(?:^|[_-])(?:url|uri|link|href|src|callback|webhook|redirect|return|next|endpoint|host|hostname|"
    r"target|dest|destination|feed|proxy|image|avatar|domain|server|origin_url|site|fetch|load)(?:$|[_-])"
)
METADATA_HOSTS = frozenset({
    "localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
    "instance-data.ec2.internal", "metadata.azure.com", "kubernetes.default", "kubernetes.default.svc",
    "metadata.tencentyun.com", "metadata.packet.net", "metadata.platformequinix.com", "api.metadata.cloud.ibm.com",
    "rancher-metadata",
})
_URL = re.compile(r"(?<![\w.+-])([a-z][a-z0-9+._-]{1,15}):(//)?([^\s\"'<>]*)", re.I)
"""A scheme, ``//`` if present, and the rest. ``_`` is allowed for Python urllib's ``local_file:``."""
_NESTED_SCHEME = re.compile(r"[a-z][a-z0-9+._-]{1,15}:", re.I)
"""``url:file:///etc/passwd``: Java's ``new URL`` drops a leading ``url:`` and opens the URL after it."""
_ANCHOR = ('href="', "href='")
_NESTED_URL = re.compile(r"(?<![\w.+-])(?:https?|wss?|s?ftp|tftp|gopher|dict|ldaps?|smb)://", re.I)
_NESTED_HOPS = 4
"""A URL inside another one's path or query (a redirect or fetch parameter) is examined on its own, to this depth:
each nested URL runs to the end of the outer one, so an unbounded chain would cost quadratic time. The schemes that
reach another protocol's server count there too (``http://host/fetch.php?url=sftp://other:1337/``, fresh58): the
inner URL is what the fetcher opens."""
_LINK_LOCAL_V4 = ipaddress.ip_network("169.254.0.0/16")
_LINK_LOCAL_PREFIX = 0xA9FE
"""169.254 as the top 16 bits of an address's number."""
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_V4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}")
"""Dotted decimal as address printers write it (no leading zeros, each part at most 255)."""
_WILDCARD_DNS = re.compile(
    r"(?:^|[.-])(?:(?:\d{1,3}[.-]){3}\d{1,3}|[0-9a-f]{8})\.(?:nip\.io|sslip\.io|xip\.io|traefik\.me)$")
"""Wildcard DNS services that resolve a name to the address written in it, dotted, dashed or as eight hex digits
(``app-10-0-0-1.nip.io``, ``7f000001.sslip.io``), with any label in front. Dotted forms inside any other name are
caught by ``_EMBEDDED_IPV4``."""
LOOPBACK_DOMAINS = ("localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "localh.st", "localho.st", "fuf.me",
                    "spoofed.burpcollaborator.net")
"""Public DNS names (and all their subdomains) registered to resolve to 127.0.0.1, offered as
"localhost that a filter does not recognise"."""
OOB_DOMAINS = ("oast.pro", "oast.live", "oast.site", "oast.online", "oast.fun", "oast.me", "interact.sh",
               "burpcollaborator.net", "oastify.com", "dnslog.cn", "ceye.io", "bxss.me")
"""Public out-of-band interaction services (Interactsh, Burp Collaborator, DNSLog, CEYE, Acunetix): a URL on one
of them exists only to learn that a server fetched it, which is what a blind SSRF probe needs."""
CLOUD_METADATA = frozenset({"169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254",
                            "168.63.129.16", "fd00:a9fe:a9fe::1", "metadata.google.internal", "metadata.goog",
                            "metadata.azure.com", "metadata.tencentyun.com", "metadata.packet.net",
                            "metadata.platformequinix.com", "api.metadata.cloud.ibm.com", "rancher-metadata"})
"""The instance metadata services of AWS (IMDS, ECS), Alibaba, Oracle, GCP, Azure (IMDS and the WireServer,
168.63.129.16), Linode (its IPv6 address), Tencent Cloud, Equinix Metal (formerly Packet), IBM Cloud VPC and
Rancher."""
_EMBEDDED_IPV4 = re.compile(r"(?:^|[.-])(\d{1,3}(?:\.\d{1,3}){3})(?=$|[.-])")
_TRAILING_IPV4 = re.compile(r"\.(\d{1,3}(?:\.\d{1,3}){3})$")
"""Four numeric labels inside or at the end of a name (``x-10.0.0.1.example.com``, ``example.com.127.0.0.1``): no
ordinary DNS name has them; they are what rebinding and pinning services (like nip.io) resolve the name to, and
parsers that look at the end read the address."""
_METADATA_IN_NAME = re.compile(
    r"(?<=[a-z0-9][.-])(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|192\.0\.0\.192)(?=[.:-][a-z0-9])",
    re.I)
"""A metadata address joined into a name or path segment (``probe-169.254.169.254.rebind.example``,
``/302-http-169.254.169.254:80-.png``): how DNS-rebinding and redirect helpers are told where to send a fetch. An
address standing alone in prose is not matched."""
_NUMERIC_PART = re.compile(r"0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*", re.I)
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
"""Full stops that IDNA maps to "." (``127。0。0。1``)."""
_IP_CHARS = frozenset("0123456789abcdefx.:%")
_INTERNAL_NETS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "fc00::/7", "fec0::/10",
))
"""Reachable only from inside: RFC 1918, shared address space (CGNAT, Alibaba metadata), IETF protocol
assignments (Oracle metadata 192.0.0.192), benchmarking, unique-local and site-local IPv6. Documentation
ranges (TEST-NET) are not routable anywhere, so not a target."""


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """inet_aton(3): 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest.
    A part too large for its place wraps, as in parsers that keep only the low bits (``425.510.425.510``,
    ``7147006462`` and ``0x41414141A9FEA9FE`` all reach 169.254.169.254)."""
    value = _legacy_ipv4_int(host)
    return ipaddress.IPv4Address(value) if value is not None else None


def _legacy_ipv4_int(host: str) -> int | None:
    """``_legacy_ipv4`` as a 32-bit number (no ``IPv4Address`` built: the ``Host`` check runs on every request)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(p and _NUMERIC_PART.fullmatch(p) for p in parts):
        return None
    nums = []
    for p in parts:
        low = p.lower()
        if low.startswith("0x"):
            nums.append(int(low[2:] or "0", 16))  # a bare ``0x`` is 0 to inet_aton, as to the parsers that follow it
        else:
            nums.append(int(low, 8) if low.startswith("0") else int(low))
    *head, last = nums
    value = 0
    for n in head:
        value = value << 8 | n & 0xFF
    bits = 8 * (4 - len(head))
    return value << bits | last & ((1 << bits) - 1)


def internal_address(host: str) -> bool:
    """True for a host that names loopback, private, link-local, reserved or metadata addresses."""
    host = host.strip().strip("[]").translate(_DOTS).rstrip(".").lower()
    if not host:
        return False
    if (host in METADATA_HOSTS or host in CLOUD_METADATA
            or host.startswith("localhost.") or host.endswith((".localhost", ".internal", ".local"))
            or _WILDCARD_DNS.search(host) or host in LOOPBACK_DOMAINS
            or host.endswith(tuple("." + d for d in LOOPBACK_DOMAINS))):
        return True
    if ":" in host:
        host = host.partition("%")[0]  # an IPv6 zone id (fe80::1%25eth0) names an interface, not the address
    if not _IP_CHARS.issuperset(host):
        if len(host) > 253:  # longer than any DNS name: only a parser reading the end sees an address
            tail = _TRAILING_IPV4.search(host)
            return tail is not None and internal_address(tail.group(1))
        return any(internal_address(e.group(1)) for e in _EMBEDDED_IPV4.finditer(host))
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        addr = _legacy_ipv4(host)
    if addr is None:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        mapped = embedded_ipv4(addr)  # mapped, translated, NAT64, 6to4, Teredo (fresh51)
        if mapped is not None:
            addr = mapped
        elif addr.packed[:12] == bytes(12) and int(addr) > 1:  # IPv4-compatible ::a.b.c.d
            addr = ipaddress.IPv4Address(addr.packed[12:])
    return addr.is_loopback or addr.is_link_local or addr.is_unspecified or any(
        addr in net for net in _INTERNAL_NETS if net.version == addr.version
    )


_OOB_SUFFIXES = tuple("." + d for d in OOB_DOMAINS)
_OOB_NAME = re.compile(
    r"(?<![\w.-])(?:[a-z0-9-]+\.)+(?:" + "|".join(re.escape(d) for d in OOB_DOMAINS) + r")(?![\w.-])", re.I)
"""A host on an out-of-band interaction service with no scheme in front (``c0ffee.oast.fun``, ``x.oast.fun/ecp/…``
in a forged cookie): such a name, with the per-probe label in front, exists only to learn that a server looked it
up, wherever the value carries it. The service's own name (``interact.sh`` in a sentence) is not a probe."""


def _metadata_address(host: str) -> bool:
    """A cloud metadata service by name or address, or any IPv4 link-local address (where they live)."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host in CLOUD_METADATA:
        return True
    if _PLAIN_V4.fullmatch(host):  # the usual spelling (a Host of 127.0.0.1 on every request): no parsing
        return host.startswith("169.254.")
    addr = _legacy_ipv4_int(host) if _IP_CHARS.issuperset(host) and ":" not in host else None
    return addr is not None and addr >> 16 == _LINK_LOCAL_PREFIX


def oob_host(host: str) -> bool:
    host = host.strip().strip("[]").rstrip(".").lower()
    return host in OOB_DOMAINS or host.endswith(_OOB_SUFFIXES)


def metadata_host(value: str) -> bool:
    """A ``Host`` (or forwarded host) naming a cloud metadata service: a proxy that routes by it fetches the
    instance's credentials, in any notation a resolver reads (``0xA9.254.0251.0376``, ``169.254.43518``). Other
    internal addresses are ordinary there (an internal load balancer's health check)."""
    host = value.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    host = (host if host.isascii() else host.translate(_DOTS)).rstrip(".")  # _DOTS maps only non-ASCII stops
    return host in CLOUD_METADATA or _metadata_address(host)


_FRAGMENT_AUTHORITY = re.compile(r"#[+&]*@([^/?#\\]*)")
"""``…#@host`` / ``…#+@host``: a parser that misreads the fragment's ``@`` as the end of userinfo connects there."""


def _full_address(host: str) -> bool:
    """Not a lone small number: ``1234`` is an inet_aton address (0.0.4.210) but, as a user name, an account id."""
    return not host[:1].isdigit() or "." in host or ":" in host or int(_legacy_ipv4(host) or 1 << 24) >= 1 << 24


def _authority_hosts(rest: str) -> list[str]:
    """The host after the last ``@``; the user name of ``user:pass@``; with more than one ``@``, the parts after
    the first and before the last (the ``host:port`` of ``a@host:port@b``); and a host after ``#@``: parsers
    disagree on which is the host (Orange Tsai, "A New Era of SSRF"), so each counts when it is an address."""
    authority = re.split(r"[/?#\\\x00]|%00", rest, maxsplit=1)[0]  # a resolver written in C stops at NUL
    hosts = [authority.rpartition("@")[2]]
    if "@" in authority:
        first, _, between = authority.partition("@")
        hosts.append(first.partition(":")[0])
        if "@" in between:
            hosts.append(between.partition("@")[0])
            hosts.append(between.rpartition("@")[0].rpartition("@")[2])
    if "#" in rest and (frag := _FRAGMENT_AUTHORITY.search(rest)) is not None:
        hosts.append(frag.group(1))
    out = []
    for i, h in enumerate(hosts):
        h = h.rstrip("+&")
        if h.startswith("["):
            h = h[1 : h.find("]")] if "]" in h else h[1:]
        elif h.count(":") == 1:
            h = h.rsplit(":", 1)[0]
        if i == 0 or _full_address(h):
            out.append(h)
            if "$" in h:
                out.extend(_dollar_readings(h))
    return out


_DOLLAR_LABEL = re.compile(r"\$[^.]*")


def _dollar_readings(host: str) -> list[str]:
    """A host with a ``$`` in it (``loopback$pad.example``) is no DNS name: a parser that stops at the ``$`` reads
    the part before it, one that drops what cannot be in a name reads the rest without the ``$…`` run. Both readings
    are judged, so a loopback name split by ``$`` is still seen."""
    return [host.partition("$")[0], _DOLLAR_LABEL.sub("", host)]


_HOP_SEPARATOR = re.compile(r"[/?&=;]")
_AUTHORITY_END = re.compile(r"[/?#\\]")
_PORT = re.compile(r":\d{1,5}$")
_HOP_NAME = re.compile(r"metadata|localhost", re.I)
"""With three dots or a ``[``, the only way a URL can carry a next hop ``next_hop`` reads: most URLs carry none and
skip it."""


def _hop_host(part: str) -> str:
    """A path or query part read as a ``host[:port]`` (``169.254.169.254:80``, ``[fd00:ec2::254]``)."""
    if part.startswith("["):
        return part[1 : part.find("]")] if "]" in part else ""
    return _PORT.sub("", part).rstrip(".").lower()


def next_hop(tail: str) -> bool:
    """The path or query of a URL on a public host names the next hop an open proxy fetches
    (``https://relay.example/proxy/169.254.169.254/latest/meta-data/``, ``…/fetch?url=10.0.0.1``). A metadata address
    (a name, a dotted address in any notation, or its IPv6 address) is a target wherever it stands as a whole part;
    another internal address only after a part named like a URL parameter (``proxy``, ``url``, ``fetch`` …): a
    documentation page may have ``/10.0.0.1/`` in its path, but not as what a proxy is told to reach."""
    previous = ""
    for part in _HOP_SEPARATOR.split(tail.partition("#")[0]):
        if not part:
            continue
        host = _hop_host(part)
        if host in CLOUD_METADATA or (host.count(".") == 3 and host[:1].isdigit() and _metadata_address(host)):
            return True
        if previous and (host.count(".") == 3 or host == "localhost") and URL_NAMES.search(previous.lower()) \
                and internal_address(host):
            return True
        previous = part
    return False


_ODD_PART = re.compile(r"0x[0-9a-f]*|0[0-7]+", re.I)


def disguised_address(value: str) -> bool:
    """A whole value that is a loopback, link-local or metadata address written as no address printer writes it:
    hex or zero-padded octal parts (``0x7f.0x00.0x00.0x01``, ``127.000000000000.1``, ``0xA9.254.0251.0376``),
    ideographic full stops (``127。0。0。1``), or the link-local range in fewer than four parts (``169.254.43518``).
    Such spellings exist to get an address past a filter, in whatever field a server may fetch or trust. The
    ordinary dotted form (``127.0.0.1`` in ``X-Forwarded-For``) and short decimal forms (``127.0.6533``, a browser
    version, reads as loopback) are left alone; a lone number (``2130706433``) is an id as often as an address."""
    written = value.strip()
    if not 3 <= len(written) <= 80 or not written[:1].isdigit():
        return False
    host = written.translate(_DOTS).rstrip(".")
    parts = host.split(".")
    if len(parts) < 2:
        return False
    addr = _legacy_ipv4(host)
    if addr is None or not (addr.is_loopback or addr in _LINK_LOCAL_V4 or str(addr) in CLOUD_METADATA):
        return False
    return host != written or any(_ODD_PART.fullmatch(p) for p in parts) or (
        len(parts) < 4 and addr in _LINK_LOCAL_V4)


_UNIX_SOCKET_TARGET = re.compile(r"[^|\s]*\|\s*[a-z][a-z0-9+.-]*://", re.I)
"""Apache mod_proxy's ``unix:/path/to.sock|http://host/``: a proxy that takes its target from the request connects
to a local Unix socket (or, with an over-long path, to the URL after the ``|``, CVE-2021-40438). No value sent to an
API names a backend this way."""


_CIDR = re.compile(r"(?:\d{1,3}(?:\.\d{1,3}){3}/(?:3[0-2]|[12]?\d)|[0-9a-f:]{2,39}/(?:12[0-8]|1[01]\d|\d?\d))",
                   re.I)
"""A bare network in CIDR notation (``10.100.1.0/24``, ``fd00::/8``): an address and a prefix length, nothing else.
A route's ``destination``, a firewall rule's source or a VPN's ``target`` names a range a packet goes to, not a host
a server fetches; a fetch target with a path (``10.0.0.1/admin``) has letters after the slash and still counts."""


_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_HOST_REQUIRED = frozenset({"sftp", "ftp", "smb", "tftp", "gopher", "dict", "rmi", "iiop"})
"""Schemes with no default host: named with nothing but punctuation after ``//`` (``sftp:// or ssh://`` in a
settings label, fresh55) they point nowhere. ``file://``, ``ldap://`` and ``jar:`` still count bare (a local
root, LDAP's default host)."""
_CLI_FILE_ARG = re.compile(
    r"[\w-]+(?:\.[\w-]+)*\.(?:json|jsonl|ya?ml|txt|xml|csv|ini|cfg|conf|toml|pem|crt|env|properties|tpl)[.,;:)\]}]*",
    re.I)
"""``file://policy.json``: the AWS and Azure command lines' way to read an argument from a local file, all through
their documentation and examples (fresh35). As a URL the file name is the host and the path is empty, so it opens
nothing on the server; a path (``file://etc/passwd``, ``file:///``), ``localhost``, an address or a name that could
be a host (an extension that is also a top-level domain: ``.zip``, ``.sh``) still counts."""


def _named_only(value: str, m: re.Match[str]) -> bool:
    """Nothing but punctuation after the scheme's ``//``, then the end of the value or a blank (``sftp:// or
    ssh://``): the scheme is named, no host is. ``gopher://<server>:8080/_…`` (a placeholder host) still counts."""
    return not m.group(3).rstrip(".,;:)]}") and value[m.end() : m.end() + 1] in ("", " ", "\t", "\n", "\r")


def _empty_host_userinfo(rest: str) -> bool:
    """``http:@0/``: a special scheme with no ``//`` and userinfo, which WHATWG URL parsers read as the authority
    ``@0`` (user name empty, host 0 = 0.0.0.0)."""
    return rest.startswith("@") or "@" in _AUTHORITY_END.split(rest, maxsplit=1)[0]


_SINGLE_LABEL = re.compile(r"(?=[a-z0-9-]*[a-z])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?", re.I)
"""A host name of one label (``http://internal-admin/upload``, ``http://db:5984/``): no public DNS name has one (a
public name has a dot before its top-level domain), so only the server's own resolver or search domain answers it.
Counted when the whole value of a field the server fetches (``_FETCH_NAMES``: a callback, webhook, endpoint, proxy,
feed, import or load target) is such a URL (fresh70): in prose, in links (``href``, ``src``, ``url`` of a document:
a GPX file's ``<link href="http://link">``) and in other fields a dotless host is a placeholder as often as a
target. At least one letter: ``http://2130706433/`` is an address and judged as one."""
_FETCH_NAMES = re.compile(r"(?:^|[_-])(?:callback|webhook|endpoint|fetch|proxy|feed|import|load)(?:$|[_-])", re.I)


def _plain_host(rest: str) -> str:
    """The host a standard parser reads after ``//``: the authority up to ``/``, ``?``, ``#`` or ``\\``, past its last
    ``@`` (``user:pass@files.example.com`` names ``files.example.com``), port kept for ``_SINGLE_LABEL``."""
    return _AUTHORITY_END.split(rest, maxsplit=1)[0].rpartition("@")[2]


def is_ssrf(value: str, name: str = "") -> tuple[int, int] | None:
    """The span to report when ``value`` is (or, in a URL-named field, names) an internal target."""
    pos, outer_end, outer_anchored, hops = 0, -1, False, 0
    while (m := _URL.search(value, pos)) is not None:
        scheme, slashes, rest = m.group(1).lower(), m.group(2), m.group(3)
        pos = m.end()
        if m.start() >= outer_end:  # not inside the previous URL
            outer_end, hops = m.end(), 0
            outer_anchored = value[max(0, m.start() - 6) : m.start()].lower() in _ANCHOR
        if slashes and hops < _NESTED_HOPS and (nested := _NESTED_URL.search(rest, 1)) is not None:
            pos, hops = m.start(3) + nested.start(), hops + 1  # ``https://public/?url=http://10.0.0.1/`` read next
        if scheme == "unix" and _UNIX_SOCKET_TARGET.match(rest):
            return m.start(), m.end()
        if scheme == "url" and not slashes and _NESTED_SCHEME.match(rest) and is_ssrf(rest) is not None:
            return m.start(), m.end()
        reaches = slashes or rest.startswith(("/", "\\")) or (scheme == "jar" and ":" in rest[:8])
        if scheme in BAD_SCHEMES and reaches and not (scheme in _HOST_REQUIRED and _named_only(value, m)) and not (
                scheme == "file" and slashes and _CLI_FILE_ARG.fullmatch(rest)):
            if scheme != "data" and (scheme != "ftp" or any(internal_address(h) for h in _authority_hosts(rest))):
                return m.start(), m.end()
        if scheme in _WEB_SCHEMES and (slashes or _empty_host_userinfo(rest)):
            hosts = _authority_hosts(rest)
            if any(oob_host(h) for h in hosts):
                return m.start(), m.end()
            if any(internal_address(h) for h in hosts):
                if not outer_anchored or any(_metadata_address(h) for h in hosts):  # a link to an internal page passes
                    return m.start(), m.end()
            if m.start() == 0 and name and _FETCH_NAMES.search(name) and _SINGLE_LABEL.fullmatch(_plain_host(rest)):
                return m.start(), m.end()
            if not outer_anchored and (rest.count(".") > 2 or "[" in rest or _HOP_NAME.search(rest)) and (
                    end := _AUTHORITY_END.search(rest)) is not None and next_hop(rest[end.start():]):
                return m.start(), m.end()
    if (meta := _METADATA_IN_NAME.search(value)) is not None:
        return meta.start(), meta.end()
    if (oob := _OOB_NAME.search(value)) is not None:
        return oob.start(), oob.end()
    if len(value) <= 80 and disguised_address(value):
        return 0, len(value)
    if name and URL_NAMES.search(name):
        bare = value.strip()
        if bare.startswith("//"):
            bare = bare[2:]
        if _CIDR.fullmatch(bare):
            return None  # a network, not a host: a route's destination, a firewall rule's source (fresh63)
        full_address = "." in bare or ":" in bare or not bare[:1].isdigit() or _legacy_ipv4(bare) is None \
            or int(_legacy_ipv4(bare) or 0) >= 1 << 24
        if bare and " " not in bare and full_address and any(
                internal_address(h) or oob_host(h) for h in _authority_hosts(bare)):
            return 0, len(value)
    return None
