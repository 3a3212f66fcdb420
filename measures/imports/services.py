"""Imports into a report (a spreadsheet of measures, last year's report as text or Word) with
their previews, and carrying a report forward into the next fiscal year.

An import is all-or-nothing: a preview (``dry_run``) writes nothing, and a commit writes every
row in one transaction, or nothing when any row has an error.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from measures import thai
from measures.document import report_document
from measures.imports.report_docx import parse_report_docx
from measures.imports.report_text import (
    HEADERS,
    ParsedMeasure,
    ParsedReport,
    ReportTextError,
    parse_report_text,
)
from measures.imports.resources import INDICATORS, PreviewedMeasureResource
from measures.imports.spreadsheet import (
    FORMATS,
    SpreadsheetError,
    cell_error,
    decode_text,
    read_upload,
)
from measures.items import LISTS, document_levels, levels_of, measure_levels, numbered_lines
from measures.models import (
    DivisionMapping,
    Indicator,
    Measure,
    Method,
    Outcome,
    Report,
    Result,
)
from measures.review import WARNING, Finding
from measures.review.cover import other_report_findings, report_text_warnings

logger = logging.getLogger(__name__)


@transaction.atomic
def report_import_parsed(*, report: Report, parsed: ParsedReport) -> list[Measure]:
    """Replace the report's measures with those read from a file, and take its introduction.

    Importing the same file twice gives the same report, never duplicated measures.
    """
    divisions = {d.name: d for d in report.agency.divisions.all()}
    indicators = {i.number: i for i in Indicator.objects.all()}
    report.measures.all().delete()
    if parsed.introduction:
        report.introduction = parsed.introduction
        report.save(update_fields=["introduction"])
    measures = []
    for row in parsed.measures:
        measure = Measure.objects.create(
            report=report,
            number=row.number,
            title=row.title,
            start_month=row.start_month,
            start_year=row.start_year,
            end_month=row.end_month,
            end_year=row.end_year,
        )
        measure.divisions.set([divisions[name] for name in row.divisions])
        cited = {n for n in row.outcome_indicators if n is not None}
        measure.indicators.set([indicators[n] for n in sorted(cited)])
        for model, column in ((Method, "methods"), (Result, "results")):
            model.objects.bulk_create(
                model(measure=measure, order=i, text=t, level=level)
                for i, (t, level) in enumerate(
                    zip(getattr(row, column), levels_of(row.list_levels(column)), strict=True), 1
                )
            )
        outcomes = zip(
            row.outcomes,
            row.outcome_indicators,
            levels_of(row.list_levels("outcomes")),
            strict=True,
        )
        Outcome.objects.bulk_create(
            Outcome(measure=measure, order=i, text=t, indicator=indicators.get(n), level=level)
            for i, (t, n, level) in enumerate(outcomes, 1)
        )
        measures.append(measure)
    return measures


@dataclass
class RowOutcome:
    """What importing one row (a measure) does or would do."""

    NEW, CHANGED, UNCHANGED, DELETED, ERROR = "new", "changed", "unchanged", "deleted", "error"

    row: int | None  # the spreadsheet row or the file's line; None for a measure not in the file
    kind: str
    number: int | None
    title: str
    errors: list[str] = field(default_factory=list)
    # What the reader changed or read differently from how the file writes it.
    notes: list[str] = field(default_factory=list)
    # For a changed measure: (column, before, after) for each column that changes.
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """The preview of an import, or its result once committed.

    ``errors`` holds every message (whole-file ones first), each naming its row and column.
    """

    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    committed: bool = False
    # What the file says about the agency unlike its record (a cover's misspelt district): shown,
    # never a reason to refuse the file.
    warnings: list[Finding] = field(default_factory=list)
    # What the reader left out or read differently, for the whole file (rows skipped, …).
    notes: list[str] = field(default_factory=list)
    # Responsible units in the file that are no division of the agency, to be mapped.
    unknown_divisions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> Counter:
        return Counter(row.kind for row in self.rows)


_KINDS = {"new": RowOutcome.NEW, "update": RowOutcome.CHANGED, "skip": RowOutcome.UNCHANGED}


def report_import_rows(*, report: Report, file, format: str, dry_run: bool = True) -> ImportOutcome:
    """Import a spreadsheet (``format`` "xlsx" or "csv") of measures into ``report``.

    Rows update the measures with the same number and add the others; measures absent from
    the file are kept. With ``dry_run`` nothing is written; otherwise everything is written in
    one transaction, or nothing at all if any row has an error.
    """
    resource = PreviewedMeasureResource(report=report)
    try:
        dataset = FORMATS[format]().create_dataset(read_upload(file))
        resource.check_headers(dataset)
    except SpreadsheetError as error:
        return ImportOutcome(errors=[str(error)])
    with transaction.atomic():
        # One import into a report at a time: a second one waits for the first to finish.
        Report.objects.select_for_update().filter(pk=report.pk).first()
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        # An import that changes nothing (a file exported and imported back) leaves the report
        # as it was, approval and all.
        written = any(row.import_type in ("new", "update") for row in result.rows)
        if (
            not dry_run
            and written
            and not result.has_errors()
            and not result.has_validation_errors()
        ):
            report.reopen()
    outcome = ImportOutcome(errors=[str(error.error) for error in result.base_errors])
    title_column = resource.fields["title"].column_name
    rows = zip(dataset.dict, result.rows, strict=True)
    for sheet_row, (values, row_result) in enumerate(rows, start=2):
        errors = [
            _("Row %(row)s: %(message)s") % {"row": thai.thai_digits(sheet_row), "message": e.error}
            for e in row_result.errors
        ]
        if row_result.validation_error is not None:
            for key, messages in row_result.validation_error.message_dict.items():
                column = resource.column_of(key) or "-"
                errors += [cell_error(sheet_row, column, message) for message in messages]
        try:
            number = resource.fields["number"].clean(values)
        except ValueError:
            number = None
        kind = RowOutcome.ERROR if errors else _KINDS[row_result.import_type]
        outcome.rows.append(
            RowOutcome(
                row=sheet_row,
                kind=kind,
                number=number,
                title=str(values.get(title_column) or ""),
                errors=errors,
                changes=getattr(row_result.instance, "field_changes", [])
                if kind == RowOutcome.CHANGED
                else [],
            )
        )
        outcome.errors += errors
    outcome.committed = not dry_run and outcome.ok
    return outcome


def report_import_legacy(
    *, report: Report, file, format: str, dry_run: bool = True
) -> ImportOutcome:
    """Import last year's report, as text (``format`` "text") or a Word file ("docx").

    The file is the whole table: its measures replace the report's, which the preview shows as
    new, changed, unchanged or deleted, with warnings where its cover names the agency unlike
    its record. Nothing is written with ``dry_run`` or on any error.
    """
    divisions = report.agency.division_names()
    try:
        parsed = report_read(
            read_upload(file),
            format=format,
            divisions=divisions,
            fiscal_year=report.fiscal_year,
            mapped=report.agency.mapped_division_names(),
        )
    except (SpreadsheetError, ReportTextError) as error:
        return ImportOutcome(errors=[str(error)], unknown_divisions=getattr(error, "names", []))
    existing = {m["number"]: m for m in report_document(report)["measures"]}
    lines = parsed.cover_lines + parsed.heading_lines + [parsed.introduction]
    warnings = other_report_findings(lines, report.agency, report.fiscal_year)
    if existing:
        warnings.append(
            Finding(
                "import",
                WARNING,
                _(
                    "The file replaces all %(count)s measures now in the report of fiscal "
                    "year %(year)s."
                )
                % {
                    "count": thai.thai_digits(len(existing)),
                    "year": thai.thai_digits(report.fiscal_year),
                },
            )
        )
    outcome = ImportOutcome(
        warnings=warnings + report_text_warnings(parsed, report.agency), notes=parsed.notes
    )
    for measure in parsed.measures:
        before = existing.pop(measure.number, None)
        changes = []
        if before is None:
            kind = RowOutcome.NEW
        elif changes := _document_changes(before, _parsed_document(measure, divisions)):
            kind = RowOutcome.CHANGED
        else:
            kind = RowOutcome.UNCHANGED
        outcome.rows.append(
            RowOutcome(
                measure.line,
                kind,
                measure.number,
                measure.title,
                notes=measure.notes,
                changes=changes,
            )
        )
    outcome.rows += [
        RowOutcome(None, RowOutcome.DELETED, number, gone["title"])
        for number, gone in existing.items()
    ]
    if not dry_run:
        with transaction.atomic():
            report_import_parsed(report=report, parsed=parsed)
            report.reopen()
        outcome.committed = True
    return outcome


def report_read(
    data: bytes,
    *,
    format: str,
    divisions: list[str],
    fiscal_year: int,
    mapped: dict[str, list[str]] | None = None,
) -> ParsedReport:
    """Last year's report read from a file's bytes: a Word file (``format`` "docx") or text
    (tabs, a PDF's or web page's copy, HTML), in UTF-8, UTF-16 or Thai Windows' cp874.
    Raises SpreadsheetError or ReportTextError, in the user's language, naming row or line."""
    if format == "docx":
        return parse_report_docx(data, divisions, fiscal_year=fiscal_year, mapped=mapped)
    return parse_report_text(decode_text(data), divisions, fiscal_year=fiscal_year, mapped=mapped)


