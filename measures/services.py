"""Writes that touch several models, each in one transaction."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thai
from measures.citations import score_text
from measures.document import report_document
from measures.models import (
    Agency,
    Change,
    Indicator,
    IndicatorScore,
    Measure,
    Membership,
    Method,
    Outcome,
    Publication,
    Report,
    Result,
    ReviewAcknowledgement,
)
from measures.report_docx import parse_report_docx
from measures.report_text import ParsedMeasure, ParsedReport, ReportTextError, parse_report_text
from measures.resources import MeasureResource
from measures.review import Finding, review_document
from measures.review.cover import report_text_warnings
from measures.spreadsheet import FORMATS, SpreadsheetError, cell_error, decode_text, read_upload

logger = logging.getLogger(__name__)


class PublishRefused(Exception):
    """The review found errors, or warnings nobody acknowledged: the report stays unpublished."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = sum(f.is_error for f in findings)
        if errors:
            message = ngettext(
                "Not published: the review found %(count)s error. Correct it first.",
                "Not published: the review found %(count)s errors. Correct them first.",
                errors,
            ) % {"count": thai.thai_digits(errors)}
        else:
            count = len(findings)
            message = ngettext(
                "Not published: %(count)s review warning is not acknowledged.",
                "Not published: %(count)s review warnings are not acknowledged.",
                count,
            ) % {"count": thai.thai_digits(count)}
        super().__init__(message)


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
        Method.objects.bulk_create(
            Method(measure=measure, order=i, text=t) for i, t in enumerate(row.methods, 1)
        )
        Result.objects.bulk_create(
            Result(measure=measure, order=i, text=t) for i, t in enumerate(row.results, 1)
        )
        Outcome.objects.bulk_create(
            Outcome(measure=measure, order=i, text=t, indicator=indicators.get(n))
            for i, (t, n) in enumerate(zip(row.outcomes, row.outcome_indicators, strict=True), 1)
        )
        measures.append(measure)
    return measures


def report_review(report: Report, *, document: dict | None = None) -> list[Finding]:
    """Everything the review finds in the report as it is now (or in ``document``, a version of
    it such as a publication's), errors first."""
    return review_document(
        document if document is not None else report_document(report),
        indicator_names=dict(Indicator.objects.values_list("number", "name_th")),
        accepted_words=report.agency.accepted_words.values_list("word", flat=True),
    )


@dataclass(frozen=True)
class ReviewedFinding:
    """A finding as the review page lists it: with who acknowledged it and when, if anyone did."""

    finding: Finding
    acknowledgement: ReviewAcknowledgement | None

    @property
    def blocks_publishing(self) -> bool:
        return self.finding.is_error or self.acknowledgement is None


def report_review_status(
    report: Report, *, findings: list[Finding] | None = None
) -> list[ReviewedFinding]:
    """The review of the report as it is now, each finding with its acknowledgement."""
    if findings is None:
        findings = report_review(report)
    acknowledgements = {
        a.finding_key: a for a in report.acknowledgements.select_related("acknowledged_by")
    }
    return [
        ReviewedFinding(f, None if f.is_error else acknowledgements.get(f.key)) for f in findings
    ]


def report_review_blocking(
    report: Report, *, findings: list[Finding] | None = None
) -> list[Finding]:
    """What stands between the report and publishing: every error, and the warnings nobody has
    acknowledged."""
    return [
        reviewed.finding
        for reviewed in report_review_status(report, findings=findings)
        if reviewed.blocks_publishing
    ]


@transaction.atomic
def review_acknowledge(*, report: Report, finding_key: str, by) -> ReviewAcknowledgement:
    """Record that ``by`` read a warning and accepts it. Errors cannot be acknowledged, only
    corrected; a key the current review does not produce is refused (the text has changed)."""
    finding = next((f for f in report_review(report) if f.key == finding_key), None)
    if finding is None:
        raise ValueError(_("This finding is no longer in the review: the text has changed."))
    if finding.is_error:
        raise ValueError(_("An error cannot be acknowledged; correct the report instead."))
    return _acknowledge(report, [finding], by)[0]


def _acknowledge(report: Report, findings: list[Finding], by) -> list[ReviewAcknowledgement]:
    now = timezone.now()
    return [
        ReviewAcknowledgement.objects.get_or_create(
            report=report,
            finding_key=finding.key,
            defaults={
                "check_name": finding.check,
                "message": f"{finding.location}: {finding.message}",
                "acknowledged_by": by,
                "acknowledged_at": now,
            },
        )[0]
        for finding in findings
    ]


