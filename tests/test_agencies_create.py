"""`manage.py create_agency`: a new agency, its divisions and its first coordinator."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from measures.models import Agency, Membership

ARGS = [
    "nong-bua",
    "--name=องค์การบริหารส่วนตำบลหนองบัว",
    "--short-name=อบต.หนองบัว",
    "--kind=sao",
    "--district=เมือง",
    "--province=อุดรธานี",
    "--division=สำนักปลัด",
    "--division=กองคลัง",
    "--division=กองช่าง",
    "--coordinator=somsri",
    "--email=somsri@example.go.th",
    "--base-url=https://ita.example.go.th/",
]


def create_agency(*args) -> str:
    out = io.StringIO()
    call_command("create_agency", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_agency_its_divisions_and_its_coordinator(db):
    output = create_agency(*ARGS)
    agency = Agency.objects.get(slug="nong-bua")
    assert (agency.name, agency.short_name, agency.kind, agency.district, agency.province) == (
        "องค์การบริหารส่วนตำบลหนองบัว",
        "อบต.หนองบัว",
        Agency.Kind.SAO,
        "เมือง",
        "อุดรธานี",
    )
    assert list(agency.divisions.values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    membership = Membership.objects.get(agency=agency)
    assert membership.role == Membership.Role.COORDINATOR
    assert membership.user.username == "somsri"
    assert membership.user.email == "somsri@example.go.th"
    assert not membership.user.has_usable_password()
    assert "หนอง บัว" in agency.search_text
    assert "อบต.หนองบัว" in output


def test_the_printed_link_sets_the_password_once(client, db):
    output = create_agency(*ARGS)
    link = re.search(r"https://ita\.example\.go\.th(/accounts/reset/\S+/)", output).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    new_password = "ตั้งรหัสใหม่-Str0ng-2568"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="somsri")
    assert user.check_password(new_password)
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again


def test_it_refuses_an_existing_slug_in_thai_and_changes_nothing(db):
    create_agency(*ARGS)
    with pytest.raises(CommandError, match="มีหน่วยงานที่ใช้ชื่อใน URL “nong-bua” อยู่แล้ว"):
        create_agency(*[a if a != "--coordinator=somsri" else "--coordinator=other" for a in ARGS])
    assert Agency.objects.count() == 1
    assert not get_user_model().objects.filter(username="other").exists()


def test_it_refuses_a_taken_username_and_creates_no_agency(db, django_user_model):
    django_user_model.objects.create_user("somsri")
    with pytest.raises(CommandError, match="ชื่อผู้ใช้ “somsri” มีผู้ใช้แล้ว"):
        create_agency(*ARGS)
    assert not Agency.objects.filter(slug="nong-bua").exists()


def test_it_refuses_a_slug_that_is_not_a_url_slug(db):
    with pytest.raises(CommandError):
        create_agency("หนองบัว", *ARGS[1:])
    assert not Agency.objects.exists()
    assert not get_user_model().objects.exists()
