"""Two-factor sign-in: coordinators and superusers turn it on with an authenticator app, and then
sign in with their password and a six-digit code."""

import datetime
import re
from base64 import b32encode

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from measures.models import SignInEvent
from tests.browser_helpers import log_out
from tests.test_security import CSRF_REFUSED

PAGE = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
OFF = "/accounts/two-factor/off/"
VERIFY = "/accounts/two-factor/verify/"
WRONG_CODE = "รหัสไม่ถูกต้องหรือหมดอายุแล้ว"


def code_for(device, steps_ahead=0) -> str:
    """The code the user's app shows now, or ``steps_ahead`` steps of 30 seconds from now: a code
    once accepted is never accepted again, so a second sign-in in the same test types the next."""
    device.refresh_from_db()
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def wrong_code(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def turn_on(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def log_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": f"{username}-pass-1"})


def events(user):
    return list(SignInEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", "root-pass-1", first_name="ผู้ดูแล"
    )


def test_a_coordinator_turns_two_factor_on_with_a_code_from_the_app(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(coordinator)
    content = client.get(PAGE).content.decode()
    assert "การยืนยันตัวตนสองขั้นตอนปิดอยู่" in content
    assert client.post(SETUP).url == PAGE
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed

    content = client.get(PAGE).content.decode()
    assert 'src="data:image/svg+xml' in content
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', content).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    wrong = client.post(PAGE, {"code": wrong_code(device)})
    assert WRONG_CODE in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(PAGE, {"code": code_for(device, 1)}, follow=True)
    assert "การยืนยันตัวตนสองขั้นตอนเปิดอยู่" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert events(coordinator)[-1] == SignInEvent.Kind.TWO_FACTOR_ON
    # The session that turned it on has just typed a code.
    assert client.get("/staff/").status_code == 200


def test_the_page_says_how_to_set_up_the_app_in_thai(client, coordinator):
    client.force_login(coordinator)
    client.post(SETUP)
    content = client.get(PAGE).content.decode()
    assert "สแกนคิวอาร์โค้ดนี้" in content
    assert "พิมพ์รหัสหกหลัก" in content


def test_starting_again_replaces_the_key_that_was_never_confirmed(client, coordinator):
    client.force_login(coordinator)
    client.post(SETUP)
    first = TOTPDevice.objects.get(user=coordinator)
    client.post(SETUP)
    second = TOTPDevice.objects.get(user=coordinator)
    assert (second.pk, second.confirmed) != (first.pk, True)
    assert second.key != first.key


def test_a_password_alone_opens_neither_staff_pages_nor_the_admin(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    device = turn_on(coordinator)
    assert log_in(client, "coordinator").url == "/staff/"
    for url in ["/staff/", "/staff/2568/", "/admin/", "/mueang-phalai/2568/", PAGE]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{VERIFY}?next={url}", url

    content = client.get(VERIFY + "?next=/staff/").content.decode()
    assert "เปิดแอปยืนยันตัวตนบนโทรศัพท์" in content
    response = client.post(VERIFY, {"code": code_for(device), "next": "/staff/2568/"})
    assert response.url == "/staff/2568/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert events(coordinator) == [SignInEvent.Kind.LOGGED_IN, SignInEvent.Kind.CODE_ACCEPTED]


def test_the_admin_login_asks_a_superuser_for_the_code(client, superuser):
    device = turn_on(superuser)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "root-pass-1", "next": "/admin/"},
    )
    assert response.url == "/admin/"
    assert client.get("/admin/").url == f"{VERIFY}?next=/admin/"
    assert client.get("/admin/measures/agency/").status_code == 302
    assert client.post(VERIFY, {"code": code_for(device), "next": "/admin/"}).url == "/admin/"
    assert "ผู้ดูแล" in client.get("/admin/").content.decode()


def test_a_user_without_two_factor_signs_in_with_the_password_alone(client, coordinator):
    assert log_in(client, "coordinator").url == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get(VERIFY + "?next=/staff/2568/").url == "/staff/2568/"


def test_public_pages_stay_public(client, demo_report):
    assert client.get("/mueang-phalai/2568/").status_code == 200


def test_a_session_signed_in_before_two_factor_was_on_must_type_the_code(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/staff/").status_code == 200
    turn_on(coordinator)
    assert client.get("/staff/").url == f"{VERIFY}?next=/staff/"


def test_a_half_signed_in_user_may_still_log_out(client, coordinator):
    turn_on(coordinator)
    log_in(client, "coordinator")
    assert client.post("/accounts/logout/").url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_plain_staff_are_not_offered_two_factor(client, staff_palad):
    client.force_login(staff_palad)
    assert client.get(PAGE).status_code == 403
    assert client.post(SETUP).status_code == 403
    assert client.post(OFF).status_code == 403
    assert not TOTPDevice.objects.filter(user=staff_palad).exists()
    assert PAGE not in client.get("/staff/").content.decode()
    assert PAGE not in client.get("/accounts/password_change/").content.decode()


def test_coordinators_and_superusers_find_the_offer(client, coordinator, superuser):
    client.force_login(coordinator)
    assert PAGE in client.get("/staff/").content.decode()
    assert PAGE in client.get("/accounts/password_change/").content.decode()
    client.force_login(superuser)
    assert PAGE in client.get("/accounts/password_change/").content.decode()
    assert client.get(PAGE).status_code == 200


def test_a_code_once_used_is_refused_the_second_time(client, coordinator):
    device = turn_on(coordinator)
    code = code_for(device)
    log_in(client, "coordinator")
    assert client.post(VERIFY, {"code": code}).url == "/staff/"
    client.post("/accounts/logout/")
    log_in(client, "coordinator")
    assert WRONG_CODE in client.post(VERIFY, {"code": code}).content.decode()
    assert client.get("/staff/").status_code == 302


def test_wrong_codes_are_throttled(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = turn_on(coordinator)
    log_in(client, "coordinator")
    assert WRONG_CODE in client.post(VERIFY, {"code": wrong_code(device)}).content.decode()

    refused = client.post(VERIFY, {"code": code_for(device)})
    assert refused.status_code == 200
    assert "ใส่รหัสผิดหลายครั้งเกินไป" in refused.content.decode()
    assert client.get("/staff/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(minutes=2)
    device.save()
    assert client.post(VERIFY, {"code": code_for(device)}).url == "/staff/"
    assert events(coordinator) == [
        SignInEvent.Kind.LOGGED_IN,
        SignInEvent.Kind.CODE_REFUSED,
        SignInEvent.Kind.CODE_REFUSED,
        SignInEvent.Kind.CODE_ACCEPTED,
    ]


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]
)
def test_the_code_form_refuses_to_send_the_user_to_another_site(client, coordinator, target):
    device = turn_on(coordinator)
    log_in(client, "coordinator")
    assert target not in client.get(VERIFY, {"next": target}).content.decode()
    response = client.post(VERIFY + "?next=" + target, {"code": code_for(device), "next": target})
    assert response.url == "/staff/"


@pytest.mark.parametrize("proof", ["code", "password"])
def test_turning_two_factor_off_takes_a_code_or_the_password(client, coordinator, proof):
    device = turn_on(coordinator)
    log_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})

    refused = client.post(OFF, {"proof": "not-my-password"})
    assert "ไม่ใช่ทั้งรหัสจากแอปและรหัสผ่านของคุณ" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=coordinator).exists()

    typed = code_for(device, 1) if proof == "code" else "coordinator-pass-1"
    response = client.post(OFF, {"proof": typed}, follow=True)
    assert "ปิดการยืนยันตัวตนสองขั้นตอนแล้ว" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert events(coordinator)[-1] == SignInEvent.Kind.TWO_FACTOR_OFF
    client.post("/accounts/logout/")
    log_in(client, "coordinator")
    assert client.get("/staff/").status_code == 200


