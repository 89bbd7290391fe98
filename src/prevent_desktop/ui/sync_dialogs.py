"""The Sync menu and what its actions do: this laptop's keys, exporting and importing bundles,
pairing a new laptop, the conflicts list, and the quarterly export to head office (its wizard
is quarterly_export_wizard).

This module holds the flows (which file, which question next, what to say afterwards); the
dialogs live in sync_key_dialogs, sync_passphrase_dialog, sync_import_summary and
sync_conflicts_dialog. Every bundle, key and pairing file is handled by `workspace.sync` on the
database worker, which checks the permission again; the menu is only hidden from those it
would refuse (staff).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.bundle_export import ExportResult
from prevent_desktop.sync.bundle_file import NotAddressedHere
from prevent_desktop.sync.bundle_import import AlreadyApplied, ImportSummary, UnknownDevice
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.bug_dialog import show_message
from prevent_desktop.ui.quarterly_export_wizard import QuarterlyExportWizard
from prevent_desktop.ui.sync_conflicts_dialog import SyncConflictsDialog
from prevent_desktop.ui.sync_import_summary import ImportSummaryDialog
from prevent_desktop.ui.sync_key_dialogs import PairingCodeDialog, ThisLaptopDialog
from prevent_desktop.ui.sync_passphrase_dialog import BundlePassphraseDialog
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

AnyDialog = TypeVar("AnyDialog", bound=QDialog)

TITLE = "Prevent Desktop"
STATUS_MESSAGE_MS = 15_000
BUNDLE_SUFFIX = ".pdbundle"
BUNDLE_FILTER = "Prevent bundles (*.pdbundle)"
PAIRING_SUFFIX = ".pdpair"
PAIRING_FILTER = "Pairing files (*.pdpair)"
PAIRING_STEPS = (
    "<p>1. You save a pairing file, encrypted, and copy it to the new laptop.<br>"
    "2. This laptop then shows a one-time code: the file opens only with it.<br>"
    "3. On the new laptop, choose <b>Join an existing site</b>, the file, and type the code."
    "</p>"
)


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


class SyncMenu(QObject):
    """Owns the Sync menu of a main window and runs its six actions.

    `open_dialog` shows a dialog of the window without blocking (the window's `_open`: one
    of each kind, Ctrl+L still locks); `refresh` reloads every tab after records arrived;
    `site_code` names the files it suggests."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        window: QMainWindow,
        *,
        open_dialog: Callable[[QDialog], QDialog],
        refresh: Callable[[], None],
        site_code: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self._worker = worker
        self._workspace = workspace
        self._window = window
        self._open_dialog = open_dialog
        self._refresh = refresh
        self._site_code = site_code
        self.menu = QMenu("S&ync", window)  # "&Site" already has Alt+S
        self.menu.setObjectName("menuSync")
        self.keys_action = self._add(
            "This laptop's &keys…",
            "This laptop's fingerprint and public key, and the laptops it is paired with",
            self.open_keys,
        )
        self.menu.addSeparator()
        self.export_action = self._add(
            "&Export bundle…",
            "Save every record in an encrypted bundle for the site's other laptops",
            self.export_bundle,
        )
        self.import_action = self._add(
            "&Import bundle…",
            "Merge a bundle made on another laptop of this site",
            self.import_bundle,
        )
        self.quarterly_action = self._add(
            "Quarterly export to &head office…",
            "Make the site's quarterly return, encrypted for head office",
            self.export_quarterly,
        )
        self.menu.addSeparator()
        self.pair_action = self._add(
            "&Pair a new laptop…",
            "Make the file and code with which another laptop joins this site",
            self.pair_laptop,
        )
        self.conflicts_action = self._add(
            "Sync &conflicts…",
            "Records changed on two laptops at once: choose which version stays",
            self.open_conflicts,
        )

    def _add(self, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @property
    def allowed(self) -> bool:
        return self._workspace.actor.can(Permission.SYNC_BUNDLES)

    def _open(self, dialog: AnyDialog) -> AnyDialog:
        opened = self._open_dialog(dialog)
        assert isinstance(opened, type(dialog))
        return opened

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # ---- files ---------------------------------------------------------------------------

    def _choose_save(self, title: str, name: str, file_filter: str, suffix: str) -> Path | None:
        suggested = documents_folder() / name
        while True:
            chosen, _filter = QFileDialog.getSaveFileName(
                self._window, f"{TITLE} — {title}", str(suggested), file_filter
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() == suffix:
                return path  # the dialog itself asked before replacing this name
            # The suffix makes it another file, which the dialog did not check: ask as it would.
            path = path.with_name(path.name + suffix)
            if not path.exists() or confirmation.ask(
                self._window,
                "Replace file",
                f"{path.name} already exists. Replace it?",
                "&Replace",
                f"In {path.parent}.",
            ):
                return path
            suggested = path

    def _file_stem(self) -> str:
        return f"{self._site_code() or 'site'}-{date.today():%Y-%m-%d}"

    # ---- this laptop -----------------------------------------------------------------------

    def open_keys(self) -> ThisLaptopDialog | None:
        if not self.allowed:
            return None
        return self._open(ThisLaptopDialog(self._worker, self._workspace, self._window))

    def open_conflicts(self) -> SyncConflictsDialog | None:
        if not self.allowed:
            return None
        dialog = SyncConflictsDialog(self._worker, self._workspace, self._window)
        dialog.records_changed.connect(self._refresh)
        return self._open(dialog)

    # ---- export --------------------------------------------------------------------------

    def export_bundle(self) -> None:
        if not self.allowed:
            return
        path = self._choose_save(
            "Export a sync bundle (encrypted)",
            f"{self._file_stem()}{BUNDLE_SUFFIX}",
            BUNDLE_FILTER,
            BUNDLE_SUFFIX,
        )
        if path is None:
            return
        sync = self._workspace.sync
        self._worker.submit(
            lambda task: sync.export_to_paired(path, should_cancel=lambda: task.cancelled),
            lambda result: self._exported(result, None),
            lambda error: self._export_failed(error, path),
            progress="Writing the sync bundle…",
            parent_widget=self._window,
        )

    def _export_failed(self, error: BaseException, path: Path) -> None:
        # The only refusal export_to_paired makes without extra recipients: nobody to send to.
        if isinstance(error, ValidationError):
            if confirmation.ask(
                self._window,
                "Not paired yet",
                error.message,
                "Export with a &passphrase…",
                "A passphrase bundle opens on any laptop of this site with the passphrase. "
                "The other laptop confirms this laptop's fingerprint when it imports it.",
            ):
                dialog = BundlePassphraseDialog(choosing=True, parent=self._window)
                dialog.passphrase_chosen.connect(lambda phrase: self._export_with(path, phrase))
                self._open(dialog)
            return
        report_failure(error, self._window)

    def _export_with(self, path: Path, passphrase: str) -> None:
        sync = self._workspace.sync
        self._worker.submit(
            lambda task: sync.export_with_passphrase(
                path, passphrase, should_cancel=lambda: task.cancelled
            ),
            lambda result: self._exported(result, passphrase),
            lambda error: report_failure(error, self._window),
            progress="Writing the sync bundle…",
            parent_widget=self._window,
        )

    def _exported(self, result: ExportResult, passphrase: str | None) -> None:
        total = sum(result.counts.values())
        self._status(f"Bundle {result.sequence} saved to {result.path}")
        sealed = (
            "It is encrypted with the passphrase you chose: tell it to the person importing "
            "it separately, never on or with the file."
            if passphrase is not None
            else "It is encrypted for the paired laptops (and this one) only."
        )
        records = "record" if total == 1 else "records"
        show_message(
            f"Bundle number {result.sequence}, with {total} {records}, was saved to "
            f"{result.path}. {sealed} On the other laptop, choose Sync ▸ Import bundle…",
            self._window,
            title=f"{TITLE} — Bundle exported",
            icon=QMessageBox.Icon.Information,
        )

    def export_quarterly(self) -> QuarterlyExportWizard | None:
        if not self.allowed:
            return None
        return self._open(QuarterlyExportWizard(self._worker, self._workspace, self._window))

    # ---- import --------------------------------------------------------------------------

    def import_bundle(self) -> None:
        if not self.allowed:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self._window,
            f"{TITLE} — Import a sync bundle",
            str(documents_folder()),
            BUNDLE_FILTER,
        )
        if chosen:
            self.import_from(Path(chosen))

    def import_from(
        self, path: Path, *, trust: bool = False, passphrase: str | None = None
    ) -> None:
        sync = self._workspace.sync
        self._worker.submit(
            lambda task: sync.import_bundle(
                path, trust=trust, passphrase=passphrase, should_cancel=lambda: task.cancelled
            ),
            self._imported,
            lambda error: self._import_failed(error, path, trust, passphrase),
            progress="Checking and importing the sync bundle…",
            parent_widget=self._window,
        )

    def _import_failed(
        self, error: BaseException, path: Path, trust: bool, passphrase: str | None
    ) -> None:
        if isinstance(error, UnknownDevice):
            if self._fingerprint_confirmed(error.card):
                self.import_from(path, trust=True, passphrase=passphrase)
            else:
                self._status(
                    "Nothing was imported: the other laptop's fingerprint was not confirmed."
                )
            return
        if isinstance(error, AlreadyApplied):
            show_message(
                error.message,
                self._window,
                title=f"{TITLE} — Already imported",
                icon=QMessageBox.Icon.Information,
            )
            return
        if isinstance(error, NotAddressedHere):
            if confirmation.ask(
                self._window,
                "Cannot open the bundle",
                error.message,
                "Open with a &passphrase…",
                "If the bundle was exported with a passphrase, type it to open it.",
            ):
                dialog = BundlePassphraseDialog(choosing=False, parent=self._window)
                dialog.passphrase_chosen.connect(
                    lambda phrase: self.import_from(path, trust=trust, passphrase=phrase)
                )
                self._open(dialog)
            return
        report_failure(error, self._window)

    def _fingerprint_confirmed(self, card: DeviceCard) -> bool:
        return confirmation.ask(
            self._window,
            "Confirm the other laptop",
            "<p>This bundle comes from a laptop this one is not paired with:</p>"
            f"<p><b>{html.escape(card.label)}</b><br>fingerprint "
            "<span style='font-family: monospace; font-size: 14pt;'>"
            f"{html.escape(card.fingerprint)}</span></p>"
            "<p>Does this match the fingerprint shown on that laptop "
            "(Sync ▸ This laptop's keys)?</p>",
            "&Yes, it matches: import",
            "Compare every group. If they differ, cancel: the bundle may not come from your "
            "site's laptop. Nothing has been imported yet.",
        )

    def _imported(self, summary: ImportSummary) -> None:
        self._refresh()
        self._status(f"Imported bundle {summary.sequence} from “{summary.origin.label}”.")
        dialog = ImportSummaryDialog(summary, self._window)
        dialog.review_conflicts_requested.connect(self.open_conflicts)
        self._open(dialog)

    # ---- pairing -------------------------------------------------------------------------

    def pair_laptop(self) -> None:
        if not self.allowed or not confirmation.ask(
            self._window,
            "Pair a new laptop",
            PAIRING_STEPS,
            "&Save the pairing file…",
            "The new laptop gets the site, its users and settings at once, and everything else "
            "with the first bundle you send it.",
        ):
            return
        path = self._choose_save(
            "Save the pairing file (encrypted)",
            f"{self._file_stem()}{PAIRING_SUFFIX}",
            PAIRING_FILTER,
            PAIRING_SUFFIX,
        )
        if path is None:
            return
        sync, concerns = self._workspace.sync, self._workspace.concerns
        self._worker.submit(
            lambda _task: (sync.make_pairing_file(path), concerns.holds_key()),
            lambda made: self._paired(path, *made),
            lambda error: report_failure(error, self._window),
            progress="Writing the pairing file…",
            parent_widget=self._window,
        )

    def _paired(self, path: Path, code: str, carries_key: bool) -> None:
        self._open(PairingCodeDialog(code, path, carries_key, self._window))
