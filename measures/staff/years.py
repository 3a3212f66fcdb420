"""Staff pages of a fiscal year before its review: opening the year, its deadline, and the
divisions' hand-ins."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures import thai
from measures.fiscal_year import handins, opening
from measures.models import Division, Report
from measures.staff.access import (
    YearNotOpened,
    coordinator,
    division_member,
    get_for_user,
    membership_of,
)
from measures.staff.forms import DeadlineForm, OpenYearForm
from measures.workflow import WorkflowError


def year_page(view):
    """A staff page of one fiscal year: for a year the agency has not opened, it answers 404
    with what that means and, to the coordinator, the offer to open it."""

    @functools.wraps(view)
    def wrapped(request, *args, year: int, **kwargs):
        try:
            return view(request, *args, year=year, **kwargs)
        except YearNotOpened as missing:
            return _unopened(request, missing.membership, year)

    return wrapped


def _unopened(request, membership, year: int, form=None):
    agency = membership.agency
    can_open = membership.is_coordinator and year in opening.openable_years(agency)
    previous = opening.latest_before(agency, year)
    if can_open and form is None:
        form = OpenYearForm(previous=previous)
    context = {
        "membership": membership,
        "year": year,
        "current_year": thai.fiscal_year(timezone.localdate()),
        "form": form if can_open else None,
        "previous": previous,
        "coordinators": agency.memberships.filter(role="coordinator").select_related("user"),
    }
    return render(request, "staff/year_unopened.html", context, status=404)


@login_required
@require_POST
def year_open(request, year: int):
    """Open the year: empty or from the latest report, with the divisions' deadline."""
    membership = membership_of(request)
    if not membership.is_coordinator:
        raise PermissionDenied
    agency = membership.agency
    if agency.reports.filter(fiscal_year=year).exists():
        messages.info(request, _("This fiscal year is open already."))
        return redirect("staff:report", year=year)
    if year not in opening.openable_years(agency):
        return _unopened(request, membership, year)
    previous = opening.latest_before(agency, year)
    form = OpenYearForm(request.POST, previous=previous)
    if not form.is_valid():
        return _unopened(request, membership, year, form)
    try:
        opening.report_open(
            agency=agency,
            year=year,
            by=request.user,
            source=previous if form.cleaned_data["start"] == "previous" else None,
            deadline=form.cleaned_data["deadline"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Fiscal year %(year)s is open. The divisions have been told by e-mail.")
            % {"year": thai.thai_digits(year)},
        )
    return redirect("staff:report", year=year)


@login_required
@require_POST
def deadline(request, year: int):
    _member, report = get_for_user(request, Report, allow=coordinator, fiscal_year=year)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        value = form.cleaned_data["deadline"]
        if not opening.report_set_deadline(report=report, by=request.user, deadline=value):
            messages.info(request, _("Nothing had changed."))
        elif value:
            messages.success(
                request,
                _("The deadline is %(date)s. The divisions have been told by e-mail.")
                % {"date": thai.format_date(value)},
            )
        else:
            messages.success(request, _("The deadline was removed."))
    else:
        messages.error(request, " ".join(form.errors["deadline"]))
    return redirect("staff:report", year=year)


@login_required
@require_POST
def hand_in(request, year: int, division: int, done: bool):
    """The division's part is done (``done``), or reopened to change it."""
    _member, report = get_for_user(request, Report, fiscal_year=year)
    _member, division = get_for_user(request, Division, allow=division_member, pk=division)
    try:
        if done:
            handins.division_hand_in(report=report, division=division, by=request.user)
        else:
            handins.division_reopen(report=report, division=division, by=request.user)
    except handins.HandInRefused as refused:
        missing = ", ".join(thai.thai_digits(m.number) for m in refused.measures)
        messages.error(
            request,
            _("%(refusal)s Measures: %(numbers)s.") % {"refusal": refused, "numbers": missing},
        )
    except WorkflowError as error:
        messages.error(
            request,
            _("This cannot be done while the report is “%(status)s”.") % {"status": error},
        )
    else:
        template = (
            _("%(division)s has handed in its part. The coordinator has been told.")
            if done
            else _("%(division)s's part is reopened: change it, then hand it in again.")
        )
        messages.success(request, template % {"division": division})
    return redirect("staff:report", year=year)
