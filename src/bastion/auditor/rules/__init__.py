"""Every audit rule, one module per family; importing this package registers them all in ``REGISTRY``.

Rule ids are stable and kebab-case, prefixed by family: ``auth.*``, ``authz.*``, ``data.*``,
``input.*``, ``ratelimit.*``, ``transport.*``, ``inventory.*``, ``webhooks.*``, ``responses.*``
(hygiene) and ``config.*`` (need ``--config``).
"""

from bastion.auditor.rules import auth, authz, data, inputs, limits, platform, responses, routes, servers, webhooks
from bastion.auditor.rules.rule import REGISTRY, AuditContext, CertificateInfo, Hit, Rule, RuleInfo

FAMILIES = (auth, authz, data, inputs, limits, servers, webhooks, responses, routes, platform)

__all__ = ["FAMILIES", "REGISTRY", "AuditContext", "CertificateInfo", "Hit", "Rule", "RuleInfo"]
