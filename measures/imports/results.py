"""Importing the ITA results of many agencies from the assessment's results file.

A provincial or national spreadsheet has one row per agency: its code or full name, the year,
the overall score, IIT, EIT, OIT, optionally the level as announced, and the ten indicators.
Like the other imports it is all-or-nothing: the preview (``dry_run``) writes nothing, and a
commit writes every row in one transaction, or nothing when any row has an error; each refused
row says why, in Thai. The level is never stored: a level in the file is only checked against
the year's rules.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai
from measures.imports.spreadsheet import CSVFormat, SpreadsheetError, XLSXFormat, cell_error
from measures.models import Agency, Indicator, IndicatorScore, ItaResult, LevelRule

PARTS = ("overall", "iit", "eit", "oit")
# The columns as the file names them; "ระดับ" and the indicators may be left out or blank.
COLUMNS = {
    "code": "รหัสหน่วยงาน",
    "name": "ชื่อหน่วยงาน",
    "year": "ปี",
    "overall": "คะแนนรวม",
    "iit": "IIT",
    "eit": "EIT",
    "oit": "OIT",
    "level": "ระดับ",
    **{f"i{n}": f"ตัวชี้วัดที่ {n}" for n in range(1, 11)},
}
REQUIRED = ("year", "overall", "iit", "eit", "oit")
# Rows of errors listed at most in one outcome: a wrong file would otherwise list thousands.
MAX_ERRORS = 200


class ResultsXLSX(XLSXFormat):
    max_rows = limits.RESULTS_IMPORT_ROWS


class ResultsCSV(CSVFormat):
    max_rows = limits.RESULTS_IMPORT_ROWS


RESULTS_FORMATS = {"xlsx": ResultsXLSX, "csv": ResultsCSV}


@dataclass
class ResultsImport:
    """What an import of results did or would do: counts, and the refused rows' errors."""

    year: int
    errors: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    agency_id: int
    values: dict[str, Decimal | None]
    indicators: dict[int, Decimal]


