"""Every date and date-time field of the app, written the UK way: dd/mm/yyyy (and HH:mm).

One place builds them so that no field falls back to the system locale's order (a US
locale would show 03/14/2025). What the fields *show* is UK; what they hand back is a plain
`date` or an aware `datetime` for the services. The formats match domain.uk_date, which
writes dates in labels, tables and reports.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

QT_DATE_FORMAT = "dd/MM/yyyy"
QT_DATE_TIME_FORMAT = "dd/MM/yyyy HH:mm"
UK = QLocale("en_GB")


def uk_format(edit: QDateEdit | QDateTimeEdit) -> None:
    """Give an existing field (one built by a Designer form) the UK format and calendar."""
    # A QDateEdit is a QDateTimeEdit too: only a plain date-time field shows the time.
    with_time = not isinstance(edit, QDateEdit)
    edit.setDisplayFormat(QT_DATE_TIME_FORMAT if with_time else QT_DATE_FORMAT)
    edit.setLocale(UK)  # the calendar pop-up starts its weeks on Monday, as UK calendars do
    edit.setCalendarPopup(True)


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    uk_format(edit)
    edit.setDate(to_qdate(value) if value else QDate.currentDate())
    return edit


def date_time_edit(parent: QWidget, value: QDateTime | None = None) -> QDateTimeEdit:
    """Set to now unless told otherwise."""
    edit = QDateTimeEdit(value if value is not None else QDateTime.currentDateTime(), parent)
    uk_format(edit)
    return edit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(edit: QDateEdit) -> date:
    value: date = edit.date().toPython()  # type: ignore[assignment]
    return value


def aware(edit: QDateTimeEdit) -> datetime:
    """The local date and time typed, as an aware timestamp (the services want a zone)."""
    naive: datetime = edit.dateTime().toPython()  # type: ignore[assignment]
    return naive.replace(second=0, microsecond=0).astimezone()
