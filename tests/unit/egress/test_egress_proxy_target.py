"""Unit: the forward proxy's request-target parser accepts absolute-form and CONNECT authority-form
targets and refuses every ambiguous or dangerous spelling with a TargetError (a 400)."""

from __future__ import annotations

import pytest

from bastion.egress.proxy_target import ProxyTarget, TargetError, parse_absolute_form, parse_authority_form


@pytest.mark.parametrize(("target", "expected"), [
    ("http://API.Partner.test/v1/x?q=1", ProxyTarget("http", "api.partner.test", None, "/v1/x", "q=1")),
    ("HTTP://partner.test", ProxyTarget("http", "partner.test", None, "/", "")),
    ("http://partner.test:8443?x=1", ProxyTarget("http", "partner.test", 8443, "/", "x=1")),
    ("https://partner.test./a%20b", ProxyTarget("https", "partner.test", None, "/a%20b", "")),
    ("http://[2001:db8::1]:8080/", ProxyTarget("http", "2001:db8::1", 8080, "/", "")),
    ("http://93.184.216.34/", ProxyTarget("http", "93.184.216.34", None, "/", "")),
])
def test_absolute_form_is_parsed(target: str, expected: ProxyTarget) -> None:
    assert parse_absolute_form(target) == expected


@pytest.mark.parametrize(("target", "expected"), [
    ("partner.test:443", ProxyTarget("", "partner.test", 443)),
    ("Partner.TEST.:8443", ProxyTarget("", "partner.test", 8443)),
    ("[2001:db8::1]:443", ProxyTarget("", "2001:db8::1", 443)),
    ("127.0.0.1:443", ProxyTarget("", "127.0.0.1", 443)),
])
def test_authority_form_is_parsed(target: str, expected: ProxyTarget) -> None:
    assert parse_authority_form(target) == expected


REFUSED_CONNECT = {
    "origin_form": "/x",
    "absolute_form": "http://partner.test:443",
    "missing_port": "partner.test",
    "empty_port": "partner.test:",
    "port_zero": "partner.test:0",
    "port_leading_zero": "partner.test:0443",
    "port_too_big": "partner.test:65536",
    "port_with_sign": "partner.test:+443",
    "userinfo": "user:pw@partner.test:443",
    "userinfo_without_password": "user@partner.test:443",
    "ipv6_zone_id": "[fe80::1%25eth0]:443",
    "ipv6_raw_zone_id": "[fe80::1%eth0]:443",
    "ipv6_unbracketed": "2001:db8::1:443",
    "ipv6_unterminated": "[2001:db8::1:443",
    "ipv6_junk_after_bracket": "[::1]x:443",
    "path_after_port": "partner.test:443/x",
    "query_after_port": "partner.test:443?x",
    "percent_encoded_host": "partner%2Etest:443",
    "non_ascii_host": "pärtner.test:443",
    "underscore_host": "a_b.test:443",
    "empty_label": "partner..test:443",
    "hex_ipv4": "0x7f.0.0.1:443",
    "short_ipv4": "127.1:443",
    "integer_ipv4": "2130706433:443",
    "octal_ipv4": "0177.0.0.1:443",
    "empty": "",
    "only_port": ":443",
}


@pytest.mark.parametrize("name", sorted(REFUSED_CONNECT))
def test_malformed_connect_target_is_refused(name: str) -> None:
    with pytest.raises(TargetError):
        parse_authority_form(REFUSED_CONNECT[name])


REFUSED_ABSOLUTE = {
    "origin_form": "/v1/x",
    "no_scheme": "partner.test/v1",
    "ftp": "ftp://partner.test/x",
    "gopher": "gopher://partner.test:70/_x",
    "file": "file:///etc/passwd",
    "userinfo": "http://user:pw@partner.test/",
    "userinfo_in_port_position": "http://partner.test:443@evil.test/",
    "fragment": "http://partner.test/x#frag",
    "empty_host": "http:///x",
    "ipv6_zone_id": "http://[fe80::1%25eth0]/",
    "bad_port": "http://partner.test:http/",
}


@pytest.mark.parametrize("name", sorted(REFUSED_ABSOLUTE))
def test_malformed_absolute_target_is_refused(name: str) -> None:
    with pytest.raises(TargetError):
        parse_absolute_form(REFUSED_ABSOLUTE[name])


def test_hostport_spells_allow_list_entries() -> None:
    assert parse_absolute_form("http://partner.test/x").hostport == "partner.test:80"
    assert parse_absolute_form("https://partner.test/x").hostport == "partner.test:443"
    assert parse_authority_form("[::1]:443").hostport == "[::1]:443"
