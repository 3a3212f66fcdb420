"""The audit log: sign-ins, failed sign-ins and sign-outs, and every publication."""

from measures.models import Change, SignInEvent
from measures.workflow import report_publish


def sign_in(client, password, username="coordinator"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )


def test_a_sign_in_is_recorded_with_the_address_and_browser(client, coordinator):
    sign_in(client, "coordinator-pass-1")
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.username) == ("logged_in", coordinator, "coordinator")
    assert (event.ip_address, event.user_agent) == ("203.0.113.9", "Firefox/140")


def test_a_failed_sign_in_is_recorded_with_the_name_typed(client, coordinator):
    sign_in(client, "wrong-password", username="coordinator")
    sign_in(client, "whatever", username="nobody-by-this-name")
    events = list(SignInEvent.objects.order_by("pk").values_list("kind", "username", "user"))
    assert events == [
        ("failed", "coordinator", None),
        ("failed", "nobody-by-this-name", None),
    ]


def test_a_sign_out_is_recorded(client, coordinator):
    sign_in(client, "coordinator-pass-1")
    client.post("/accounts/logout/")
    assert list(SignInEvent.objects.order_by("pk").values_list("kind", "user")) == [
        ("logged_in", coordinator.pk),
        ("logged_out", coordinator.pk),
    ]


def test_every_publication_is_recorded_whoever_publishes(demo_report, approver):
    before = Change.objects.filter(action=Change.Action.PUBLISHED).count()
    publication = report_publish(report=demo_report, by=approver, acknowledge_warnings=True)
    change = Change.objects.filter(action=Change.Action.PUBLISHED).latest("pk")
    assert Change.objects.filter(action=Change.Action.PUBLISHED).count() == before + 1
    assert (change.report, change.user) == (demo_report, approver)
    assert change.changes == [{"field": "version", "before": "", "after": "๒"}]
    assert publication.version == 2


def test_the_demo_publication_is_on_record(demo_report):
    assert demo_report.changes.filter(action=Change.Action.PUBLISHED).count() == 1


def test_the_admin_shows_the_sign_in_log_read_only(admin_client, client, coordinator):
    sign_in(client, "wrong-password")
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
    listing = admin_client.get("/admin/measures/signinevent/").content.decode()
    assert "203.0.113.9" in listing
    assert admin_client.get("/admin/measures/signinevent/add/").status_code == 403
    page = admin_client.get(f"/admin/measures/signinevent/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    admin_client.post(f"/admin/measures/signinevent/{event.pk}/delete/", {"post": "yes"})
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_shows_publications_in_the_change_log(admin_client, demo_report):
    listing = admin_client.get("/admin/measures/change/?action=published").content.decode()
    assert "เผยแพร่รายงาน" in listing
