"""Reading and writing spreadsheet files safely: the place where untrusted files arrive.

Every upload goes through ``read_upload`` (a size limit checked before anything parses it), then
one of the two formats below. They are django-import-export formats, so the admin's import and
export use exactly the same checks as the services:

- XLSX: a ZIP archive; its members' declared sizes are checked before openpyxl inflates anything
  (Python's zipfile never inflates more than a member declares, so the declared sizes bound
  the work), and cells holding formulas are refused.
- CSV: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text", tab-separated),
  or the Thai Windows code page cp874/TIS-620 that Excel uses by default on Thai Windows;
  anything else is refused rather than shown as mojibake.

Both are read a row at a time and refused as soon as they pass a bound of itaportal.limits: more
rows than a report has measures, more columns than it has, or a cell longer than a list can be.

On export, text that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``)
is prefixed with an apostrophe, and the prefix is taken off again on import, so that the data
round-trips exactly.
"""

import codecs
import csv
import io
import re
import uuid
import zipfile
from collections.abc import Iterable

import openpyxl
import openpyxl.styles
import tablib
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.tmp_storages import BaseStorage

from itaportal import limits
from measures import thai

# Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
XLSX_KIND = "Excel (.xlsx)"
# Python's csv refuses a field over 131,072 characters with an error of its own; a list cell may
# be longer, and a longer one gets a message in Thai from the import (_bounded_rows).
csv.field_size_limit(limits.IMPORT_CELL_CHARS + 1)


class SpreadsheetError(ValueError):
    """A file that cannot be read: the message says why, in the user's language."""


def read_upload(file) -> bytes:
    """The bytes of an uploaded file, refused if empty or over ``IMPORT_MAX_BYTES``.

    Reads one byte past the limit at most, so a huge upload is never held in memory whole.
    """
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise SpreadsheetError(too_big_message())
    data = file.read(limit + 1)
    if len(data) > limit:
        raise SpreadsheetError(too_big_message())
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    return data


