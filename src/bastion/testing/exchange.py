"""Build an Exchange without sockets, for policy unit tests (like mitmproxy's ``tflow``)."""

from __future__ import annotations

from collections.abc import Iterable

from bastion.chain.exchange import Exchange, Principal, RouteMatch
from bastion.http.headers import HOP_BY_HOP, Headers, MutableHeaders
from bastion.http.messages import RequestHead, ResponseHead


def make_exchange(
    method: str = "GET",
    path: str = "/",
    *,
    query: str = "",
    headers: Iterable[tuple[str, str]] = (),
    body: bytes | None = None,
    route_id: str = "test-route",
    params: dict[str, str] | None = None,
    template: str = "",
    upstream: str | None = "test",
    client_ip: str = "127.0.0.1",
    scheme: str = "https",
    principal: Principal | None = None,
    response_status: int | None = None,
    response_headers: Iterable[tuple[str, str]] = (),
    response_body: bytes | None = None,
    received_at: float = 1_800_000_000.0,
) -> Exchange:
    hdrs = Headers(headers)
    if "host" not in hdrs:
        hdrs = Headers([("host", "api.example.test"), *hdrs.items()])
    head = RequestHead(
        method=method,
        path=path,
        raw_path=path,
        query_string=query,
        headers=hdrs,
        scheme=scheme,
        client_ip=client_ip,
        host=hdrs.get("host") or "",
    )
    ex = Exchange(
        request=head,
        route=RouteMatch(route_id, params or {}, upstream, template=template or path),
        request_id="00000000-0000-4000-8000-000000000000",
        received_at=received_at,
        forward_headers=MutableHeaders([(k, v) for k, v in hdrs if k not in HOP_BY_HOP]),
        request_body=body,
        principal=principal,
    )
    if response_status is not None:
        ex.response = ResponseHead(response_status, MutableHeaders(response_headers))
        ex.response_body = response_body
    return ex
