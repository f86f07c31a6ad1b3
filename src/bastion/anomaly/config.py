"""The ``anomaly:`` configuration section (registered in ``config/sections.py``).

Example::

    anomaly:
      detectors:
        auth_failures: {threshold: 10, block_for: 15m}
        enumeration: {distinct_ids: 25, block_for: 10m}
      blocklist: {enabled: true}
      webhooks:
        - {url: "https://hooks.example.com/bastion", secret: "${env:BASTION_WEBHOOK_SECRET}"}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bastion.config.units import Duration


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class DetectorBase(_Model):
    enabled: bool = True
    severity: str = Field(default="high", pattern="^(low|medium|high|critical)$")
    block_for: Duration = 0.0
    """Block the identity for this long when the detector fires (0: alert only)."""
    cooldown: Duration = 120.0
    """No second alert for the same detector, identity and route within this time."""


class RateSpike(DetectorBase):
    severity: str = Field(default="medium", pattern="^(low|medium|high|critical)$")
    window: Duration = 60.0
    factor: float = Field(default=8.0, gt=1)
    """Alert when the window's count exceeds ``factor`` times the identity's learned per-window baseline."""
    sigmas: float = 6.0
    min_requests: int = Field(default=120, ge=1)
    """Never alert below this many requests per window."""
    warmup_windows: int = Field(default=6, ge=1)
    """Buckets of history an identity needs before its own baseline is used (else the population's)."""
    per_route: bool = True
    route_min_requests: int = 600


class AuthFailures(DetectorBase):
    window: Duration = 60.0
    threshold: int = Field(default=10, ge=1)
    """Authentication failures per identity in the window."""
    min_ratio: float = Field(default=0.5, ge=0, le=1)
    """…that are at least this share of the identity's requests."""
    route_threshold: int = Field(default=30, ge=1)
    """Failures on one route across all identities in the window (distributed stuffing)…"""
    route_factor: float = Field(default=5.0, gt=1)
    """…and above this multiple of the route's learned failure baseline."""


class Enumeration(DetectorBase):
    window: Duration = 120.0
    distinct_ids: int = Field(default=25, ge=2)
    """Distinct object ids one identity touches on one route within the window."""


class Scanning(DetectorBase):
    window: Duration = 60.0
    distinct_targets: int = Field(default=12, ge=2)
    """Distinct paths answered 404/405 (or distinct routes answered 403) for one identity in the window."""


class VolumeSpike(DetectorBase):
    window: Duration = 60.0
    factor: float = Field(default=10.0, gt=1)
    min_bytes: int = Field(default=2 * 1024 * 1024, ge=1)
    warmup_windows: int = Field(default=6, ge=1)


class RouteSpread(DetectorBase):
    severity: str = Field(default="medium", pattern="^(low|medium|high|critical)$")
    new_for: Duration = 600.0
    """An identity counts as new for this long after its first request."""
    distinct_routes: int = Field(default=10, ge=2)


class Detectors(_Model):
    rate_spike: RateSpike = RateSpike()
    auth_failures: AuthFailures = AuthFailures()
    enumeration: Enumeration = Enumeration()
    scanning: Scanning = Scanning()
    volume_spike: VolumeSpike = VolumeSpike()
    route_spread: RouteSpread = RouteSpread()


class Webhook(_Model):
    url: str = Field(pattern=r"^https?://")
    secret: str
    """HMAC-SHA256 key, as a ``${env:…}``/``${file:…}`` reference."""
    timeout: Duration = 5.0
    retries: int = Field(default=5, ge=0, le=20)


class Blocklist(_Model):
    enabled: bool = True
    cache_ttl: Duration = 1.0
    """With Redis: how long this instance trusts a lookup (lifting a block here takes effect at once)."""


class AnomalySection(_Model):
    enabled: bool = True
    bucket: Duration = 10.0
    """Resolution of the rolling windows."""
    max_keys: int = Field(default=100_000, ge=100)
    """Per-detector bound on tracked identities (least recently seen evicted first)."""
    detectors: Detectors = Detectors()
    blocklist: Blocklist = Blocklist()
    webhooks: list[Webhook] = []
    recent_alerts: int = Field(default=500, ge=10)
