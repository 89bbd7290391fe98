"""The benchmark harness's machinery (benchmarks/harness.py, readme.py), on a fake benchmark.

No real benchmark runs here and no timing is asserted: only the rows, the results file's shape,
the printed table and README's table between its markers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import harness, readme
from benchmarks.results import Row, overhead_row, ratio_row

README_TEXT = """# Project

## For developers

Some text.

## Performance

Before the table.

<!-- bench:start -->
an old table
<!-- bench:end -->

After the table.
"""

ROW_KEYS = {"name", "figure", "baseline", "ratio", "target", "met", "unit", "notes"}
MACHINE_KEYS = {"cpu", "cores", "ram_gib", "os", "python", "pyside6", "sqlcipher"}


def fake_rows() -> list[Row]:
    return [
        ratio_row("fast thing", 1.5, 1.0, at_most=2.0, notes="made up"),
        overhead_row("slow thing", 2.0, 1.0, at_most=0.5),
    ]


def broken() -> list[Row]:
    raise RuntimeError("the benchmark fell over")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    readme_file = tmp_path / "README.md"
    readme_file.write_text(README_TEXT, encoding="utf-8")
    return tmp_path / "bench-results" / "results.json", readme_file


def run(argv: list[str], runners: dict[str, harness.Runner], files: tuple[Path, Path]) -> int:
    results_file, readme_file = files
    return harness.main(argv, runners=runners, results_file=results_file, readme_file=readme_file)


def test_rows_say_whether_the_target_is_met() -> None:
    fast, slow = fake_rows()
    assert fast["ratio"] == 1.5 and fast["met"] and fast["target"] == "≤ 2×"
    assert slow["ratio"] == 2.0 and not slow["met"]
    assert slow["notes"].startswith("overhead 1.000 s")
    assert set(fast) == set(slow) == ROW_KEYS


def test_a_run_writes_the_results_file_and_prints_one_table(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([], {"fake": fake_rows}, files) == 0
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"date", "size", "machine", "rows"} <= set(data)
    assert set(data["machine"]) >= MACHINE_KEYS
    assert [row["name"] for row in data["rows"]] == ["fast thing", "slow thing"]
    for row in data["rows"]:
        assert ROW_KEYS | {"benchmark", "date"} <= set(row)
        assert row["benchmark"] == "fake"
    printed = capsys.readouterr().out
    assert "fast thing" in printed and "1.50×" in printed and "✓" in printed and "✗" in printed
    # Without --readme the README is left alone.
    assert files[1].read_text(encoding="utf-8") == README_TEXT


def test_only_replaces_that_benchmarks_rows_and_keeps_the_others(
    files: tuple[Path, Path],
) -> None:
    def other() -> list[Row]:
        return [ratio_row("other thing", 3.0, 1.0, at_most=2.0)]

    runners = {"fake": fake_rows, "other": other}
    run([], runners, files)
    run(["--only", "other"], runners, files)
    names = [row["name"] for row in json.loads(files[0].read_text(encoding="utf-8"))["rows"]]
    assert sorted(names) == ["fast thing", "other thing", "slow thing"]


def test_a_benchmark_that_fails_is_a_row_of_its_own_and_the_others_still_run(
    files: tuple[Path, Path],
) -> None:
    assert run([], {"broken": broken, "fake": fake_rows}, files) == 1
    rows = json.loads(files[0].read_text(encoding="utf-8"))["rows"]
    assert rows[0]["name"] == "broken (failed)" and "fell over" in rows[0]["notes"]
    assert [row["name"] for row in rows[1:]] == ["fast thing", "slow thing"]


def test_readme_table_is_rewritten_between_the_markers_only(files: tuple[Path, Path]) -> None:
    run(["--readme"], {"fake": fake_rows}, files)
    text = files[1].read_text(encoding="utf-8")
    before, rest = text.split(readme.START)
    table, after = rest.split(readme.END)
    assert before == README_TEXT.split(readme.START)[0]
    assert after == README_TEXT.split(readme.END)[1]
    assert "an old table" not in table
    lines = table.strip().splitlines()
    assert lines[0].startswith("Measured ")
    assert "| Benchmark | Figure | Baseline | Ratio | Target | Met | Notes |" in lines
    assert "| fast thing | 1.50 s | 1.00 s | 1.50× | ≤ 2× | ✓ | made up |" in lines
    # Rewriting again gives the same text: nothing accumulates between the markers.
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert readme.rewritten(text, data) == text


def test_a_readme_without_markers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(readme.MarkersMissing):
        readme.rewritten("# No markers here\n", {"machine": {}, "rows": []})


def test_figures_are_written_in_readable_units() -> None:
    assert harness.figure_text(0.2345, "s") == "234 ms"
    assert harness.figure_text(12.345, "s") == "12.35 s"
    assert harness.figure_text(350.0, "MB") == "350.0 MB"
    assert harness.figure_text(None, "s") == "—"
    assert harness.ratio_text(None) == "—"
