"""How a RAG band looks on screen: a colour pair and always its name.

Colour is a help, never the only signal: every place that colours a score also writes the
band's word (or the score and a legend that maps scores to words), so the register reads the
same in greyscale and for people who cannot tell red from green.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from prevent_desktop.domain.risk import Rag, RagThresholds

# (strong background, its text colour): for heat-map cells and legend swatches; at least
# 4.5:1 contrast between the two.
STRONG: dict[Rag, tuple[str, str]] = {
    Rag.RED: ("#c62828", "#ffffff"),
    Rag.AMBER: ("#f9a825", "#000000"),
    Rag.GREEN: ("#2e7d32", "#ffffff"),
}
# Pale tints for table cells, where dark text on a light band keeps long columns readable.
TINT: dict[Rag, str] = {
    Rag.RED: "#f6d4d1",
    Rag.AMBER: "#fcebc4",
    Rag.GREEN: "#d5ead6",
}
TINT_TEXT = "#1a1a1a"


def strong(rag: Rag) -> tuple[QColor, QColor]:
    background, text = STRONG[rag]
    return QColor(background), QColor(text)


def tint(rag: Rag) -> QColor:
    return QColor(TINT[rag])


def legend_entries(thresholds: RagThresholds) -> list[tuple[Rag, str]]:
    """("Red 15–25", ...) red first, as the legend lists them."""
    return [(rag, f"{rag.label} {low}–{high}") for rag, low, high in thresholds.legend()]


def legend_html(thresholds: RagThresholds) -> str:
    """A one-line rich-text legend: a coloured square and the words for each band."""
    parts = []
    for rag, words in legend_entries(thresholds):
        colour = STRONG[rag][0]
        parts.append(f'<span style="color:{colour}; font-size:14pt;">■</span>&nbsp;{words}')
    return "&nbsp;&nbsp;&nbsp;".join(parts)