def _parsed_document(measure: ParsedMeasure, divisions: list[str]) -> dict:
    """A parsed measure in the shape ``report_document`` gives a stored one, to compare them."""
    cited = sorted({n for n in measure.outcome_indicators if n is not None})
    document = {
        "number": measure.number,
        "title": measure.title,
        "period": {
            "start_month": measure.start_month,
            "start_year": measure.start_year,
            "end_month": measure.end_month,
            "end_year": measure.end_year,
        },
        "divisions": sorted(measure.divisions, key=divisions.index),
        "indicators": cited,
        "methods": measure.methods,
        "results": measure.results,
        "outcomes": [
            {"text": text, "indicator": number}
            for text, number in zip(measure.outcomes, measure.outcome_indicators, strict=True)
        ],
    }
    if levels := document_levels({column: measure.list_levels(column) for column in LISTS}):
        document["levels"] = levels
    return document


def _document_changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(column, before, after) for each column of a measure's row that differs, as text."""
    return [
        (column, shown_before, shown_after)
        for key, column in _COLUMNS.items()
        if (shown_before := _shown(key, before)) != (shown_after := _shown(key, after))
    ]


_COLUMNS = {
    "title": HEADERS[0],
    "methods": HEADERS[1],
    "period": HEADERS[2],
    "divisions": HEADERS[3],
    "results": HEADERS[4],
    "outcomes": HEADERS[5],
    "indicators": INDICATORS,
}


