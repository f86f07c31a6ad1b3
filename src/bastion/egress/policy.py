"""The ``egress`` policy: authorise the authenticated caller for the partner in the path.

Place it after an authentication policy on the route that serves ``<mount>/…`` from the internal
``egress`` app. It answers 401 when no policy established ``ex.principal``, 403 when the caller may
not use the partner (or the partner does not exist), and otherwise replaces any caller-supplied
``x-bastion-egress-caller`` with a fresh assertion the egress app verifies.
"""

from __future__ import annotations

from typing import ClassVar

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.egress.app import split_egress_path
from bastion.egress.assertion import CALLER_HEADER, make_assertion
from bastion.egress.service import EgressService
from bastion.errors import ConfigError
from bastion.http.problem import FORBIDDEN, UNAUTHENTICATED, Problem


class EgressConfig(PolicyConfig):
    pass


class EgressPolicy(Policy):
    name: ClassVar[str] = "egress"
    config_model = EgressConfig

    def __init__(self, config: EgressConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        service = deps.services.get("egress")
        if not isinstance(service, EgressService):
            raise ConfigError("", "the egress policy needs an egress: section (no egress service is running)")
        self.service = service

    async def on_request(self, ex: Exchange) -> Problem | None:
        ex.forward_headers.remove(CALLER_HEADER)
        split = split_egress_path(self.service.mount, ex.request.path)
        if split is None:
            return None
        principal = ex.principal
        if principal is None:
            return UNAUTHENTICATED.problem("egress requires an authenticated caller",
                                           headers=(("www-authenticate", "Bearer"),))
        if self.service.authorized_partner(split[0], principal.subject, principal.client_id) is None:
            return FORBIDDEN.problem("this caller may not use that partner")
        ex.notes[self.name] = {"partner": split[0]}
        ex.forward_headers.set(CALLER_HEADER, make_assertion(
            self.service.assertion_key, principal.subject, principal.client_id, ex.request.method,
            ex.request.path, self.deps.clock.now()))
        return None
