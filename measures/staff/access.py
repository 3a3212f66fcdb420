"""Who may open what on the staff pages.

Every staff view reaches its objects through ``get_for_user``: objects of another agency are
404, roles that may not act are 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from measures.models import AcceptedWord, Measure, Membership, Publication, Report

AGENCY_LOOKUP = {
    Report: "agency",
    Measure: "report__agency",
    Publication: "report__agency",
    Membership: "agency",
    AcceptedWord: "agency",
}


def membership_of(request) -> Membership:
    membership = request.user.memberships.select_related("agency").first()
    if membership is None:
        raise PermissionDenied
    return membership


def get_for_user(request, model, *, allow=None, **lookup):
    """(membership, object) for an object of the user's agency; 404 for any other agency's.

    ``allow(membership, obj)`` says whether this user's role may do what the view does (403).
    """
    membership = membership_of(request)
    lookup[AGENCY_LOOKUP[model]] = membership.agency
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


def reviewer(membership, _obj) -> bool:
    """The coordinator and the approver: those who read the whole report before it goes out."""
    return membership.role != Membership.Role.DIVISION_STAFF


def measure_editor(membership, measure) -> bool:
    return membership.can_edit_measure(measure)
