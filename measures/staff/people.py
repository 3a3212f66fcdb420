"""The coordinator's pages for the agency's people, divisions and accepted words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.pagination import paginate
from measures import agencies
from measures.models import AcceptedWord, Membership
from measures.notifications import events
from measures.staff.access import agency_for_coordinator, coordinator, get_for_user
from measures.staff.forms import (
    AcceptedWordForm,
    DivisionFormSet,
    InviteForm,
    MembershipForm,
    SignOffForm,
)

MEMBERS_PER_PAGE = 100


@login_required
def people(request):
    agency = agency_for_coordinator(request)
    user_form = InviteForm(request.POST or None, prefix="user")
    member_form = MembershipForm(request.POST or None, prefix="member", agency=agency)
    if user_form.is_valid() and member_form.is_valid():
        membership = agencies.membership_invite(
            agency=agency,
            user=user_form.save(commit=False),
            membership=member_form.save(commit=False),
            divisions=member_form.cleaned_data["divisions"],
            by=request.user,
        )
        user = membership.user
        messages.success(
            request,
            _("%(name)s was added and invited by e-mail to %(email)s to set a password.")
            % {"name": user.get_full_name() or user, "email": user.email},
        )
        return redirect("staff:people")
    members = paginate(
        request,
        agency.memberships.select_related("user")
        .prefetch_related("divisions")
        .annotate(
            two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True))
        ),
        MEMBERS_PER_PAGE,
    )
    return render(
        request,
        "staff/people.html",
        {"members": members, "user_form": user_form, "member_form": member_form},
    )


@login_required
def person(request, pk: int):
    _member, membership = get_for_user(request, Membership, allow=coordinator, pk=pk)
    if request.method == "POST" and "invite" in request.POST:
        events.invited(membership, by=request.user)
        messages.success(
            request,
            _("A new invitation was sent to %(email)s.") % {"email": membership.user.email},
        )
        return redirect("staff:person", pk=pk)
    if request.method == "POST" and "remove" in request.POST:
        if membership.user_id == request.user.pk:
            messages.error(request, _("You cannot remove yourself."))
        else:
            agencies.membership_remove(membership=membership)
            messages.success(request, _("The member was removed."))
            return redirect("staff:people")
    form = MembershipForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        instance=membership,
        agency=membership.agency,
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("staff:people")
    return render(request, "staff/person.html", {"membership": membership, "form": form})


@login_required
def divisions(request):
    agency = agency_for_coordinator(request)
    formset = DivisionFormSet(request.POST or None, queryset=agency.divisions.all())
    if formset.is_valid():
        for division in formset.save(commit=False):
            division.agency = agency
            division.save()
        for division in formset.deleted_objects:
            division.delete()
        messages.success(request, _("Saved."))
        return redirect("staff:divisions")
    return render(request, "staff/divisions.html", {"formset": formset})


@login_required
def sign_off(request):
    agency = agency_for_coordinator(request)
    form = SignOffForm(request.POST or None, instance=agency)
    if form.is_valid():
        # Only this field: the rest of the agency may have been changed meanwhile (admin).
        form.instance.save(update_fields=["sign_off_lines"])
        messages.success(request, _("Saved."))
        return redirect("staff:sign_off")
    roles = agency.sign_off_roles()
    return render(request, "staff/sign_off.html", {"form": form, "roles": roles})


@login_required
def words(request):
    agency = agency_for_coordinator(request)
    form = AcceptedWordForm(request.POST or None, agency=agency)
    if form.is_valid():
        word = form.save(by=request.user)
        messages.success(request, _("“%(word)s” was added to the accepted words.") % {"word": word})
        return redirect("staff:words")
    accepted = agency.accepted_words.select_related("added_by")
    return render(request, "staff/words.html", {"form": form, "words": accepted})


@login_required
@require_POST
def word_delete(request, pk: int):
    _member, word = get_for_user(request, AcceptedWord, allow=coordinator, pk=pk)
    word.delete()
    messages.success(request, _("“%(word)s” was removed from the accepted words.") % {"word": word})
    return redirect("staff:words")