@transaction.atomic
def report_publish(*, report: Report, by=None, acknowledge_warnings: bool = False) -> Publication:
    """Freeze the report as it is now into a new published version that the public sees.

    The review runs first: any error refuses publishing (PublishRefused), and so does any warning
    not acknowledged, unless ``acknowledge_warnings`` says that ``by`` acknowledges them all now.
    """
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    document = report_document(report)
    findings = report_review(report, document=document)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise PublishRefused(errors)
    unacknowledged = report_review_blocking(report, findings=findings)
    if unacknowledged and not acknowledge_warnings:
        raise PublishRefused(unacknowledged)
    _acknowledge(report, unacknowledged, by)
    last = report.publications.order_by("-version").values_list("version", flat=True).first()
    publication = Publication.objects.create(
        report=report,
        version=(last or 0) + 1,
        published_at=timezone.now(),
        published_by=by,
        document=document,
    )
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["status"])
    # Every publication is on record, whichever way it was made (staff, admin, command).
    Change.objects.create(
        report=report,
        user=by,
        action=Change.Action.PUBLISHED,
        changes=[
            {"field": "version", "before": "", "after": thai.thai_digits(publication.version)}
        ],
    )
    # The index's search finds the titles just published.
    report.agency.save(update_fields=["search_text"])
    return publication


