"""A non-editable install carries everything: compiled forms, resources and migrations.

Builds the wheel, installs it into a fresh virtual environment (outside the source tree) and
uses the installed command to create and check a database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
    )
    (built,) = out.glob("prevent_desktop-*.whl")
    return built


def test_wheel_contains_forms_resources_and_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "prevent_desktop/resources/strategy.json" in names
    assert "prevent_desktop/resources/fonts/DejaVuSans.ttf" in names
    assert "prevent_desktop/store/migrations/env.py" in names
    assert "prevent_desktop/store/migrations/script.py.mako" in names
    assert any(n.startswith("prevent_desktop/store/migrations/versions/0001") for n in names)
    assert any(n.startswith("prevent_desktop/ui/forms/") and n.endswith("_ui.py") for n in names)
    assert not any(n.startswith(("tests/", "ui/")) for n in names)


def test_installed_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=900
    )
    env = {
        **os.environ,
        "PREVENT_DESKTOP_KDF": "fast",
        "PREVENT_DESKTOP_PASSPHRASE": "river otter lantern 7",
    }
    env.pop("PYTHONPATH", None)
    command = target / "bin" / "prevent-desktop"
    db = tmp_path / "installed.db"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), "--data-dir", str(tmp_path / "data"), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )

    created = run("init", "--db", str(db), "--site", "Installed", "--user", "kim")
    assert created.returncode == 0, created.stderr
    assert run("check", "--db", str(db)).returncode == 0
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import prevent_desktop, prevent_desktop.resources_access as r;"
            "print(prevent_desktop.__file__);"
            "print(r.load_json('strategy.json')['areas'][0]['title'])",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    assert str(target) in probe.stdout and "Leadership and Values" in probe.stdout


def test_every_package_folder_is_listed_in_pyproject() -> None:
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts) for init in source.rglob("__init__.py")
    } | {"prevent_desktop.resources"}
    assert found == listed
