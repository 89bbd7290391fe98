"""Sharing a total out by weight, exactly: the medium and large demos hit the counts they
promise (so many chronology entries, so many training records), however they are spread."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any


def share_exactly(weights: Sequence[float], total: int) -> list[int]:
    """Whole shares of `total` in proportion to `weights`, summing to `total` exactly
    (largest remainders); all zero when every weight is."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    """One of `options`, each given as (option, weight)."""
    return rng.choices([option for option, _ in options], [w for _, w in options])[0]