def too_big_message() -> str:
    return _("The file is larger than the limit of %(size)s MB.") % {
        "size": thai.thai_digits(settings.IMPORT_MAX_BYTES // (1024 * 1024))
    }


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """A ZIP-based document (XLSX, DOCX), checked against decompression bombs before use."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(not_a_message(kind))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise SpreadsheetError(not_a_message(kind)) from None
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _("This %(kind)s file unpacks to more than %(size)s MB: it is refused.")
            % {
                "kind": kind,
                "size": thai.thai_digits(settings.IMPORT_MAX_UNPACKED_BYTES // (1024 * 1024)),
            }
        )
    return archive


def not_a_message(kind: str) -> str:
    return _("This file is not a %(kind)s file, whatever its name says.") % {"kind": kind}


def cell_error(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": thai.thai_digits(row),
        "column": column,
        "message": message,
    }


def neutralise(value):
    """Text a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def restore(value):
    """The inverse of ``neutralise``."""
    escaped = isinstance(value, str) and value.startswith(ESCAPE)
    return value[1:] if escaped and value[1:].startswith((*FORMULA_TRIGGERS, ESCAPE)) else value


def _bounded_rows(rows: Iterable[Iterable], max_rows: int = limits.IMPORT_ROWS) -> list[list]:
    """The rows of a sheet, the header first, read until one passes a bound of itaportal.limits
    (``max_rows`` rows of content), which refuses the file. Blank rows are counted only when a
    row with content follows."""
    kept: list[list] = []
    blank = 0
    for number, row in enumerate(rows, start=1):
        if number > max_rows * limits.IMPORT_SHEET_ROWS // limits.IMPORT_ROWS:
            raise too_many_rows(max_rows)
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if not row:
            blank += 1
            continue
        kept += [[]] * blank
        blank = 0
        if len(kept) > max_rows:
            raise too_many_rows(max_rows)
        if len(row) > limits.IMPORT_COLUMNS:
            raise SpreadsheetError(
                _("Row %(row)s has %(count)s columns; the file's format has fewer than %(limit)s.")
                % {
                    "row": thai.thai_digits(number),
                    "count": thai.thai_digits(len(row)),
                    "limit": thai.thai_digits(limits.IMPORT_COLUMNS),
                }
            )
        for value in row:
            if isinstance(value, str) and len(value) > limits.IMPORT_CELL_CHARS:
                raise SpreadsheetError(cell_too_long_message(number))
        kept.append(row)
    return kept


def too_many_rows(limit: int = limits.IMPORT_ROWS) -> SpreadsheetError:
    if limit != limits.IMPORT_ROWS:
        return SpreadsheetError(
            _("The file has more than %(limit)s rows.") % {"limit": thai.thai_digits(limit)}
        )
    return SpreadsheetError(
        _("The file has more than %(limit)s rows of measures; a report holds at most %(limit)s.")
        % {"limit": thai.thai_digits(limits.IMPORT_ROWS)}
    )


def cell_too_long_message(row: int) -> str:
    return _("Row %(row)s holds a cell of more than %(limit)s characters.") % {
        "row": thai.thai_digits(row),
        "limit": thai.thai_digits(f"{limits.IMPORT_CELL_CHARS:,}"),
    }


def _dataset(rows: list[list], headers: list[str]) -> tablib.Dataset:
    """The rows under the header, formulas refused."""
    headers = [str(h).strip() if h is not None else "" for h in headers]
    for number, row in enumerate(rows, start=2):
        for header, value in zip(headers, row, strict=False):
            if isinstance(value, str) and value.startswith("="):
                raise SpreadsheetError(
                    cell_error(
                        number,
                        header,
                        _("formulas are not accepted (“%(value)s”); type the text itself.")
                        % {"value": value[:40]},
                    )
                )
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        cells = [restore(value) for value in row[:width]]
        dataset.append(cells + [None] * (width - len(cells)))
    return dataset


def _neutralised(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([neutralise(value) for value in row])
    return safe


class XLSXFormat(base_formats.XLSX):
    max_rows = limits.IMPORT_ROWS

    def create_dataset(self, in_stream):
        open_zip(in_stream, XLSX_KIND)
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True)
            # A formula cell's value is its formula text ("=SUM(…)"), refused like typed ones.
            # Bounded in width too: a sheet may claim any size in its dimension, and openpyxl
            # fills every row to it.
            sheet_rows = book.active.iter_rows(max_col=limits.IMPORT_COLUMNS + 1, values_only=True)
            rows = _bounded_rows(sheet_rows, self.max_rows)
            book.close()
        except SpreadsheetError:
            raise
        except Exception:  # openpyxl raises many types for a damaged or foreign archive
            raise SpreadsheetError(not_a_message(XLSX_KIND)) from None
        if not rows:
            raise SpreadsheetError(_("The file is empty."))
        return _dataset(rows[1:], rows[0])

    def export_data(self, dataset, **kwargs):
        data = super().export_data(_neutralised(dataset), **kwargs)
        book = openpyxl.load_workbook(io.BytesIO(data))
        readable(book.active)
        return workbook_bytes(book)


# Excel's widest column is 255 characters; a column of paragraphs reads best at most 80 wide,
# its text wrapped, rather than one line across several screens.
MAX_COLUMN_WIDTH = 80


def readable(sheet) -> None:
    """``sheet`` laid out for reading: Thai header row in bold and frozen, text wrapped at the
    top of its cell, each column as wide as its longest line, up to MAX_COLUMN_WIDTH."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
            lines = str(cell.value or "").splitlines() or [""]
            longest = max(len(line) for line in lines)
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 8), longest + 2)
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class CSVFormat(base_formats.CSV):
    """CSV read as bytes, so that the encoding is decided here and not guessed by a caller."""

    max_rows = limits.IMPORT_ROWS

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        text = decode_text(in_stream)
        first_line = text.split("\n", 1)[0]
        # Excel's "Unicode text" separates cells with tabs.
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = _bounded_rows(reader, self.max_rows)
        except csv.Error:
            raise SpreadsheetError(cell_too_long_message(reader.line_num)) from None
        if not rows:
            raise SpreadsheetError(_("The file is empty."))
        return _dataset(rows[1:], rows[0])

    def export_data(self, dataset, **kwargs):
        # The BOM makes Excel read the file as UTF-8 instead of the Windows code page.
        return "\ufeff" + super().export_data(_neutralised(dataset), **kwargs)


def decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise SpreadsheetError(_("This file is not a text file, whatever its name says."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        text = ""
    # cp874 maps most bytes to something: accept it only when it reads as Thai text.
    thai_text = any("\u0e01" <= char <= "\u0e5b" for char in text)
    if thai_text and not any(ord(char) < 32 and char not in "\r\n\t" for char in text):
        return text
    raise SpreadsheetError(
        _("Cannot read the file's text: save it as UTF-8 (in Excel: “CSV UTF-8”) and try again.")
    )


FORMATS = {"xlsx": XLSXFormat, "csv": CSVFormat}


class UploadStorage(BaseStorage):
    """Where the admin's import keeps an upload between its preview and its confirmation: the
    "imports" storage, which every app server shares, so that the confirmation may reach
    another server than the preview.

    The confirmation names the file in a hidden form field, so the name comes back from the
    browser: only a name this storage made (random) is ever opened.
    """

    PREFIX = "admin-import-"
    NAME = re.compile(rf"{PREFIX}[0-9a-f]{{32}}")

    def _checked_name(self) -> str:
        if not self.NAME.fullmatch(self.name or ""):
            raise SuspiciousFileOperation(f"Not an import upload: {self.name!r}")
        return self.name

    def save(self, data: bytes) -> None:
        self.name = f"{self.PREFIX}{uuid.uuid4().hex}"
        storages["imports"].save(self._checked_name(), ContentFile(data))

    def read(self):
        with storages["imports"].open(self._checked_name(), "rb") as upload:
            data = upload.read()
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    def remove(self) -> None:
        storages["imports"].delete(self._checked_name())
