"""The 5×5 likelihood × impact grid and the RAG legend, as ReportLab tables.

Each cell is shaded by its band and also carries the band's initial and the score, so the map
reads the same on a black-and-white printout.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from prevent_desktop.domain.risk import SCALE, RagThresholds
from prevent_desktop.reports.fonts import BODY_FONT
from prevent_desktop.reports.pdf_page import BAND_FILL, RAG_FILL, RULE, Styles
from prevent_desktop.reports.register_snapshot import Cell

CELL = 14 * mm
ROW = 12 * mm
LABEL_WIDTH = 20 * mm
NUMBER_WIDTH = 6 * mm
WIDTH = LABEL_WIDTH + NUMBER_WIDTH + 5 * CELL


def heat_map_table(
    title: str, counts: dict[Cell, int], thresholds: RagThresholds, styles: Styles
) -> Table:
    # Impact up the side (highest at the top), likelihood along the bottom: the same layout as
    # the heat map on the Risk register tab, so the printout matches the screen.
    impacts = sorted(SCALE, reverse=True)
    rows: list[list[object]] = [[Paragraph(f"<b>{title}</b>", styles.cell), "", ""]]
    rows[0] += [""] * 4
    commands: list[tuple[object, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (0, 1), (0, 5)),
        ("SPAN", (2, 7), (-1, 7)),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BOX", (2, 1), (-1, 5), 0.8, RULE),
        ("INNERGRID", (2, 1), (-1, 5), 0.4, RULE),
        ("BACKGROUND", (1, 1), (1, 5), BAND_FILL),
        ("BACKGROUND", (2, 6), (-1, 6), BAND_FILL),
    ]
    for row_index, impact in enumerate(impacts, start=1):
        row: list[object] = [
            Paragraph("<b>Impact</b><br/>1 low<br/>5 high", styles.cell_centre)
            if row_index == 1
            else "",
            str(impact),
        ]
        for column_index, likelihood in enumerate(SCALE, start=2):
            score = likelihood * impact
            band = thresholds.rag(score)
            count = counts.get((likelihood, impact), 0)
            number = f"<font size=12><b>{count}</b></font><br/>" if count else ""
            row.append(
                Paragraph(
                    f"{number}<font size=6>{band.label[0]} {score}</font>", styles.cell_centre
                )
            )
            commands.append(
                ("BACKGROUND", (column_index, row_index), (column_index, row_index), RAG_FILL[band])
            )
        rows.append(row)
    rows.append(["", "", *(str(likelihood) for likelihood in SCALE)])
    rows.append(["", "", Paragraph("<b>Likelihood</b> (1 low – 5 high)", styles.cell_centre)])
    rows[-1] += [""] * 4
    heights = [7 * mm] + [ROW] * 5 + [5.5 * mm, 6 * mm]
    table = Table(rows, colWidths=[LABEL_WIDTH, NUMBER_WIDTH] + [CELL] * 5, rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def legend_table(thresholds: RagThresholds, styles: Styles) -> Table:
    """Each band in words and score range; the same thresholds colour the register's RAG cells."""
    cells: list[object] = [Paragraph("<b>RAG bands</b> (score = likelihood × impact)", styles.cell)]
    commands: list[tuple[object, ...]] = [
        ("GRID", (1, 0), (-1, 0), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for column, (band, low, high) in enumerate(thresholds.legend(), start=1):
        cells.append(Paragraph(f"<b>{band.label}</b>: {low} to {high}", styles.cell_centre))
        commands.append(("BACKGROUND", (column, 0), (column, 0), RAG_FILL[band]))
    table = Table([cells], colWidths=[72 * mm] + [32 * mm] * 3, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table