def _shown(key: str, measure: dict) -> str:
    value = measure[key]
    if key == "period":
        if not value:
            return ""
        start, end = (
            (value["start_month"], value["start_year"]),
            (value["end_month"], value["end_year"]),
        )
        return thai.format_period(*start, *end)
    if key in ("divisions", "indicators"):
        return ", ".join(thai.thai_digits(item) for item in value)
    if key == "outcomes":
        value = [outcome["text"] for outcome in value]
    if isinstance(value, list):
        return numbered_lines(value, measure_levels(measure, key))
    return value


ALL_DIVISIONS, NEW_DIVISION = "all", "new"


@transaction.atomic
def division_mappings_save(*, agency, choices: dict[str, str], by=None) -> None:
    """Remember how the agency's imports read units that are no division: ``choices`` maps each
    name to a division's id, ALL_DIVISIONS, or NEW_DIVISION (a division of that name is added)."""
    for name, choice in choices.items():
        if choice == NEW_DIVISION:
            order = agency.divisions.count() + 1
            agency.divisions.get_or_create(name=name, defaults={"order": order})
            continue
        mapping, _created = DivisionMapping.objects.update_or_create(
            agency=agency, name=name, defaults={"all_divisions": choice == ALL_DIVISIONS}
        )
        mapping.divisions.set([] if choice == ALL_DIVISIONS else agency.divisions.filter(pk=choice))
    logger.info("%s: division mappings %s saved by %s", agency, choices, by)


def report_create(*, agency, year: int) -> Report:
    """An empty draft for fiscal year ``year``; refused (ValidationError) if the agency has that
    year's report already, even one created a moment ago by someone else."""
    refused = ValidationError(
        _("The report for fiscal year %(year)s already exists: it was not replaced.")
        % {"year": thai.thai_digits(year)}
    )
    if Report.objects.filter(agency=agency, fiscal_year=year).exists():
        raise refused
    try:
        with transaction.atomic():
            return Report.objects.create(agency=agency, fiscal_year=year)
    except IntegrityError:  # created meanwhile by someone else
        raise refused from None


@transaction.atomic
def report_carry_forward(*, report: Report, by=None, year: int | None = None) -> Report:
    """Start a later fiscal year's draft (``year``, by default the next) from ``report``.

    The new report has the same measures, methods, divisions and target indicators, periods as
    many years later and "พ.ศ. <year>" in titles and methods moved on; results and outcomes are
    left for the new year. Refused (ValidationError) if the agency already has that year's report.
    """
    year = year or report.fiscal_year + 1
    shift = year - report.fiscal_year
    new = report_create(agency=report.agency, year=year)
    for measure in report.measures.with_lists():
        period = {}
        if measure.has_period:
            period = {
                "start_month": measure.start_month,
                "start_year": measure.start_year + shift,
                "end_month": measure.end_month,
                "end_year": measure.end_year + shift,
            }
        copy = Measure.objects.create(
            report=new,
            number=measure.number,
            title=thai.shift_year_mentions(measure.title, report.fiscal_year, shift),
            **period,
        )
        copy.divisions.set(measure.divisions.all())
        copy.indicators.set(measure.indicators.all())
        Method.objects.bulk_create(
            Method(
                measure=copy,
                order=method.order,
                text=thai.shift_year_mentions(method.text, report.fiscal_year, shift),
                level=method.level,
            )
            for method in measure.methods.all()
        )
    logger.info("%s carried forward to %s by %s", report, year, by)
    return new
