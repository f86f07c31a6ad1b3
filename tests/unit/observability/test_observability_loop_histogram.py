"""Unit: the loop histogram counts a batch (sorted once, each bound looked up) exactly as one value at a
time into Prometheus ``le`` buckets would, values equal to a bound included, and sums in arrival order."""

from __future__ import annotations

import random
from bisect import bisect_left

from bastion.observability.loop_metrics import LoopHistogram
from bastion.observability.metrics import LATENCY_BUCKETS


def test_a_batch_is_bucketed_as_value_by_value() -> None:
    rng = random.Random(5)
    for _ in range(200):
        batches = [[rng.choice([rng.random() * 0.3, rng.choice(LATENCY_BUCKETS), rng.random() * 30, 0.0])
                    for _ in range(rng.randrange(1, 80))] for _ in range(3)]
        h = LoopHistogram("t", "t", ("route",), LATENCY_BUCKETS)
        expected = [0.0] * (len(LATENCY_BUCKETS) + 2)
        total = 0.0
        for batch in batches:
            h.observe_all(("r",), batch)
            for v in batch:
                expected[bisect_left(LATENCY_BUCKETS, v)] += 1  # the first bound >= v: Prometheus' le
            total += sum(batch)
        expected[-1] = total
        assert h.values[("r",)] == expected