@transaction.atomic
def report_withdraw(*, report: Report, by, reason: str) -> list[Publication]:
    """Take the report off the public portal, for ``reason``: every version the public could
    read is withdrawn, and the page, the PDFs and the open data answer "not found" from now on.

    For what must not stay public (a wrong file, personal data). The report goes back to draft:
    it is corrected, approved and published again as a new version; the withdrawn versions
    stay withdrawn.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Say why the report is withdrawn."))
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    withdrawn = list(report.publications.public())
    if not withdrawn:
        raise WorkflowError(_("not published"))
    now = timezone.now()
    for publication in withdrawn:
        publication.withdrawn_at, publication.withdrawn_by = now, by
        publication.withdrawal_reason = reason
        # Saved one by one: reports/apps.py forgets each one's public copies and PDFs.
        publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _report_reopen(report)
    Change.objects.create(
        report=report,
        user=by,
        action=Change.Action.WITHDRAWN,
        changes=[
            {
                "field": "version",
                "before": ", ".join(thai.thai_digits(p.version) for p in withdrawn),
                "after": "",
            },
            {"field": "reason", "before": "", "after": reason},
        ],
    )
    # The index's search no longer finds the withdrawn titles.
    report.agency.save(update_fields=["search_text"])
    return withdrawn


def agency_division_names(agency: Agency) -> list[str]:
    return list(agency.divisions.values_list("name", flat=True))


class WorkflowError(Exception):
    """A report is not in the state an action needs (e.g. publishing a report not approved)."""


class MeasureConflict(Exception):
    """Someone else saved the measure after the editor opened it; ``changes`` says what."""

    def __init__(self, measure: Measure, changes):
        super().__init__(f"measure {measure.pk} is at version {measure.version}")
        self.measure = measure
        self.changes = changes


@dataclass(frozen=True)
class OutcomeData:
    text: str
    indicator: Indicator | None = None
    cite_score: bool = False


def _numbered(lines) -> str:
    return "\n".join(f"{thai.thai_digits(i)}. {line}" for i, line in enumerate(lines, 1))


def measure_snapshot(measure: Measure) -> dict[str, str]:
    """What a person sees of a measure, field by field, as text: the basis of recorded changes."""
    outcomes = []
    for item in measure.outcomes.select_related("indicator"):
        text = item.text
        if item.indicator:
            cited = _(", score cited") if item.cite_score else ""
            text += f" [{item.indicator}{cited}]"
        outcomes.append(text)
    return {
        "title": measure.title,
        "period": measure.period_display,
        "divisions": ", ".join(d.name for d in measure.divisions.all()),
        "indicators": ", ".join(thai.thai_digits(i.number) for i in measure.indicators.all()),
        "methods": _numbered(measure.methods.values_list("text", flat=True)),
        "results": _numbered(measure.results.values_list("text", flat=True)),
        "outcomes": _numbered(outcomes),
    }


def _diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [
        {"field": key, "before": before[key], "after": after[key]}
        for key in before
        if before[key] != after[key]
    ]


def _report_reopen(report: Report) -> None:
    """An edit after submission, approval or publication starts a new draft revision.

    The approval was given to what the approver saw, so it goes too; the public keeps the last
    publication until the next one.
    """
    if report.status == Report.Status.DRAFT:
        return
    report.status = Report.Status.DRAFT
    report.approved_by, report.approver_name, report.approver_position = None, "", ""
    report.approved_on = None
    report.save(
        update_fields=[
            "status",
            "approved_by",
            "approver_name",
            "approver_position",
            "approved_on",
        ]
    )


def _touch(measure: Measure, by) -> None:
    measure.version += 1
    measure.updated_at = timezone.now()
    measure.updated_by = by
    measure.save(update_fields=["version", "updated_at", "updated_by"])


MEASURE_FIELDS = ("title", "start_month", "start_year", "end_month", "end_year")


@transaction.atomic
def measure_save(
    *,
    measure: Measure,
    by,
    version: int,
    setup: dict | None = None,
    methods: list[str] | None = None,
    results: list[str],
    outcomes: list[OutcomeData],
) -> Change | None:
    """Save an edited measure made from ``version``; refuse (MeasureConflict) if it is stale.

    ``setup`` (title, period, divisions, indicators) and ``methods`` are the coordinator's:
    None leaves them as they are. The lists are replaced whole, numbered in the order given.
    Returns the recorded change, or None when nothing differed.
    """
    locked = Measure.objects.select_for_update().select_related("report").get(pk=measure.pk)
    if locked.version != version:
        changes = locked.changes.filter(version__gt=version).select_related("user")
        raise MeasureConflict(locked, list(changes.order_by("version")))
    before = measure_snapshot(locked)
    if setup is not None:
        for field in MEASURE_FIELDS:
            setattr(locked, field, setup[field])
        locked.save(update_fields=MEASURE_FIELDS)
        locked.divisions.set(setup["divisions"])
        locked.indicators.set(setup["indicators"])
    if methods is not None:
        _replace_items(locked.methods, Method, [{"text": text} for text in methods])
    _replace_items(locked.results, Result, [{"text": text} for text in results])
    _replace_items(
        locked.outcomes,
        Outcome,
        [{"text": o.text, "indicator": o.indicator, "cite_score": o.cite_score} for o in outcomes],
    )
    changes = _diff(before, measure_snapshot(locked))
    if not changes:
        return None
    _touch(locked, by)
    _report_reopen(locked.report)
    measure.version = locked.version
    return Change.objects.create(
        report=locked.report,
        measure=locked,
        subject=str(locked),
        version=locked.version,
        user=by,
        action=Change.Action.EDITED,
        changes=changes,
    )


def _replace_items(manager, model, rows: list[dict]) -> None:
    manager.all().delete()
    model.objects.bulk_create(
        model(measure=manager.instance, order=order, **row) for order, row in enumerate(rows, 1)
    )


@transaction.atomic
def measure_create(*, report: Report, by, title: str) -> Measure:
    """A new measure at the end of the report's table."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    last = report.measures.aggregate(last=Max("number"))["last"] or 0
    measure = Measure.objects.create(
        report=report, number=last + 1, title=title, updated_at=timezone.now(), updated_by=by
    )
    _report_reopen(report)
    Change.objects.create(
        report=report,
        measure=measure,
        subject=str(measure),
        version=measure.version,
        user=by,
        action=Change.Action.CREATED,
        changes=[{"field": "title", "before": "", "after": title}],
    )
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    """Delete a measure and close the gap in the numbering behind it."""
    report = Report.objects.select_for_update().get(pk=measure.report_id)
    subject = str(measure)
    number = measure.number
    measure.delete()
    for later in report.measures.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    _report_reopen(report)
    Change.objects.create(report=report, subject=subject, user=by, action=Change.Action.DELETED)


@transaction.atomic
def measure_move(*, measure: Measure, by, offset: int) -> bool:
    """Swap a measure with its neighbour (offset -1 up, +1 down); False at either end."""
    report = Report.objects.select_for_update().get(pk=measure.report_id)
    neighbour = report.measures.filter(number=measure.number + offset).first()
    if neighbour is None:
        return False
    number, spare = measure.number, report.measures.aggregate(last=Max("number"))["last"] + 1
    # The numbers are unique, so one of the two waits on a free number during the swap.
    Measure.objects.filter(pk=neighbour.pk).update(number=spare)
    Measure.objects.filter(pk=measure.pk).update(number=neighbour.number)
    Measure.objects.filter(pk=neighbour.pk).update(number=number)
    measure.refresh_from_db()
    _report_reopen(report)
    Change.objects.create(
        report=report,
        measure=measure,
        subject=str(measure),
        user=by,
        action=Change.Action.MOVED,
        changes=[
            {
                "field": "number",
                "before": thai.thai_digits(number),
                "after": thai.thai_digits(measure.number),
            }
        ],
    )
    return True


