"""The demo's sample upstream: a small shop that over-shares on purpose.

Customers carry names, emails, phone numbers, addresses and card numbers plus internal fields the
API should never expose; the gateway's policies (authorization, minimization) are what protect them.
The OpenAPI document beside this module (``openapi.yaml``) declares what the API is meant to return.
"""

from bastion.samples.shop.app import build_app

__all__ = ["build_app"]
