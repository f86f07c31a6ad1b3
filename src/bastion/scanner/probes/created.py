"""Finding the object a create request made, so later checks can attack it (BOLA victims, deletes).

Many APIs answer a create without the new object's id (``{"message": "Book added"}``). In order:

1. an id in the answer (``id``, ``uuid`` or the item path's parameter name, at any depth);
2. the ``Location`` header, when it names an instance of the item path;
3. the collection's listing read again after the create: the object carrying a unique value the scan
   sent, else the one id that was not in the listing read before (discovery's baseline);
4. the unique value the scan sent itself, when its field is named like the item path's parameter
   (``POST /books`` with ``book_title`` and ``GET /books/{book_title}``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bastion.scanner.context import ScanContext
from bastion.scanner.idbank import TRANSPARENT
from bastion.scanner.messages import Flow, ProbeRequest, ProbeResponse, send
from bastion.scanner.probes.mass_assignment import objects
from bastion.scanner.spec import ScanOperation, matches


def keys_of(item: ScanOperation) -> tuple[str, ...]:
    return (item.path_params[0].name, "id", "uuid")


def key_value(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value = next((obj[k] for k in keys if k in obj), None)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and value != "" else None


def from_answer(data: Any, item: ScanOperation) -> str | None:
    """The id in the answer itself, or in a wrapper (``{"data": {"id": 7}}``), never in a nested object
    such as the owner's."""
    if not isinstance(data, dict):
        return None
    wrapped = [v for k, v in data.items() if isinstance(v, dict) and k.lower() in (*TRANSPARENT, "item", "result")]
    return next((v for o in (data, *wrapped) if (v := key_value(o, keys_of(item))) is not None), None)


def from_location(location: str | None, target: str, item: ScanOperation) -> str | None:
    """The object path a ``Location`` header names, relative to the scan's base URL; None if it names
    another origin or no instance of ``item``'s path."""
    if not location:
        return None
    parts, base = urlsplit(location), urlsplit(target)
    if parts.netloc and parts.netloc != base.netloc:
        return None
    path, prefix = parts.path, base.path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    return path if matches(item.path, path) else None


def sent_values(body: Any, tag: str) -> set[str]:
    """The strings of a create body that carry the scan's tag: they name the new object alone."""
    found: set[str] = set()
    for obj in objects(body):
        found.update(v for v in obj.values() if isinstance(v, str) and tag in v)
    return found


def from_listing(before: Any, after: Any, item: ScanOperation, sent: set[str]) -> str | None:
    keys = keys_of(item)
    for obj in objects(after):
        value = key_value(obj, keys)
        if value is not None and sent & {v for v in obj.values() if isinstance(v, str)}:
            return value
    old = {key_value(o, keys) for o in objects(before)}
    new = {v for o in objects(after) if (v := key_value(o, keys)) is not None and v not in old}
    return new.pop() if before is not None and len(new) == 1 else None


def from_sent(body: Any, item: ScanOperation, sent: set[str]) -> str | None:
    value = body.get(item.path_params[0].name) if isinstance(body, dict) else None
    return value if isinstance(value, str) and value in sent else None


def item_path(item: ScanOperation, value: str) -> str:
    return item.path.replace("{" + item.path_params[0].name + "}", value)


def locate(ctx: ScanContext, create: ScanOperation, item: ScanOperation, request: ProbeRequest,
           response: ProbeResponse) -> Flow:
    """The new object's path (``/books/dune-3fa9c1``), or None when nothing points at it."""
    value = from_answer(response.json(), item)
    if value is not None:
        return item_path(item, value)
    path = from_location(response.header("location"), ctx.target, item)
    if path is not None:
        return path
    sent = sent_values(request.json, ctx.tag(request.identity))
    listing = ctx.operation("GET", create.path)
    listed = ctx.build(listing, request.identity, purpose="probe") if listing is not None else None
    if listing is not None and listed is not None:
        after = yield from send(listed)
        before = ctx.baselines.get((listing.label, request.identity or "anon")) \
            or ctx.baselines.get((listing.label, "anon"))
        value = from_listing(before.response.json() if before else None, after.json(), item, sent) \
            if after.ok else None
        if value is not None:
            return item_path(item, value)
    value = from_sent(request.json, item, sent)
    return item_path(item, value) if value is not None else None
