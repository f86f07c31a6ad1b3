"""Bytes on the wire: status lines, problem responses, chunk framing."""

from __future__ import annotations

from http import HTTPStatus

from bastion.http.problem import CONTENT_TYPE, Problem

_REASONS = {s.value: s.phrase for s in HTTPStatus}
_STATUS_LINES: dict[int, bytes] = {}


def status_line(status: int) -> bytes:
    line = _STATUS_LINES.get(status)
    if line is None:
        line = f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}\r\n".encode("ascii")
        _STATUS_LINES[status] = line
    return line


def encode_problem(problem: Problem, request_id: str | None, *, close: bool,
                   extra: list[tuple[str, str]] | None = None, head_only: bool = False) -> bytes:
    body = problem.body(request_id)
    headers = [
        ("content-type", CONTENT_TYPE),
        ("content-length", str(len(body))),
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        *problem.headers,
        *(extra or ()),
    ]
    if request_id:
        headers.append(("x-request-id", request_id))
    if close:
        headers.append(("connection", "close"))
    head = status_line(problem.status) + "".join(f"{k}: {v}\r\n" for k, v in headers).encode("latin-1")
    return head + b"\r\n" + (b"" if head_only else body)


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data) if data else b""


LAST_CHUNK = b"0\r\n\r\n"
