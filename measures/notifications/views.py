"""The page where each person chooses which e-mail notifications they receive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from measures.notifications.forms import NotificationsForm
from measures.notifications.outbox import notifications_choose


@login_required
def notification_settings(request):
    membership = request.user.memberships.first()
    form = None
    if membership is not None:
        form = NotificationsForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            role=membership.role,
        )
        if form.is_valid():
            notifications_choose(
                user=request.user,
                kinds_off=form.kinds_off(),
                offered=[kind.value for kind in form.offered],
            )
            messages.success(request, _("Your choice of e-mails was saved."))
            return redirect("notifications")
    return render(request, "registration/notifications.html", {"form": form})