def results_import(*, file: bytes, format: str, year: int, dry_run: bool = True) -> ResultsImport:
    """Read the results of assessment year ``year``; unless ``dry_run``, store them all (the
    agencies' results and indicator scores of that year, replaced) if no row has an error."""
    outcome = ResultsImport(year=year)
    try:
        dataset = RESULTS_FORMATS[format]().create_dataset(file)
    except SpreadsheetError as error:
        outcome.errors.append(str(error))
        return outcome
    headers = [str(h).strip() for h in dataset.headers]
    columns = {key: headers.index(name) for key, name in COLUMNS.items() if name in headers}
    missing = [COLUMNS[key] for key in REQUIRED if key not in columns]
    if "code" not in columns and "name" not in columns:
        missing.insert(0, f"{COLUMNS['code']} / {COLUMNS['name']}")
    if missing:
        outcome.errors.append(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return outcome
    rows = _read_rows(dataset, columns, year, outcome)
    if outcome.errors:
        return outcome
    _count(rows, year, outcome)
    if not dry_run:
        _store(rows, year)
        outcome.committed = True
    return outcome


@dataclass
class _Line:
    """One row of the file as read: its cells by column key, and its errors."""

    number: int
    cells: tuple
    columns: dict[str, int]
    errors: list[str] = field(default_factory=list)

    def cell(self, key: str) -> str:
        index = self.columns.get(key)
        value = self.cells[index] if index is not None and index < len(self.cells) else None
        return "" if value is None else thai.plain_text(str(value))

    def error(self, key: str, message: str) -> None:
        self.errors.append(cell_error(self.number, COLUMNS[key], message))


def _read_rows(dataset, columns: dict[str, int], year: int, outcome: ResultsImport) -> list[_Row]:
    by_code = dict(Agency.objects.exclude(code=None).values_list("code", "pk"))
    by_name: dict[str, list[int]] = {}
    for pk, name in Agency.objects.values_list("pk", "name"):
        by_name.setdefault(name, []).append(pk)
    rules = LevelRule.objects.for_year(year)
    seen: dict[int, int] = {}
    rows = []
    for number, cells in enumerate(dataset, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        line = _Line(number, cells, columns)
        cell, error = line.cell, line.error
        agency_id = _agency(cell("code"), cell("name"), by_code, by_name, error)
        if agency_id is not None and agency_id in seen:
            error(
                "code" if cell("code") else "name",
                _("the agency is already on row %(row)s.")
                % {"row": thai.thai_digits(seen[agency_id])},
            )
        elif agency_id is not None:
            seen[agency_id] = number
        typed_year = cell("year")
        if thai.arabic_digits(typed_year).strip() != str(year):
            error(
                "year",
                _("the year is “%(typed)s”, but this import is of the results of %(year)s.")
                % {"typed": typed_year, "year": thai.thai_digits(year)},
            )
        values = {key: _score(cell(key), key, error, required=True) for key in PARTS}
        indicators = {}
        for n in range(1, 11):
            if (score := _score(cell(f"i{n}"), f"i{n}", error, required=False)) is not None:
                indicators[n] = score
        if None not in values.values():
            _check_result(values, cell("level"), rules, error)
        if line.errors:
            if len(outcome.errors) < MAX_ERRORS:
                outcome.errors.extend(line.errors)
            continue
        rows.append(_Row(number, agency_id, values, indicators))
    if len(outcome.errors) >= MAX_ERRORS:
        outcome.errors.append(
            _("Only the first %(count)s errors are listed.")
            % {"count": thai.thai_digits(MAX_ERRORS)}
        )
    return rows


def _agency(code: str, name: str, by_code, by_name, error) -> int | None:
    """The agency a row names: by its code when the row gives one, else by its exact full name."""
    if code:
        if code in by_code:
            return by_code[code]
        error("code", _("no agency has the code “%(code)s”.") % {"code": code})
        return None
    matches = by_name.get(name, [])
    if len(matches) == 1:
        return matches[0]
    if not name:
        error("name", _("give the agency's code or its full name."))
    elif matches:
        error(
            "name",
            _("several agencies are named “%(name)s”: give the agency's code.") % {"name": name},
        )
    else:
        error("name", _("no agency is named exactly “%(name)s”.") % {"name": name})
    return None


def _score(text: str, key: str, error, *, required: bool) -> Decimal | None:
    if not text:
        if required:
            error(key, _("the score is missing."))
        return None
    try:
        value = Decimal(thai.arabic_digits(text))
    except InvalidOperation:
        error(key, _("“%(text)s” is not a score.") % {"text": text})
        return None
    if not value.is_finite() or not 0 <= value <= 100:
        error(key, _("%(score)s is not a score from 0 to 100.") % {"score": thai.thai_digits(text)})
        return None
    if value != value.quantize(Decimal("0.01")):
        error(key, _("%(score)s has more than two decimals.") % {"score": thai.thai_digits(text)})
        return None
    return value.quantize(Decimal("0.01"))


def _check_result(values: dict, level: str, rules: list[LevelRule], error) -> None:
    if (weighted := ItaResult.weighting_error(*values.values())) is not None:
        error(
            "overall",
            _("0.30 × IIT + 0.30 × EIT + 0.40 × OIT gives %(weighted)s, not the overall score.")
            % {"weighted": thai.thai_digits(f"{weighted:.2f}")},
        )
        return
    if level:
        expected = LevelRule.level_from(rules, values["overall"], tuple(values.values())[1:])
        if level != expected:
            error(
                "level",
                _("the year's rules give these scores the level “%(expected)s”, not “%(level)s”.")
                % {"expected": expected or "-", "level": level},
            )


def _count(rows: list[_Row], year: int, outcome: ResultsImport) -> None:
    stored = {
        r.agency_id: (r.overall, r.iit, r.eit, r.oit)
        for r in ItaResult.objects.filter(
            fiscal_year=year, agency__in=[row.agency_id for row in rows]
        )
    }
    for row in rows:
        before = stored.get(row.agency_id)
        if before is None:
            outcome.counts["new"] += 1
        elif before != tuple(row.values.values()):
            outcome.counts["changed"] += 1
        else:
            outcome.counts["unchanged"] += 1


@transaction.atomic
def _store(rows: list[_Row], year: int) -> None:
    """Every row's result and indicator scores of ``year``, replacing the agencies' stored ones."""
    agencies = [row.agency_id for row in rows]
    ItaResult.objects.filter(fiscal_year=year, agency__in=agencies).delete()
    ItaResult.objects.bulk_create(
        (ItaResult(agency_id=row.agency_id, fiscal_year=year, **row.values) for row in rows),
        batch_size=1000,
    )
    indicators = dict(Indicator.objects.values_list("number", "pk"))
    scored = [row for row in rows if row.indicators]
    IndicatorScore.objects.filter(
        fiscal_year=year, agency__in=[row.agency_id for row in scored]
    ).delete()
    IndicatorScore.objects.bulk_create(
        (
            IndicatorScore(
                agency_id=row.agency_id,
                fiscal_year=year,
                indicator_id=indicators[number],
                score=score,
            )
            for row in scored
            for number, score in row.indicators.items()
        ),
        batch_size=2000,
    )
