"""README.md's benchmark table, rewritten between its markers from a results file.

`python -m benchmarks --readme` does it after a run; `python -m benchmarks.readme` from the last
bench-results/results.json without running anything. Only the text between the markers changes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


class MarkersMissing(Exception):
    pass


def markdown(data: dict[str, Any]) -> str:
    """The machine, the date and a Markdown table of the rows."""
    from benchmarks.harness import figure_text, ratio_text

    m = data["machine"]
    ram = f", {m['ram_gib']:g} GiB RAM" if m.get("ram_gib") else ""
    lines = [
        f"Measured {data['date'][:10]} on {m.get('cpu') or 'an unknown CPU'} "
        f"({m.get('cores')} cores{ram}), {m.get('os')}; Python {m.get('python')}, "
        f"PySide6 {m.get('pyside6')}, SQLCipher {m.get('sqlcipher')}, ReportLab "
        f"{m.get('reportlab')}; demo data size `{data['size']}`"
        + (f"; commit {m['commit']}" if m.get("commit") else "")
        + ".",
        "",
        "| Benchmark | Figure | Baseline | Ratio | Target | Met | Notes |",
        "|---|--:|--:|--:|:-:|:-:|---|",
    ]
    for row in data["rows"]:
        cells = [
            row["name"],
            figure_text(row["figure"], row["unit"]),
            figure_text(row["baseline"], row["unit"]),
            ratio_text(row["ratio"]),
            row["target"],
            "✓" if row["met"] else "✗",
            row.get("notes", ""),
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def rewritten(text: str, data: dict[str, Any]) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise MarkersMissing(f"README has no {START} … {END} markers to put the table between")
    return text[: start + len(START)] + "\n" + markdown(data) + "\n" + text[end:]


def rewrite(path: Path, data: dict[str, Any]) -> None:
    path.write_text(rewritten(path.read_text(encoding="utf-8"), data), encoding="utf-8")


def main() -> int:
    from benchmarks.harness import RESULTS_FILE, read_results

    data = read_results(RESULTS_FILE)
    if data is None:
        print(f"No {RESULTS_FILE} yet: run `make bench` first.", file=sys.stderr)
        return 1
    rewrite(README, data)
    print(f"table rewritten in {README} from {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
