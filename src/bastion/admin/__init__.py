"""The admin API (metrics, alerts, blocks, audit status) and its authentication; the dashboard's
pages live in ``bastion.dashboard``. Served on the admin listener as a ``webapp.App``."""
