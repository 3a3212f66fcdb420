"""Setting up agencies on the portal: a new agency with its first coordinator, and its people."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.models import Agency, Membership
from measures.notifications import events


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
def membership_invite(*, agency: Agency, user, membership: Membership, divisions, by) -> Membership:
    """A new person in the agency, invited by e-mail: the link sets their first password."""
    user.set_unusable_password()
    membership = membership_create(
        agency=agency, user=user, membership=membership, divisions=divisions
    )
    events.invited(membership, by=by)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """The person leaves the agency: the account is closed but kept, so history keeps names."""
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
