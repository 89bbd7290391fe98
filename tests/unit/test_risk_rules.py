"""Risk scoring rules: scores, RAG bands and review dates."""

from __future__ import annotations

from datetime import date

import pytest

from prevent_desktop.domain.risk import Rag, RagThresholds, RiskScore, add_months, next_review


def test_score_is_likelihood_times_impact() -> None:
    assert RiskScore(1, 1).score == 1
    assert RiskScore(3, 4).score == 12
    assert RiskScore(5, 5).score == 25


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 1), (3, -1)])
def test_scores_outside_one_to_five_are_refused(likelihood: int, impact: int) -> None:
    with pytest.raises(ValueError, match="from 1 to 5"):
        RiskScore(likelihood, impact)


def test_default_rag_bands() -> None:
    thresholds = RagThresholds()
    assert [thresholds.rag(s) for s in (1, 4, 5, 12, 14, 15, 25)] == [
        Rag.GREEN,
        Rag.GREEN,
        Rag.AMBER,
        Rag.AMBER,
        Rag.AMBER,
        Rag.RED,
        Rag.RED,
    ]
    assert thresholds.legend() == [(Rag.RED, 15, 25), (Rag.AMBER, 5, 14), (Rag.GREEN, 1, 4)]


def test_custom_and_invalid_thresholds() -> None:
    assert RagThresholds(8, 20).rag(16) is Rag.AMBER
    for amber, red in ((10, 10), (1, 5), (5, 26)):
        with pytest.raises(ValueError):
            RagThresholds(amber, red)


def test_review_dates_follow_the_frequency() -> None:
    assert next_review(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert next_review(date(2026, 11, 30), 3) == date(2027, 2, 28)  # no 30 February
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert next_review(date(2026, 6, 1), 12) == date(2027, 6, 1)
    with pytest.raises(ValueError):
        next_review(date(2026, 6, 1), 5)
