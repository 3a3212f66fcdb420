"""Staff pages that take a report to the public: the workflow's steps, the review, the
published versions and withdrawal."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from measures import thai, workflow
from measures.models import Change, Publication, Report
from measures.oit.ita_page import ita_rows
from measures.staff.access import approver, coordinator, get_for_user, reviewer
from measures.staff.forms import DecisionForm, ReturnForm, SubmitForm, WithdrawalForm


@dataclass(frozen=True)
class Decision:
    """A workflow step confirmed on its own page: who may take it, from which statuses, with
    which form, and what it says when done."""

    service: Callable
    allow: Callable
    sources: tuple[str, ...]
    form: type[DecisionForm]
    done: str


S = Report.Status
DECISIONS = {
    "submit": Decision(
        workflow.report_submit,
        coordinator,
        (S.DRAFT,),
        SubmitForm,
        gettext_lazy("The report was submitted for approval. The approver has been told."),
    ),
    "return": Decision(
        workflow.report_return,
        reviewer,
        (S.SUBMITTED, S.APPROVED),
        ReturnForm,
        gettext_lazy("The report was sent back for corrections. Those concerned have been told."),
    ),
    "approve": Decision(
        workflow.report_approve,
        approver,
        (S.SUBMITTED,),
        DecisionForm,
        gettext_lazy("The report was approved. The coordinator has been told."),
    ),
    "publish": Decision(
        workflow.report_publish_approved,
        coordinator,
        (S.APPROVED,),
        DecisionForm,
        gettext_lazy("The report was published."),
    ),
}


@login_required
def report_decide(request, year: int, action: str):
    """The confirmation page of a workflow step (GET), and the step itself (POST)."""
    decision = DECISIONS[action]
    membership, report = get_for_user(request, Report, allow=decision.allow, fiscal_year=year)
    if report.status not in decision.sources:
        return _not_now(request, report.get_status_display(), year)
    form = decision.form(request.POST if request.method == "POST" else None, report=report)
    # The approver reads what stands in the way before deciding (the approval runs it again).
    blocking = []
    if action == "approve" and not form.is_bound:
        blocking = workflow.report_review_blocking(report)
    if form.is_valid():
        extra = {"position": membership.position} if action == "approve" else {}
        try:
            decision.service(report=report, by=request.user, **form.cleaned_data, **extra)
        except workflow.WorkflowError as error:
            return _not_now(request, error, year)
        except workflow.ApprovalRefused as refused:
            form.add_error(None, str(refused))
            blocking = refused.findings
        except workflow.PublishRefused as refused:
            messages.error(request, str(refused))
            return redirect("staff:review", year=year)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, decision.done)
            # Submitting reviews the report: the coordinator sees at once what stands in the way
            # of publishing, while the approver reads the report.
            if action == "submit" and (blocking := workflow.report_review_blocking(report)):
                messages.warning(request, _blocking_summary(blocking))
                return redirect("staff:review", year=year)
            return redirect("staff:report", year=year)
    context = {
        "membership": membership,
        "report": report,
        "form": form,
        "action": action,
        "blocking": blocking,
        "submission": _submission(report) if action == "approve" else None,
        "next_version": report.publications.reports().count() + 1,
        "today": timezone.localdate(),
    }
    status = 409 if form.is_bound and blocking else 200
    return render(request, f"staff/decide_{action}.html", context, status=status)


def _not_now(request, status, year: int):
    messages.error(
        request, _("This cannot be done while the report is “%(status)s”.") % {"status": status}
    )
    return redirect("staff:report", year=year)


def _submission(report: Report):
    """The change that submitted the report, with the reason for submitting it early, if any."""
    return report.changes.filter(action=Change.Action.SUBMITTED).select_related("user").first()


def _blocking_summary(findings) -> str:
    """What the coordinator must still do before the report can be published."""
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    todo = []
    if errors:
        todo.append(
            ngettext(
                "Correct %(count)s error before publishing.",
                "Correct %(count)s errors before publishing.",
                errors,
            )
            % {"count": thai.thai_digits(errors)}
        )
    if warnings:
        todo.append(
            ngettext(
                "Correct or acknowledge %(count)s warning before publishing.",
                "Correct or acknowledge %(count)s warnings before publishing.",
                warnings,
            )
            % {"count": thai.thai_digits(warnings)}
        )
    return " ".join(todo)


@login_required
def review(request, year: int):
    membership, report = get_for_user(request, Report, allow=reviewer, fiscal_year=year)
    reviewed = workflow.report_review_status(report)
    blocking = [r.finding for r in reviewed if r.blocks_publishing]
    measure_pks = dict(report.measures.values_list("number", "pk"))
    return render(
        request,
        "staff/review.html",
        {
            "membership": membership,
            "report": report,
            # Each finding with the measure to open to correct it.
            "rows": [(r, measure_pks.get(r.finding.measure)) for r in reviewed],
            "blocking": _blocking_summary(blocking),
            "error_count": sum(r.finding.is_error for r in reviewed),
            "warning_count": sum(not r.finding.is_error for r in reviewed),
            # Not a finding of the report itself: the OIT items of its year still without evidence.
            "ita_missing": [row for row in ita_rows(report.agency, year) if not row.has_evidence],
        },
    )


@login_required
@require_POST
def review_acknowledge(request, year: int):
    _member, report = get_for_user(request, Report, allow=reviewer, fiscal_year=year)
    try:
        workflow.review_acknowledge(
            report=report, finding_key=request.POST.get("key", ""), by=request.user
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The warning was acknowledged."))
    return redirect("staff:review", year=year)


@login_required
def publications(request, year: int):
    membership, report = get_for_user(request, Report, fiscal_year=year)
    context = {
        "report": report,
        "versions": report.publications.reports().select_related("published_by", "withdrawn_by"),
        "public": report.latest_publication(),
        "can_withdraw": membership.is_coordinator,
    }
    return render(request, "staff/publications.html", context)


@login_required
def report_withdraw(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    publication = report.latest_publication()
    if publication is None:
        messages.error(request, _("The public cannot read this report: nothing to withdraw."))
        return redirect("staff:publications", year=year)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        workflow.report_withdraw(report=report, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The report was withdrawn: the public can no longer read it."))
        return redirect("staff:publications", year=year)
    context = {"report": report, "publication": publication, "form": form}
    return render(request, "staff/withdraw.html", context)


@login_required
def publication_detail(request, year: int, version: int):
    _member, publication = get_for_user(
        request, Publication, report__fiscal_year=year, version=version
    )
    return render(
        request,
        "staff/report_preview.html",
        {
            "report": publication.report,
            "document": publication.document,
            "publication": publication,
        },
    )
