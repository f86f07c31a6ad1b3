"""A tiny in-process web-app contract for the apps Bastion itself serves.

The built-in OAuth server, the admin API and dashboard, and the bundled sample APIs are ``App``s:
an async ``handle(AppRequest) -> AppResponse``. The gateway serves them natively (an upstream with
``url: internal:<name>``) and ``webapp.asgi.to_asgi`` adapts one to ASGI for uvicorn.
"""

from bastion.webapp.app import App, AppRequest, AppResponse, Router, json_response

__all__ = ["App", "AppRequest", "AppResponse", "Router", "json_response"]
