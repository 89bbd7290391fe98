"""Printing a PDF the app wrote, through Qt's own print dialog, and opening it in the
computer's PDF viewer: a checklist must reach paper in an emergency even where no viewer is
installed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from prevent_desktop.errors import KnownError


def load_pdf(path: Path, parent: QWidget | None = None) -> QPdfDocument:
    # PySide6 takes None for "no parent" although its stubs say QObject.
    document = QPdfDocument(parent)  # type: ignore[arg-type]
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_ or document.pageCount() == 0:
        raise KnownError(f"Cannot read {path.name} to print it ({error.name}).")
    return document


# Pages are drawn at most this fine: at a printer's 1,200 dpi one A4 page is a 700 MB image
# and takes seconds, which in an emergency with a 20-page pack would freeze the app.
MAX_PRINT_DPI = 300


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Each page drawn (at up to MAX_PRINT_DPI) as large as fits the printable area without
    changing its shape. Returns the number of pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise KnownError("The printer could not be started. Check it is switched on and ready.")
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QRect(0, 0, int(points.width() * scale), int(points.height() * scale))
            fine = min(1.0, MAX_PRINT_DPI / max(1, printer.resolution()))
            image = document.render(
                page, QSize(int(target.width() * fine), int(target.height() * fine))
            )
            painter.drawImage(target, image)
        return document.pageCount()
    finally:
        painter.end()


def print_with_dialog(path: Path, parent: QWidget) -> bool:
    """Ask which printer, then print every page. False if the person cancelled."""
    document = load_pdf(path, parent)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {path.name}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    print_document(document, printer)
    return True


def open_in_viewer(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_saved(parent: QWidget, path: Path, what: str) -> None:
    """Say where the file went (and that it is not encrypted), and offer to open or print it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Prevent Desktop — Saved")
    box.setText(f"The {what} was saved to {path}.")
    box.setInformativeText(
        "This file is not encrypted: keep it somewhere safe and delete it when it is no "
        "longer needed."
    )
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.ActionRole)
    print_button = box.addButton("&Print…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    try:
        if box.clickedButton() is open_button and not open_in_viewer(path):
            raise KnownError(
                "No PDF viewer opened it. Use Print… instead, or open the file yourself."
            )
        if box.clickedButton() is print_button:
            print_with_dialog(path, parent)
    except KnownError as error:
        from prevent_desktop.ui.bug_dialog import show_known_error

        show_known_error(error, parent)
