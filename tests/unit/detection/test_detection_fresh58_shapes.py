"""Unit: the shapes of the fresh58 first contact (Akto's API test-template injection values against AniList GraphQL
answers).

Missed, now refused: a whole value that is a short command chain ending in an ``id``/``whoami``/``date +fmt`` probe,
its operators also percent-encoded or a line break (``probe_chains``); a whole absolute path into a container runtime's
state or socket, an IIS root without a drive letter or the volume-information folder (``runtime_paths``); Windows NT's
``unattend.txt`` answer file beside ``unattend.xml`` (``signatures``); a URL nested in another one's query with a
scheme that reaches another protocol's server (``ssrf``). Left missed: one command alone (``cat x.txt``, ``echo $X``),
``&& 'a' != 'a'`` after a value, a line break then ``name:value`` in a body. Values are our own; none comes from a
corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.probe_chains import probe_chain
from bastion.detection.runtime_paths import runtime_path

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "command chains ending in a probe": [
        "sleep 3 && whoami",
        "ping -c 1 example.org && id",
        "printf ok; uname -a",
        "cat /tmp/x | id",
        "whoami > /tmp/o.txt && date +'%Y-%m-%d' >> /tmp/o.txt",
        "dig example.net || hostname",
        "echo $((7 * 191)) && whoami",
        "uname\nid",
        "whoami\rdate +%s",
        "sleep%202%20%26%26%20id",
        "hostname%0aid",
        "id%3bwhoami",
    ],
    "paths into a container runtime or an IIS root": [
        "/var/lib/docker/overlay2/abc123/merged/etc/hostname",
        "/var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/x/config.json",
        "/var/lib/kubelet/pods/0a1b/volumes/kubernetes.io~projected/kube-api-access/token",
        "/run/containerd/containerd.sock",
        "/var/run/docker.sock",
        "/inetpub/wwwroot/web.config",
        "/inetpub/ftproot",
        "/System Volume Information/tracking.log",
        "/autounattend.txt",
    ],
    "nested urls with another protocol's scheme": [
        "https://viewer.example.com/fetch?src=gopher://10.1.2.3:70/_x",
        "http://shop.example/proxy.php?u=dict://files.example:11211/stat",
        "https://a.example/?next=tftp://b.example/boot.bin",
    ],
}

PASSED = {
    "lists, prose and ordinary command lines": [
        "sleep 8 && echo finished",
        "make && make install",
        "cd build; cmake ..",
        "Ping me; thanks",
        "git pull && npm test",
        "date +%Y is the year format",
        "Sort by date; then by id number",
        "R&D | Q&A",
    ],
    "paths that are settings or prose": [
        "/var/lib/docker",
        "/var/lib/app/data.db",
        "/inetpub",
        "docker run -v /var/run/docker.sock:/var/run/docker.sock agent",
        "mount /var/lib/kubelet as a volume",
        "the unattend file",
    ],
    "nested web urls": [
        "https://example.com/login?next=https://example.com/home",
        "https://example.com/?ref=ftp-mirror",
        "ftp://files.example.com/pub/readme.txt",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_config_path_fields_keep_runtime_paths(engine: Engine) -> None:
    """A pod spec's hostPath or mountPath names the socket it mounts: the field name (lower-cased by
    ``fields``) waives the whole-path rule."""
    assert engine.inspect("/var/run/docker.sock", Context("body", "hostpath")) is None
    assert engine.inspect("/var/lib/docker/containers", Context("body", "mountpath")) is None


def test_helpers() -> None:
    assert probe_chain("sleep 1 && id") == (0, 13)
    assert probe_chain("sleep 1 && echo id") is None
    assert probe_chain("name;id") is None  # a list opens with no command (another rule reads ';id')
    assert probe_chain("id") is None
    assert runtime_path("/var/lib/docker/x") == (0, 17)
    assert runtime_path("/var/lib/docker") is None
    assert runtime_path("x /var/run/docker.sock") is None


@pytest.mark.parametrize("probe,prefix", [
    (probe_chain, "sleep 1 && "),
    (probe_chain, "id\n"),
    (probe_chain, "%20"),
    (runtime_path, "/var/lib/docker/a"),
    (runtime_path, "/system volume information/ "),
    (runtime_path, "/inetpub/wwwroot/"),
])
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("sleep 1 && id ", "&& id", "%20id", "/var/lib/docker/", "/system volume information/ ",
                   "http://a.example/?u=sftp://", "; date +"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
