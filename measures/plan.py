"""The measures plan: the year's measures as planned, after the analysis of last year's result.

The plan and the report are one dataset: the plan is the report's measures without results,
with budgets and target indicators, frozen into a publication of kind "plan" (the same
freezing, digests and kept copies as the report). Its way to the public is shorter than the
report's: reviewed (missing results are no error for a plan), approved by the head of agency,
published, and withdrawn if needed. The approval is of the plan as it was then: any later
edit of its measures or analysis asks for a new one.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import thai
from measures.analysis import analysis_document
from measures.document import report_document
from measures.items import document_levels
from measures.models import Change, Publication, Report, content_digest
from measures.review import Finding
from measures.workflow import (
    ApprovalRefused,
    PublishRefused,
    WorkflowError,
    publication_create,
    publications_withdraw,
    report_review,
)

PLAN = Publication.Kind.PLAN


def _without_results(measure: dict) -> dict:
    """A measure as the plan lists it: no results or outcomes; its methods' sub-items kept."""
    plan = measure | {"results": [], "outcomes": []}
    plan.pop("levels", None)
    methods = measure.get("levels", {}).get("methods", [])
    if levels := document_levels({"methods": methods, "results": [], "outcomes": []}):
        plan["levels"] = levels
    return plan


def plan_document(report: Report) -> dict:
    """The plan as one document (what its publication freezes, its page and PDF render): the
    report's document less results and outcomes, with the analysis and the plan's approval."""
    document = report_document(report)
    measures = [_without_results(m) for m in document["measures"]]
    return document | {
        "kind": PLAN.value,
        "introduction": plan_introduction(report),
        "measures": measures,
        # The plan cites no scores: its analysis carries last year's.
        "scores": [],
        "analysis": analysis_document(report),
        "approval": plan_approval(report),
    }


def plan_introduction(report: Report) -> str:
    return (
        f"{report.agency.name} กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {thai.thai_digits(report.fiscal_year)} "
        "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        "ของปีที่ผ่านมา ดังนี้"
    )


def plan_approval(report: Report) -> dict | None:
    if not report.plan_approved_on:
        return None
    return {
        "name": report.plan_approver_name,
        "position": report.plan_approver_position,
        "date": report.plan_approved_on.isoformat(),
    }


def _unsigned_digest(document: dict) -> str:
    """What an approval is given to: the plan's content, less the approval itself."""
    return content_digest({key: value for key, value in document.items() if key != "approval"})


def plan_is_approved(report: Report, *, document: dict | None = None) -> bool:
    """The plan as it is now is the plan the head of agency approved."""
    if not report.plan_approved_digest:
        return False
    document = document if document is not None else plan_document(report)
    return _unsigned_digest(document) == report.plan_approved_digest


def plan_review(report: Report, *, document: dict | None = None) -> list[Finding]:
    """The report's review run on the plan: the same checks, errors first."""
    return report_review(
        report, document=document if document is not None else plan_document(report)
    )


def plan_review_blocking(report: Report, *, findings: list[Finding] | None = None) -> list[Finding]:
    """What stops the plan's approval: its errors. Its warnings are listed for the coordinator
    to weigh; the plan has no acknowledgements of its own."""
    findings = findings if findings is not None else plan_review(report)
    return [f for f in findings if f.is_error]


@transaction.atomic
def plan_approve(*, report: Report, by, position: str, name: str = "") -> Report:
    """The head of agency signs off the plan as it is now; refused (ApprovalRefused) while its
    review finds errors. ``name`` is the signer's name as printed, when ``by`` is no account
    (an approval on paper, recorded by a command)."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    document = plan_document(report)
    if blocking := plan_review_blocking(report, findings=plan_review(report, document=document)):
        raise ApprovalRefused(blocking)
    report.plan_approved_by = by
    report.plan_approver_name = name or by.get_full_name() or by.get_username()
    report.plan_approver_position = position
    report.plan_approved_on = timezone.localdate()
    report.plan_approved_digest = _unsigned_digest(document)
    report.save(
        update_fields=[
            "plan_approved_by",
            "plan_approver_name",
            "plan_approver_position",
            "plan_approved_on",
            "plan_approved_digest",
        ]
    )
    Change.objects.create(
        report=report,
        user=by,
        action=Change.Action.PLAN_APPROVED,
    )
    return report


@transaction.atomic
def plan_publish(*, report: Report, by) -> Publication:
    """Freeze the approved plan into a new published version of it that the public sees."""
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    document = plan_document(report)
    if errors := plan_review_blocking(report, findings=plan_review(report, document=document)):
        raise PublishRefused(errors)
    if not plan_is_approved(report, document=document):
        raise WorkflowError(_("The plan has changed since it was approved, or was never approved."))
    return publication_create(report=report, kind=PLAN, document=document, by=by)


@transaction.atomic
def plan_withdraw(*, report: Report, by, reason: str) -> list[Publication]:
    """Take the plan off the public portal, for ``reason``; it is approved and published again
    as a new version. The report of the year is not touched."""
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Say why the plan is withdrawn."))
    report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
    withdrawn = publications_withdraw(
        report=report, kind=PLAN, by=by, reason=reason, action=Change.Action.PLAN_WITHDRAWN
    )
    report.plan_approved_digest = ""
    report.save(update_fields=["plan_approved_digest"])
    return withdrawn


@transaction.atomic
def analysis_save(*, report: Report, by, urgent: str, improve: str) -> Change | None:
    """The coordinator's texts of the analysis; the recorded change, or None if none."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    changes = [
        {"field": "analysis", "before": before, "after": after}
        for before, after in ((report.analysis_urgent, urgent), (report.analysis_improve, improve))
        if before != after
    ]
    if not changes:
        return None
    report.analysis_urgent, report.analysis_improve = urgent, improve
    report.save(update_fields=["analysis_urgent", "analysis_improve"])
    return Change.objects.create(
        report=report, user=by, action=Change.Action.ANALYSIS, changes=changes
    )
