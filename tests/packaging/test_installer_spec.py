"""build_installer.spec lists its data files and Qt exclusions by hand: these checks make a new
resource, a new migration or a newly imported Qt module impossible to forget there.

The spec is read as text (with ast), so neither PyInstaller nor a build is needed;
.ci/check_installer runs the real frozen program.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build_installer.spec"
MIGRATIONS = ROOT / "src/prevent_desktop/store/migrations"


def _spec() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _assigned(name: str) -> ast.expr:
    for node in _spec().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return node.value
    raise AssertionError(f"build_installer.spec assigns no {name}")


def _data_files() -> dict[str, list[str]]:
    listed: dict[str, list[str]] = ast.literal_eval(_assigned("DATA_FILES"))
    return listed


def _files_needed_at_run_time() -> set[str]:
    """Every seed file and font in resources/, and the migration scripts Alembic reads."""
    resources = {
        path
        for path in (ROOT / "resources").rglob("*")
        if path.is_file()
        and path.name != "__init__.py"  # the package itself is added as a module
        and "__pycache__" not in path.parts
        and not path.name.startswith(".")
    }
    migrations = {MIGRATIONS / "env.py", *(MIGRATIONS / "versions").glob("[0-9]*.py")}
    return {path.relative_to(ROOT).as_posix() for path in resources | migrations}


def test_every_resource_and_migration_is_in_the_data_files() -> None:
    listed = {source for sources in _data_files().values() for source in sources}
    missing = _files_needed_at_run_time() - listed
    assert not missing, f"add these to DATA_FILES in build_installer.spec: {sorted(missing)}"
    gone = {source for source in listed if not (ROOT / source).is_file()}
    assert not gone, f"DATA_FILES in build_installer.spec names missing files: {sorted(gone)}"


def test_data_files_land_where_the_installed_package_has_them() -> None:
    for folder, sources in _data_files().items():
        for source in sources:
            parent = Path(source).parent
            if parent.parts[0] == "resources":  # shipped as the package prevent_desktop.resources
                expected = Path("prevent_desktop", *parent.parts)
            else:
                expected = parent.relative_to("src")
            assert folder == expected.as_posix(), f"{source} belongs in {expected}, not {folder}"


def test_no_qt_module_the_source_imports_is_excluded() -> None:
    # QT_EXCLUDES is a comprehension over a list of names: read that list.
    comprehension = _assigned("QT_EXCLUDES")
    assert isinstance(comprehension, ast.ListComp)
    excluded = set(ast.literal_eval(comprehension.generators[0].iter))
    imported: set[str] = set()
    for path in (ROOT / "src/prevent_desktop").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imported |= set(re.findall(r"PySide6\.(Qt\w+)", text))
        imported |= {
            name.strip()
            for names in re.findall(r"from PySide6 import ([\w, ]+)", text)
            for name in names.split(",")
        }
    assert imported, "found no PySide6 import in the source"
    assert not imported & excluded, (
        f"the app imports {sorted(imported & excluded)}, which build_installer.spec excludes"
    )
