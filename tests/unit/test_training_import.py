"""Importing staff and completions from the messy files real offices produce."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.training_import import (
    MAX_FILE_BYTES,
    ImportKind,
    UnreadableFile,
    apply,
    guess_mapping,
    known_data,
    mapping_problems,
    parse_date,
    read_table,
    validate,
)
from prevent_desktop.services.training_import_fields import DateProblem
from prevent_desktop.services.training_views import StaffInput
from prevent_desktop.services.workspace import Workspace
from tests.conftest import STAFF_PASSPHRASE

TODAY = date(2025, 6, 30)
PREVENT = "Prevent awareness"
EDI = "Equality, diversity and inclusion"


@pytest.fixture
def staffed(workspace: Workspace) -> Workspace:
    for name, role in (
        ("Jane Smith", "Trainer or tutor"),
        ("Omar Farouk", "Assessor"),
        ("Alex Brown", "Assessor"),
        ("alex  brown", "Administrator"),  # a second person with the same name
        ("Priya Shah", "Learner support"),
    ):
        workspace.training.add_staff(StaffInput(name, role))
    return workspace


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def course_id(ws: Workspace, name: str) -> str:
    return next(c.id for c in ws.training.courses() if c.name == name)


def staff_id(ws: Workspace, name: str) -> str:
    return next(s.id for s in ws.training.staff(include_left=True) if s.name == name)


def plan_for(ws: Workspace, kind: ImportKind, path: Path):  # type: ignore[no-untyped-def]
    table = read_table(path)
    mapping = guess_mapping(kind, table.headers)
    return validate(kind, table, mapping, known_data(ws, TODAY))


# ---- reading -----------------------------------------------------------------------------


def test_bom_semicolons_quotes_and_blank_rows_keep_true_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.csv",
        "Full name;Course;Date completed\r\n"
        "\r\n"
        "Jane Smith;Prevent awareness;01/02/2025\r\n"
        ";;\r\n"
        '"Smith; Jane";"Equality, diversity and inclusion";"02/02/2025"\r\n',
        "utf-8-sig",
    )
    table = read_table(path)
    assert table.headers == ("Full name", "Course", "Date completed")  # no BOM in the first
    assert [row.line for row in table.rows] == [3, 5]
    assert table.rows[1].values == ("Smith; Jane", EDI, "02/02/2025")
    assert table.blank_rows == 2
    assert "semicolons" in table.details and "BOM" in table.details


def test_tabs_cp1252_and_a_quoted_field_over_two_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "old.csv",
        'Name\tRole\tNotes\nRené Côté\tAssessor\t"paid £20\nby card"\nZoë\tAdministrator\tx\n',
        "cp1252",
    )
    table = read_table(path)
    assert table.details.startswith("Windows")
    assert table.rows[0].values == ("René Côté", "Assessor", "paid £20\nby card")
    assert [row.line for row in table.rows] == [2, 4]


def test_files_that_cannot_be_imported_are_refused_clearly(tmp_path: Path) -> None:
    cases = {
        "empty.csv": b"",
        "blank.csv": b"\r\n ; ;\r\n\r\n",
        "only_header.csv": b"Name,Role\n\n",
        "notes.txt": b"Name,Role\nJane,Assessor\n",
        "corrupt.xlsx": b"PK\x03\x04 this is not really a workbook",
        "renamed.xlsx": b"Name,Role\nJane,Assessor\n",
        "binary.csv": b"Name\x00\x01\x02",
    }
    expected = {
        "empty.csv": "is empty",
        "blank.csv": "is empty",
        "only_header.csv": "no rows under it",
        "notes.txt": "not a CSV or Excel",
        "corrupt.xlsx": "not a real .xlsx",
        "renamed.xlsx": "not a real .xlsx",
        "binary.csv": "not a text file",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(UnreadableFile) as caught:
            read_table(tmp_path / name)
        assert expected[name] in caught.value.message, name


def test_a_damaged_zip_and_limits(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Role"])
    workbook.save(good)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:-200])  # cut short: the zip directory is gone
    with pytest.raises(UnreadableFile, match=r"not a real \.xlsx|damaged"):
        read_table(damaged)
    big = tmp_path / "big.csv"
    big.write_bytes(b"Name\n" + b"x\n" * (MAX_FILE_BYTES // 2 + 1))
    with pytest.raises(UnreadableFile, match="at most 10 MB"):
        read_table(big)
    many = tmp_path / "many.csv"
    many.write_text("Name\n" + "x\n" * 50_001)
    with pytest.raises(UnreadableFile, match="at most 50,000"):
        read_table(many)


def test_xlsx_with_real_date_cells_text_dates_numbers_and_a_chosen_sheet(tmp_path: Path) -> None:
    path = tmp_path / "training.xlsx"
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "Read me"
    cover.append(["This sheet is notes"])
    sheet = workbook.create_sheet("Completions")
    sheet.append([None])  # a title row left empty
    sheet.append(["Staff", "Training", "Completed on", "Cert no"])
    sheet.append(["Jane Smith", PREVENT, datetime(2024, 2, 29, 0, 0), 12345])
    sheet.append([None, None, None, None])
    sheet.append(["Omar Farouk", EDI, "29/02/2025", 77.0])
    workbook.save(path)
    table = read_table(path)  # the cover sheet holds no list, so the next one is read
    assert table.sheet == "Completions" and table.sheets == ("Read me", "Completions")
    with pytest.raises(UnreadableFile, match="no rows under it"):
        read_table(path, "Read me")
    assert table.line_word == "Row" and table.header_line == 2
    assert [row.line for row in table.rows] == [3, 5]
    assert table.rows[0].values == ("Jane Smith", PREVENT, date(2024, 2, 29), 12345)
    assert table.rows[1].values[2:] == ("29/02/2025", 77)
    with pytest.raises(UnreadableFile, match="no sheet called"):
        read_table(path, "Missing")


# ---- mapping and dates -------------------------------------------------------------------


def test_guess_mapping_by_common_names_never_by_near_misses() -> None:
    headers = ["Ref", "Full Name ", "COURSE", "Date", "Completed on", "Notes", "Nmae"]
    assert guess_mapping(ImportKind.COMPLETIONS, headers) == {
        "staff_name": 1,
        "course_name": 2,
        "completed_on": 4,  # the specific name beats a bare "Date"
        "certificate_reference": 0,
        "evidence_note": 5,
    }
    staff = guess_mapping(ImportKind.STAFF, ["Nmae", "Role", "E-mail", "Leaving date"])
    assert staff == {"name": None, "job_role": 1, "start_date": None, "email": 2, "left_on": 3}
    assert mapping_problems(ImportKind.STAFF, staff, 4) == [
        "Choose the column that holds the name."
    ]
    same = {"name": 0, "job_role": 0}
    assert "same column" in mapping_problems(ImportKind.STAFF, same, 4)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2024", date(2024, 2, 29)),
        ("1/2/2025", date(2025, 2, 1)),
        ("01-02-2025", date(2025, 2, 1)),
        ("01.02.2025", date(2025, 2, 1)),
        ("2025-02-01", date(2025, 2, 1)),
        ("2025-02-01T00:00:00", date(2025, 2, 1)),
        ("01/02/2025 00:00", date(2025, 2, 1)),
        ("1 Feb 2025", date(2025, 2, 1)),
        ("3rd September 2024", date(2024, 9, 3)),
        ("", None),
    ],
)
def test_uk_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("29/02/2025", "is not a date (use dd/mm/yyyy)"),
        ("31/02/2025", "is not a date (use dd/mm/yyyy)"),
        ("02/13/2025", "13 is not a month"),  # never read month-first
        ("1/2/25", "four-digit year"),
        ("yesterday", "is not a date"),
        (45678, "is a number"),
    ],
)
def test_dates_that_are_refused(value: str | int, message: str) -> None:
    with pytest.raises(DateProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_date(value)


# ---- validating and applying -------------------------------------------------------------

MESSY = (
    "Full name;Course;Date completed;Certificate;Notes\n"
    "Jane Smith;Prevent awareness;29/02/2024;C-1;Team session\n"  # line 2: valid (leap day)
    "\n"
    "OMAR   farouk;Prevent awareness;29/02/2024;C-1;Team session\n"  # 4: valid, same session
    "Jane Smith;British values;29/02/2025;;\n"  # 5: not a date
    "Jon Smith;Prevent awareness;01/03/2024;;\n"  # 6: unknown person
    "Priya Shah;Prevent awarenes;01/03/2024;;\n"  # 7: unknown course (not guessed)
    "Alex Brown;Online safety;01/03/2024;;\n"  # 8: two Alex Browns
    "jane smith;prevent AWARENESS;29/02/2024;C-2;\n"  # 9: repeats line 2
    "Priya Shah;Online safety;01/07/2025;;\n"  # 10: in the future (TODAY is 30/06/2025)
    ";Online safety;;;\n"  # 11: missing fields
    'Priya Shah;"Equality, diversity and inclusion";2025-01-15;;\n'  # 12: valid
)


def test_every_problem_is_reported_with_its_line(staffed: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "messy.csv", MESSY, "utf-8-sig")
    plan = plan_for(staffed, ImportKind.COMPLETIONS, path)
    assert [row.line for row in plan.valid_rows] == [2, 4, 12]
    assert plan.errors() == [
        "Line 5: the completion date '29/02/2025' is not a date (use dd/mm/yyyy)",
        "Line 6: no member of staff is called 'Jon Smith' (add them to the matrix first, "
        "or correct the name)",
        "Line 7: there is no course called 'Prevent awarenes'",
        "Line 8: 2 members of staff are called 'Alex Brown'; record this one in the matrix, "
        "where you can tell them apart",
        "Line 9: repeats line 2 (the same person, course and date)",
        "Line 10: the completion date 01/07/2025 is in the future",
        "Line 11: the staff name is empty",
        "Line 11: the completion date is empty",
    ]
    assert plan.rows[0].shown == ("Jane Smith", PREVENT, "29/02/2024", "C-1", "Team session")


def test_nothing_is_written_while_there_are_errors(staffed: Workspace, tmp_path: Path) -> None:
    plan = plan_for(staffed, ImportKind.COMPLETIONS, write(tmp_path / "m.csv", MESSY))
    with pytest.raises(ValidationError, match=r"7 rows of 'm\.csv' have problems, so nothing"):
        apply(staffed, plan, only_valid=False)
    jane, prevent = staff_id(staffed, "Jane Smith"), course_id(staffed, PREVENT)
    assert staffed.training.history(jane, prevent) == []


def test_only_valid_imports_just_the_valid_rows(staffed: Workspace, tmp_path: Path) -> None:
    plan = plan_for(staffed, ImportKind.COMPLETIONS, write(tmp_path / "m.csv", MESSY))
    result = apply(staffed, plan, only_valid=True)
    assert (result.imported, result.left_out) == (3, 7)
    assert result.sessions == 2  # Jane and Omar were one team session
    assert result.change.record_type == "training_record" and len(result.change.ids) == 3
    assert result.text() == "Imported 3 completions. 7 rows with problems were not imported."
    prevent, edi = course_id(staffed, PREVENT), course_id(staffed, EDI)
    jane = staffed.training.history(staff_id(staffed, "Jane Smith"), prevent)
    assert [(r.completed_on, r.certificate_reference, r.evidence_note) for r in jane] == [
        (date(2024, 2, 29), "C-1", "Team session")
    ]
    assert len(staffed.training.history(staff_id(staffed, "Omar Farouk"), prevent)) == 1
    assert len(staffed.training.history(staff_id(staffed, "Priya Shah"), edi)) == 1
    assert staffed.training.history(staff_id(staffed, "Priya Shah"), prevent) == []
    # The same file again adds nothing twice: what is already there is reported.
    again = plan_for(staffed, ImportKind.COMPLETIONS, write(tmp_path / "m.csv", MESSY))
    assert again.valid_rows == ()
    assert "Line 2: Jane Smith already has Prevent awareness recorded on 29/02/2024" in (
        again.errors()
    )


def test_a_workbook_of_completions(staffed: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "training.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Staff name", "Course name", "Completion date", "Certificate reference"])
    sheet.append(["Jane Smith", PREVENT, datetime(2024, 2, 29), 12345])
    sheet.append([])
    sheet.append(["Omar Farouk", EDI, "31/01/2025", None])
    sheet.append(["Priya Shah", PREVENT, 45000, None])
    workbook.save(path)
    plan = plan_for(staffed, ImportKind.COMPLETIONS, path)
    assert plan.errors() == [
        "Row 5: the completion date '45000' is a number, not a date (format the column as "
        "dates in Excel, or type dd/mm/yyyy)"
    ]
    apply(staffed, plan, only_valid=True)
    records = staffed.training.history(staff_id(staffed, "Jane Smith"), course_id(staffed, PREVENT))
    assert records[0].certificate_reference == "12345"


def test_importing_staff(staffed: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "staff.csv",
        "Name,Job title,Start date,Email,Leaving date\n"
        "Sara Ali,assessor,03/09/2024,sara@example.org,\n"  # 2: valid (role's case ignored)
        "Ben Cole,Trainer or tutor,1/9/2025,,\n"  # 3: valid: a new starter
        "Jane Smith,Assessor,,,\n"  # 4: already on the list
        "Sara  ALI,Assessor,,,\n"  # 5: twice in the file
        "Kim Lee,Caretaker,,kim at example,\n"  # 6: unknown role, bad email
        "Tim Fox,Assessor,01/09/2024,,01/08/2024\n"  # 7: left before starting
        "Ann Hay,Assessor,,,31/12/2025\n"  # 8: leaving date ahead
        "Ola Ode,Administrator,2020-01-06,,30/04/2025\n",  # 9: valid, has left
    )
    plan = plan_for(staffed, ImportKind.STAFF, path)
    assert [row.line for row in plan.valid_rows] == [2, 3, 9]
    errors = plan.errors()
    assert (
        errors[0]
        == "Line 4: 'Jane Smith' is already on the staff list (an import only adds people)"
    )
    assert errors[1] == "Line 5: 'Sara ALI' is already on line 2"
    assert errors[2].startswith("Line 6: 'Caretaker' is not one of the site's job roles (")
    assert errors[3:] == [
        "Line 6: 'kim at example' is not an email address",
        "Line 7: the leaving date is before the start date",
        "Line 8: the leaving date 31/12/2025 is in the future",
    ]
    with pytest.raises(ValidationError):
        apply(staffed, plan, only_valid=False)
    assert len(staffed.training.staff(include_left=True)) == 5
    result = apply(staffed, plan, only_valid=True)
    assert result.change.record_type == "staff_member" and result.imported == 3
    people = {s.name: s for s in staffed.training.staff(include_left=True)}
    assert people["Sara Ali"].job_role == "Assessor"
    assert people["Sara Ali"].start_date == date(2024, 9, 3)
    assert people["Ola Ode"].left_on == date(2025, 4, 30)
    assert "Ola Ode" not in {s.name for s in staffed.training.staff()}


def test_a_file_with_no_valid_rows_and_a_bad_mapping(staffed: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "Name,Role\nNobody,Assessor\n")
    table = read_table(path)
    with pytest.raises(ValidationError, match="completion date"):
        validate(
            ImportKind.COMPLETIONS,
            table,
            guess_mapping(ImportKind.COMPLETIONS, table.headers),
            known_data(staffed, TODAY),
        )
    mapping = {"staff_name": 0, "course_name": 1, "completed_on": 1}
    with pytest.raises(ValidationError, match="same column"):
        validate(ImportKind.COMPLETIONS, table, mapping, known_data(staffed, TODAY))


def test_the_service_still_decides_who_may_import(staffed: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "staff.csv", "Name,Role\nSara Ali,Assessor\n")
    plan = plan_for(staffed, ImportKind.STAFF, path)
    tom, _kek = Workspace.sign_in(staffed.database.path, "tom", STAFF_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            apply(tom, plan, only_valid=False)
    finally:
        tom.close()


def test_a_write_failing_part_way_leaves_nothing(staffed: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "two sessions.csv",
        "Name,Course,Completed on\n"
        "Jane Smith,Prevent awareness,01/02/2025\n"
        "Omar Farouk,British values,02/02/2025\n",
    )
    plan = plan_for(staffed, ImportKind.COMPLETIONS, path)
    # Someone removes Omar between the check and the import: the one transaction fails, and
    # Jane's row (written first inside it) goes too.
    omar = staff_id(staffed, "Omar Farouk")
    from prevent_desktop.store.training_models import StaffMember

    with staffed.database.writer(user_id=None, login="other laptop") as session:
        member = session.get(StaffMember, omar)
        assert member is not None
        member.deleted = True
    with pytest.raises(ValidationError, match="no longer exists"):
        apply(staffed, plan, only_valid=False)
    jane = staff_id(staffed, "Jane Smith")
    assert staffed.training.history(jane, course_id(staffed, PREVENT)) == []
