"""Staff pages of the year's measures plan: the analysis, the plan's review, approval,
publication and withdrawal (/staff/<year>/plan/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures import plan, workflow
from measures.analysis import analysis_drafts
from measures.models import Publication, Report
from measures.staff.access import approver, coordinator, get_for_user, reviewer
from measures.staff.forms import AnalysisForm, WithdrawalForm


@login_required
def plan_page(request, year: int):
    """The plan as it stands: the analysis (its texts edited here by the coordinator, with
    drafts offered from the flagged indicators), the measures in the plan's columns, the
    review's findings, and the approval and publication."""
    membership, report = get_for_user(request, Report, allow=reviewer, fiscal_year=year)
    document = plan.plan_document(report)
    urgent, improve = analysis_drafts(document["analysis"])
    form = AnalysisForm(instance=report)
    if request.method == "POST":
        if not membership.is_coordinator:
            return redirect("staff:plan", year=year)
        form = AnalysisForm(request.POST, instance=Report.objects.get(pk=report.pk))
        if "drafts" in request.POST:
            # The drafts fill the form; nothing is saved until the coordinator saves.
            form = AnalysisForm(
                initial={"analysis_urgent": urgent, "analysis_improve": improve},
                instance=report,
            )
        elif form.is_valid():
            data = form.cleaned_data
            saved = plan.analysis_save(
                report=report,
                by=request.user,
                urgent=data["analysis_urgent"],
                improve=data["analysis_improve"],
            )
            messages.success(
                request, _("The analysis was saved.") if saved else _("Nothing had changed.")
            )
            return redirect("staff:plan", year=year)
    findings = plan.plan_review(report, document=document)
    context = {
        "membership": membership,
        "report": report,
        "document": document,
        "form": form,
        "findings": findings,
        "errors": [f for f in findings if f.is_error],
        "approved": plan.plan_is_approved(report, document=document),
        "publication": report.latest_publication(Publication.Kind.PLAN),
        "withdrawal": WithdrawalForm(),
    }
    return render(request, "staff/plan.html", context)


@login_required
@require_POST
def plan_approve(request, year: int):
    membership, report = get_for_user(request, Report, allow=approver, fiscal_year=year)
    try:
        plan.plan_approve(report=report, by=request.user, position=membership.position)
    except workflow.ApprovalRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The measures plan was approved."))
    return redirect("staff:plan", year=year)


@login_required
@require_POST
def plan_publish(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    try:
        plan.plan_publish(report=report, by=request.user)
    except (workflow.PublishRefused, workflow.WorkflowError) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The measures plan was published."))
    return redirect("staff:plan", year=year)


@login_required
@require_POST
def plan_withdraw(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the plan is withdrawn."))
        return redirect("staff:plan", year=year)
    try:
        plan.plan_withdraw(report=report, by=request.user, reason=form.cleaned_data["reason"])
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The measures plan was withdrawn from the public portal."))
    return redirect("staff:plan", year=year)