def test_a_coordinator_moved_to_another_role_can_still_turn_it_off(client, coordinator):
    device = turn_on(coordinator)
    coordinator.memberships.update(role="division_staff")
    log_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(PAGE).status_code == 200
    client.post(OFF, {"proof": "coordinator-pass-1"})
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert client.get(PAGE).status_code == 403


def test_the_people_page_shows_who_has_two_factor_on(client, coordinator, staff_palad):
    device = turn_on(coordinator)
    log_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})
    rows = re.findall(r"<tr>.*?</tr>", client.get("/staff/people/").content.decode(), re.S)
    mine = next(row for row in rows if "(coordinator)" in row)
    theirs = next(row for row in rows if "(staff_palad)" in row)
    assert "เปิดใช้" in mine
    assert "เปิดใช้" not in theirs


@pytest.mark.parametrize("url", [PAGE, SETUP, OFF, VERIFY])
def test_every_two_factor_post_needs_the_csrf_token(settings, client, coordinator, url):
    settings.CSRF_FAILURE_VIEW = "tests.test_security.csrf_refused"
    device = turn_on(coordinator)
    client.handler.enforce_csrf_checks = True
    if url == VERIFY:
        client.force_login(coordinator)
    else:
        client.get("/accounts/login/")
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        client.force_login(coordinator)
        client.post(VERIFY, {"code": code_for(device)}, HTTP_X_CSRFTOKEN=token)
        assert client.get("/staff/").status_code == 200
    response = client.post(url, {"code": code_for(device, 1), "proof": "coordinator-pass-1"})
    assert response.status_code == 403
    assert response.content == CSRF_REFUSED
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1


@pytest.mark.browser
def test_a_coordinator_turns_it_on_and_signs_in_with_a_code(page, coordinator):
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("coordinator")
    page.get_by_label("รหัสผ่าน").fill("coordinator-pass-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("link", name="การยืนยันตัวตนสองขั้นตอน").click()
    page.get_by_role("button", name="ตั้งค่าการยืนยันตัวตนสองขั้นตอน").click()
    assert page.get_by_role("img", name="คิวอาร์โค้ด").is_visible()
    device = TOTPDevice.objects.get(user=coordinator)
    page.get_by_label("รหัสหกหลัก").fill(code_for(device))
    page.get_by_role("button", name="เปิดใช้").click()
    page.get_by_text("การยืนยันตัวตนสองขั้นตอนเปิดอยู่").wait_for()
    log_out(page)

    page.get_by_label("ชื่อผู้ใช้").fill("coordinator")
    page.get_by_label("รหัสผ่าน").fill("coordinator-pass-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_label("รหัสหกหลัก").fill(code_for(device, 1))
    page.get_by_role("button", name="ดำเนินการต่อ").click()
    page.wait_for_url("**/staff/")
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in page.content()