@transaction.atomic
def scores_save(
    *, report: Report, by, values: dict[tuple[int, int], Decimal | None]
) -> Change | None:
    """Store the agency's scores; ``values`` maps (indicator number, fiscal year) to a score.

    None removes a score. Returns the recorded change, or None when nothing differed.
    """
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    indicators = {i.number: i for i in Indicator.objects.all()}
    years = {year for _number, year in values}
    stored = {
        (s.indicator.number, s.fiscal_year): s
        for s in IndicatorScore.objects.for_years(report.agency, *years)
    }
    changes = []
    for (number, year), value in sorted(values.items()):
        current = stored.get((number, year))
        before = current.score if current else None
        if before == value:
            continue
        if value is None:
            current.delete()
        elif current:
            current.score = value
            current.save(update_fields=["score"])
        else:
            IndicatorScore.objects.create(
                agency=report.agency, fiscal_year=year, indicator=indicators[number], score=value
            )
        changes.append(
            {
                "field": "score",
                "before": _score_line(indicators[number], year, before),
                "after": _score_line(indicators[number], year, value),
            }
        )
    if not changes:
        return None
    _report_reopen(report)
    return Change.objects.create(
        report=report, user=by, action=Change.Action.SCORES, changes=changes
    )


def _score_line(indicator: Indicator, year: int, value: Decimal | None) -> str:
    shown = score_text(value) if value is not None else "-"
    return f"{indicator} (พ.ศ. {thai.thai_digits(year)}): {shown}"


def _transition(report: Report, by, *, sources, target, action) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in sources:
        raise WorkflowError(report.get_status_display())
    report.status = target
    report.save(update_fields=["status"])
    Change.objects.create(report=report, user=by, action=action)
    return report


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """The coordinator hands the draft to the head of agency for approval."""
    return _transition(
        report,
        by,
        sources=[Report.Status.DRAFT],
        target=Report.Status.SUBMITTED,
        action=Change.Action.SUBMITTED,
    )


@transaction.atomic
def report_return(*, report: Report, by) -> Report:
    """Back to draft for corrections before publication; any approval is withdrawn."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        raise WorkflowError(report.get_status_display())
    _report_reopen(report)
    Change.objects.create(report=report, user=by, action=Change.Action.RETURNED)
    return report


@transaction.atomic
def report_approve(*, report: Report, by, position: str) -> Report:
    """The head of agency signs off the submitted report; name, position and date are kept."""
    report = _transition(
        report,
        by,
        sources=[Report.Status.SUBMITTED],
        target=Report.Status.APPROVED,
        action=Change.Action.APPROVED,
    )
    report.approved_by = by
    report.approver_name = by.get_full_name() or by.get_username()
    report.approver_position = position
    report.approved_on = timezone.localdate()
    report.save(update_fields=["approved_by", "approver_name", "approver_position", "approved_on"])
    return report


@transaction.atomic
def report_publish_approved(*, report: Report, by) -> Publication:
    """Publish the approved revision: the public sees it from now on."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.APPROVED:
        raise WorkflowError(report.get_status_display())
    return report_publish(report=report, by=by)


