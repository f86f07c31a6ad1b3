"""Unsafe consumption (API10:2023): callbacks and webhooks must be signed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.auditor.rules.rule import AuditContext, Hit, RuleInfo, rule
from bastion.auditor.rules.vocabulary import norm
from bastion.findings.model import Severity
from bastion.openapi import HTTP_METHODS, Where

SIGNATURE_WORDS = ("signature", "hmac", "sign", "digest")


def _signed(doc_resolve: Any, op: dict[str, Any], where: Where) -> bool:
    if op.get("security"):
        return True
    if any(k in op for k in ("x-webhook-signature", "x-signature")):
        return True
    params = op.get("parameters")
    for index, raw in enumerate(params if isinstance(params, list) else []):
        param, _ = doc_resolve(raw, where.child("parameters", index))
        if isinstance(param, dict) and param.get("in") == "header" and \
                any(w in norm(str(param.get("name", ""))) for w in SIGNATURE_WORDS):
            return True
    return False


def _callback_ops(ctx: AuditContext) -> Iterator[tuple[str, dict[str, Any], Where]]:
    assert ctx.doc is not None
    for op in ctx.operations:
        callbacks = op.spec.get("callbacks")
        if not isinstance(callbacks, dict):
            continue
        for name, raw in callbacks.items():
            callback, cwhere = ctx.doc.resolve(raw, op.where.child("callbacks", str(name)))
            for expression, raw_item in callback.items() if isinstance(callback, dict) else []:
                item, iwhere = ctx.doc.resolve(raw_item, cwhere.child(str(expression)))
                for method in HTTP_METHODS:
                    if isinstance(item, dict) and isinstance(item.get(method), dict):
                        yield f"callback `{name}` of {op.label}", item[method], iwhere.child(method)
    for hook in ctx.doc.webhooks():
        yield f"webhook `{hook.path}` ({hook.method})", hook.spec, hook.where


@rule(RuleInfo(
    "webhooks.unsigned", "Callback or webhook without a signature", Severity.MEDIUM, "API10:2023", 345,
    "Webhook and callback receivers are public URLs. Without a signature (HMAC header or mTLS) anyone "
    "who learns the URL can forge events: fake payments, fake status changes, injected data.",
    "Sign every delivery (e.g. `Webhook-Signature: v1,<HMAC-SHA256 over id.timestamp.body>` per the "
    "Standard Webhooks spec), declare the header on the callback operation, and reject old timestamps."))
def unsigned(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.doc is None:
        return
    for label, op, where in _callback_ops(ctx):
        if not _signed(ctx.doc.resolve, op, where):
            yield Hit(where, f"The {label} carries no signature header or security requirement.")
