# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test lint typecheck pytest ui bench installer screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/prevent-desktop

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# Recompile the Qt Designer sources in ui/ into src/prevent_desktop/ui/forms/.
ui: $(STAMP)
	$(BIN)/python -m prevent_desktop.ui.forms.compile

# Retake the README's pictures of every tab (docs/screenshots/) from the demo data, offscreen.
screenshots: $(STAMP)
	PREVENT_DESKTOP_UPDATE_DOCS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/gui/test_docs_screenshots.py

# The performance benchmarks (README, "Performance"), never part of `make test`. BENCH_SIZE=small,
# medium or large (the default) picks the demo data; BENCH_ARGS="--only NAME" or "--readme".
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# A one-folder application for this platform in dist/PreventDesktop/ (see README, "Building the installer");
# .ci/check_installer runs it. PyInstaller is a build tool, not a dependency: installed here only.
installer: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10'
	$(BIN)/pyinstaller --noconfirm --clean build_installer.spec

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info
