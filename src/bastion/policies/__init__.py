"""Policies: one module per policy, each a thin adapter over pure logic elsewhere."""
