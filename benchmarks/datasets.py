"""The one place benchmarks get the head-office-scale demo database from.

`large_database()` builds it with `build_demo(path, passphrase, size)` (what `prevent-desktop demo
--size large` makes) once per run, or reuses the copy kept under bench-results/datasets/ from an
earlier run: the copy's name carries the data size, the package version and a hash of the demo
generator and the migrations, so a change to either builds a fresh one. BENCH_SIZE (small,
medium, large; default large) picks the size, so the benchmarks can be developed on small data.

The cached database is never opened by a benchmark: each one works on `copy_to(folder)`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import prevent_desktop
from benchmarks.results import RESULTS_DIR, bench_size
from prevent_desktop.store.keyslots import KDF_ENVIRONMENT_VARIABLE, key_file_path

CACHE = RESULTS_DIR / "datasets"
PASSPHRASE = "benchmark passphrase 2026"
MANAGER = "amorgan"  # build_demo's manager
LEAD = "pshah"  # build_demo's safeguarding lead
_PACKAGE = Path(prevent_desktop.__file__).parent


@dataclass(frozen=True)
class Dataset:
    path: Path  # the cached database; its key file beside it
    passphrase: str
    size: str

    def copy_to(self, folder: Path) -> Path:
        """A private copy (database and key file) in `folder`, free to open and change."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.path.name
        shutil.copyfile(self.path, target)
        shutil.copyfile(key_file_path(self.path), key_file_path(target))
        wal = Path(f"{self.path}-wal")
        if wal.exists():  # a build closed cleanly leaves none; copied if one is there
            shutil.copyfile(wal, Path(f"{target}-wal"))
        return target


def fingerprint() -> str:
    """The package version and a hash of what decides the demo data's content."""
    digest = hashlib.sha256()
    sources = sorted(_PACKAGE.glob("services/demo*.py"))
    sources += sorted((_PACKAGE / "store" / "migrations" / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return f"{prevent_desktop.__version__}-{digest.hexdigest()[:12]}"


@functools.cache
def large_database(size: str | None = None) -> Dataset:
    """The demo database of BENCH_SIZE (or `size`): the cached one, or built now (once)."""
    size = size or bench_size()
    path = CACHE / f"demo-{size}-{fingerprint()}.db"
    if path.exists() and key_file_path(path).exists():
        return Dataset(path.resolve(), PASSPHRASE, size)
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"demo-{size}-*"):
        stale.unlink()  # an older generator's data: never used again
    building = path.with_name(path.stem + ".building.db")
    for leftover in (building, key_file_path(building)):
        leftover.unlink(missing_ok=True)
    print(f"building the {size} demo database (once; kept in {CACHE})…", file=sys.stderr)
    started = time.perf_counter()
    _build(building, size)
    # Renamed only when complete, so an interrupted build is never taken for a finished one.
    os.replace(key_file_path(building), key_file_path(path))
    os.replace(building, path)
    for leftover in CACHE.glob(building.name + "*"):  # the key file's lock file
        leftover.unlink()
    elapsed = time.perf_counter() - started
    print(f"built in {elapsed:.0f} s", file=sys.stderr)
    return Dataset(path.resolve(), PASSPHRASE, size)


def _build(path: Path, size: str) -> None:
    from prevent_desktop.services.demo import build_demo

    # Production key derivation: the unlock benchmark's baseline is the real Argon2id cost.
    saved = os.environ.pop(KDF_ENVIRONMENT_VARIABLE, None)

    def progress(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    try:
        workspace = build_demo(path, PASSPHRASE, size, progress=progress)
        workspace.close()
    finally:
        if saved is not None:
            os.environ[KDF_ENVIRONMENT_VARIABLE] = saved