@transaction.atomic
def agency_create(
    *,
    slug: str,
    name: str,
    short_name: str,
    kind: str,
    province: str,
    district: str = "",
    divisions: list[str],
    coordinator: str,
    email: str,
) -> Membership:
    """A new agency on the portal with its divisions and its first coordinator, whose account
    has no password yet: they choose one through a reset link.

    Refuses (ValidationError) a slug or a username already taken, and anything the models refuse.
    """
    if Agency.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("An agency with the URL slug “%(slug)s” already exists.") % {"slug": slug}
        )
    User = get_user_model()
    if User.objects.filter(username=coordinator).exists():
        raise ValidationError(
            _("The username “%(username)s” is already taken.") % {"username": coordinator}
        )
    agency = Agency(
        slug=slug, name=name, short_name=short_name, kind=kind, province=province, district=district
    )
    agency.full_clean()
    agency.save()
    for order, division in enumerate(divisions, start=1):
        agency.divisions.create(name=division, order=order)
    user = User(username=coordinator, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    return membership_create(
        agency=agency,
        user=user,
        membership=Membership(role=Membership.Role.COORDINATOR),
        divisions=[],
    )


@transaction.atomic
def membership_create(*, agency: Agency, user, membership: Membership, divisions) -> Membership:
    """A new person in the agency: their account and their role, created together."""
    user.save()
    membership.user, membership.agency = user, agency
    membership.save()
    membership.divisions.set(divisions)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """The person leaves the agency: the account is closed but kept, so history keeps names."""
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


@dataclass
class RowOutcome:
    """What importing one row (a measure) does or would do."""

    NEW, CHANGED, UNCHANGED, DELETED, ERROR = "new", "changed", "unchanged", "deleted", "error"

    row: int | None  # the spreadsheet row or the file's line; None for a measure not in the file
    kind: str
    number: int | None
    title: str
    errors: list[str] = field(default_factory=list)


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
    resource = MeasureResource(report=report)
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
        if not dry_run and not result.has_errors() and not result.has_validation_errors():
            _report_reopen(report)
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
        outcome.rows.append(
            RowOutcome(
                row=sheet_row,
                kind=RowOutcome.ERROR if errors else _KINDS[row_result.import_type],
                number=number,
                title=str(values.get(title_column) or ""),
                errors=errors,
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
    divisions = agency_division_names(report.agency)
    try:
        data = read_upload(file)
        if format == "docx":
            parsed = parse_report_docx(data, divisions)
        else:
            parsed = parse_report_text(decode_text(data), divisions)
    except (SpreadsheetError, ReportTextError) as error:
        return ImportOutcome(errors=[str(error)])
    existing = {m["number"]: m for m in report_document(report)["measures"]}
    outcome = ImportOutcome(warnings=report_text_warnings(parsed, report.agency))
    for measure in parsed.measures:
        before = existing.pop(measure.number, None)
        if before is None:
            kind = RowOutcome.NEW
        elif before == _parsed_document(measure, divisions):
            kind = RowOutcome.UNCHANGED
        else:
            kind = RowOutcome.CHANGED
        outcome.rows.append(RowOutcome(measure.line, kind, measure.number, measure.title))
    outcome.rows += [
        RowOutcome(None, RowOutcome.DELETED, number, gone["title"])
        for number, gone in existing.items()
    ]
    if not dry_run:
        with transaction.atomic():
            report_import_parsed(report=report, parsed=parsed)
            _report_reopen(report)
        outcome.committed = True
    return outcome


def _parsed_document(measure: ParsedMeasure, divisions: list[str]) -> dict:
    """A parsed measure in the shape ``report_document`` gives a stored one, to compare them."""
    cited = sorted({n for n in measure.outcome_indicators if n is not None})
    return {
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


@transaction.atomic
def report_carry_forward(*, report: Report, by=None) -> Report:
    """Start the next fiscal year's draft from ``report``.

    The new report has the same measures, methods, divisions and target indicators, periods one
    year later and "พ.ศ. <year>" in titles and methods moved on; results and outcomes are left
    for the new year. Refused (ValidationError) if the agency already has that year's report.
    """
    year = report.fiscal_year + 1
    refused = ValidationError(
        _("The report for fiscal year %(year)s already exists: it was not replaced.")
        % {"year": thai.thai_digits(year)}
    )
    if Report.objects.filter(agency=report.agency_id, fiscal_year=year).exists():
        raise refused
    try:
        with transaction.atomic():
            new = Report.objects.create(agency=report.agency, fiscal_year=year)
    except IntegrityError:  # created meanwhile by someone else
        raise refused from None
    for measure in report.measures.with_lists():
        period = {}
        if measure.has_period:
            period = {
                "start_month": measure.start_month,
                "start_year": measure.start_year + 1,
                "end_month": measure.end_month,
                "end_year": measure.end_year + 1,
            }
        copy = Measure.objects.create(
            report=new,
            number=measure.number,
            title=thai.shift_year_mentions(measure.title, report.fiscal_year, 1),
            **period,
        )
        copy.divisions.set(measure.divisions.all())
        copy.indicators.set(measure.indicators.all())
        Method.objects.bulk_create(
            Method(
                measure=copy,
                order=method.order,
                text=thai.shift_year_mentions(method.text, report.fiscal_year, 1),
            )
            for method in measure.methods.all()
        )
    logger.info("%s carried forward to %s by %s", report, year, by)
    return new
