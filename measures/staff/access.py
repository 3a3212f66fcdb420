"""Who may open what on the staff pages.

Every staff view reaches its objects through ``get_for_user``: objects of another agency are
404, roles that may not act are 403. A year the agency has not opened is YearNotOpened, a 404
that the staff pages answer with the offer to open it (measures.staff.years).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from measures.models import (
    AcceptedWord,
    Division,
    Evidence,
    Measure,
    Membership,
    Publication,
    Report,
)

AGENCY_LOOKUP = {
    Report: "agency",
    Measure: "report__agency",
    Publication: "report__agency",
    Membership: "agency",
    AcceptedWord: "agency",
    Division: "agency",
    Evidence: "agency",
}


class YearNotOpened(Http404):
    """The user's agency has no report for this fiscal year (yet)."""

    def __init__(self, membership: Membership, year: int):
        super().__init__(year)
        self.membership, self.year = membership, year


def membership_of(request) -> Membership:
    membership = request.user.memberships.select_related("agency").first()
    if membership is None:
        if request.user.is_superuser:
            raise PermissionDenied(
                _(
                    "Your account administers the whole portal and belongs to no agency, so it "
                    "has no staff pages. Manage agencies, people and reports in the portal's "
                    "administration, or give this account a membership of an agency there."
                )
            )
        raise PermissionDenied(
            _(
                "Your account does not belong to any agency yet. Ask your agency's ITA "
                "coordinator to add you on the portal."
            )
        )
    return membership


def get_for_user(request, model, *, allow=None, **lookup):
    """(membership, object) for an object of the user's agency; 404 for any other agency's.

    ``allow(membership, obj)`` says whether this user's role may do what the view does (403).
    """
    membership = membership_of(request)
    lookup[AGENCY_LOOKUP[model]] = membership.agency
    if model is Report and "fiscal_year" in lookup:
        obj = Report.objects.filter(**lookup).first()
        if obj is None:
            raise YearNotOpened(membership, lookup["fiscal_year"])
    else:
        obj = get_object_or_404(model.objects.all(), **lookup)
    if allow is not None and not allow(membership, obj):
        raise PermissionDenied
    return membership, obj


def agency_for_coordinator(request):
    membership = membership_of(request)
    if not membership.is_coordinator:
        raise PermissionDenied
    return membership.agency


def coordinator(membership, _obj) -> bool:
    return membership.is_coordinator


def approver(membership, _obj) -> bool:
    return membership.is_approver


def reviewer(membership, _obj) -> bool:
    """The coordinator and the approver: those who read the whole report before it goes out."""
    return membership.role != Membership.Role.DIVISION_STAFF


def measure_editor(membership, measure) -> bool:
    return membership.can_edit_measure(measure)


def division_member(membership, division) -> bool:
    """Staff of the division, who hand in its part."""
    return membership.divisions.filter(pk=division.pk).exists()
