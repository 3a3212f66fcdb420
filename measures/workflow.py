"""The report's way to the public: review, submit, send back, approve, publish and withdraw.

Each write is one transaction; a step the report's status does not allow raises WorkflowError,
a review that stands in the way of publishing raises PublishRefused.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thai
from measures.document import report_document
from measures.models import Change, Indicator, Publication, Report, ReviewAcknowledgement
from measures.notifications import events
from measures.review import Finding, review_document


class WorkflowError(Exception):
    """A report is not in the state an action needs (e.g. publishing a report not approved)."""


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
    publication = publication_create(
        report=report, kind=Publication.Kind.REPORT, document=document, by=by
    )
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["status"])
    return publication


PUBLISHED_ACTIONS = {
    Publication.Kind.REPORT: Change.Action.PUBLISHED,
    Publication.Kind.PLAN: Change.Action.PLAN_PUBLISHED,
}


def publication_create(*, report: Report, kind: str, document: dict, by) -> Publication:
    """The next version of the report's (or plan's) publication, freezing ``document``; the
    caller holds the report's row lock."""
    versions = report.publications.filter(kind=kind).order_by("-version")
    last = versions.values_list("version", flat=True).first()
    publication = Publication.objects.create(
        report=report,
        kind=kind,
        version=(last or 0) + 1,
        published_at=timezone.now(),
        published_by=by,
        document=document,
    )
    # Every publication is on record, whichever way it was made (staff, admin, command).
    Change.objects.create(
        report=report,
        user=by,
        action=PUBLISHED_ACTIONS[kind],
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
    withdrawn = publications_withdraw(
        report=report,
        kind=Publication.Kind.REPORT,
        by=by,
        reason=reason,
        action=Change.Action.WITHDRAWN,
    )
    report.reopen()
    # The index's search no longer finds the withdrawn titles.
    report.agency.save(update_fields=["search_text"])
    return withdrawn


def publications_withdraw(
    *, report: Report, kind: str, by, reason: str, action
) -> list[Publication]:
    """Withdraw every version of ``report``'s document of ``kind`` (report or plan) that the
    public could read, recorded as ``action``; the caller holds the report's row lock."""
    withdrawn = list(report.publications.public().filter(kind=kind))
    if not withdrawn:
        raise WorkflowError(_("not published"))
    now = timezone.now()
    for publication in withdrawn:
        publication.withdrawn_at, publication.withdrawn_by = now, by
        publication.withdrawal_reason = reason
        # Saved one by one: reports/apps.py forgets each one's public copies and PDFs.
        publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    Change.objects.create(
        report=report,
        user=by,
        action=action,
        changes=[
            {
                "field": "version",
                "before": ", ".join(thai.thai_digits(p.version) for p in withdrawn),
                "after": "",
            },
            {"field": "reason", "before": "", "after": reason},
        ],
    )
    return withdrawn


def _transition(report: Report, by, *, sources, target, action, changes=()) -> Report:
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if report.status not in sources:
        raise WorkflowError(report.get_status_display())
    report.status = target
    report.save(update_fields=["status"])
    Change.objects.create(report=report, user=by, action=action, changes=list(changes))
    return report


def _names(divisions) -> str:
    return ", ".join(division.name for division in divisions)


@transaction.atomic
def report_submit(*, report: Report, by, reason: str = "") -> Report:
    """The coordinator hands the draft to the head of agency for approval.

    Every division responsible for measures has handed in its part, or ``reason`` says why the
    report goes without; the approver reads it.
    """
    pending = list(report.divisions_not_handed_in())
    reason = reason.strip()
    if pending and not reason:
        raise ValueError(
            _("%(divisions)s have not handed in: say why the report is submitted without them.")
            % {"divisions": _names(pending)}
        )
    changes = []
    if pending:
        changes = [
            {"field": "not_handed_in", "before": "", "after": _names(pending)},
            {"field": "reason", "before": "", "after": reason},
        ]
    report = _transition(
        report,
        by,
        sources=[Report.Status.DRAFT],
        target=Report.Status.SUBMITTED,
        action=Change.Action.SUBMITTED,
        changes=changes,
    )
    events.submitted(report, by=by, reason=reason, pending=pending)
    return report


@transaction.atomic
def report_return(*, report: Report, by, reason: str, divisions=()) -> Report:
    """Back to draft for corrections before publication, for ``reason``; any approval is
    withdrawn. The parts of ``divisions`` are reopened: they correct them and hand in again."""
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Say why the report is sent back."))
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if report.status not in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        raise WorkflowError(report.get_status_display())
    report.reopen()
    divisions = list(divisions)
    report.hand_ins.filter(division__in=divisions).delete()
    changes = [{"field": "reason", "before": "", "after": reason}]
    if divisions:
        changes.append({"field": "divisions_concerned", "before": "", "after": _names(divisions)})
    Change.objects.create(report=report, user=by, action=Change.Action.RETURNED, changes=changes)
    events.sent_back(report, by=by, reason=reason, divisions=divisions)
    return report


class ApprovalRefused(PublishRefused):
    """The review finds what would refuse publishing: the report is not approved."""

    def __init__(self, findings: list[Finding]):
        super().__init__(findings)
        count = len(findings)
        self.args = (
            ngettext(
                "Not approved: the review found %(count)s problem that would stop publishing.",
                "Not approved: the review found %(count)s problems that would stop publishing.",
                count,
            )
            % {"count": thai.thai_digits(count)},
        )

    def __str__(self):
        return self.args[0]


@transaction.atomic
def report_approve(*, report: Report, by, position: str) -> Report:
    """The head of agency signs off the submitted report; name, position and date are kept.

    Refused (ApprovalRefused, with the findings) while the review finds errors or warnings
    nobody acknowledged: an approval would only be refused at publishing.
    """
    if blocking := report_review_blocking(report):
        raise ApprovalRefused(blocking)
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
    events.approved(report, by=by)
    return report


@transaction.atomic
def report_publish_approved(*, report: Report, by) -> Publication:
    """Publish the approved revision: the public sees it from now on, the agency is told."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.APPROVED:
        raise WorkflowError(report.get_status_display())
    publication = report_publish(report=report, by=by)
    events.published(publication, by=by)
    return publication
