from django.core import mail

from measures.models import OutboxMessage
from tests.mail_helpers import deliver_queued, link_in


def test_the_login_page_is_in_thai(client, db):
    content = client.get("/accounts/login/").content.decode()
    assert "เข้าสู่ระบบ" in content
    assert "ลืมรหัสผ่าน?" in content


def test_logging_in_leads_to_the_dashboard(client, coordinator):
    response = client.post(
        "/accounts/login/", {"username": "coordinator", "password": "coordinator-pass-1"}
    )
    assert response.url == "/staff/"
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in client.get("/staff/").content.decode()


def test_a_wrong_password_is_refused_in_thai(client, coordinator):
    response = client.post(
        "/accounts/login/", {"username": "coordinator", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "และรหัสผ่านที่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_needs_a_post(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/accounts/logout/")
    assert response.url == "/accounts/login/"
    assert client.get("/staff/").status_code == 302


def test_a_password_reset_sends_a_link_from_the_outbox(client, coordinator):
    response = client.post("/accounts/password_reset/", {"email": "Coordinator@Example.com"})
    assert response.url == "/accounts/password_reset/done/"
    assert mail.outbox == []  # written to the outbox, sent by the worker
    deliver_queued()
    [message] = mail.outbox
    assert message.to == ["coordinator@example.com"]
    assert message.subject == "[พอร์ทัล ITA] ตั้งรหัสผ่านใหม่"
    assert "บัญชี coordinator" in message.body
    form = client.get(link_in(message.body), follow=True)
    assert "รหัสผ่านใหม่" in form.content.decode()
    assert "new_password1" in form.content.decode()


def test_an_unknown_address_gets_no_message_and_the_same_answer(client, coordinator):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.url == "/accounts/password_reset/done/"
    assert not OutboxMessage.objects.exists()


def test_changing_the_password_signs_out_every_other_session(client, coordinator):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(coordinator)
    assert elsewhere.get("/staff/").status_code == 200
    client.force_login(coordinator)

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "coordinator-pass-1",
            "new_password1": "ฤดูฝนปีนี้-2569",
            "new_password2": "ฤดูฝนปีนี้-2569",
        },
    )

    assert response.url == "/accounts/password_change/done/"
    assert client.get("/staff/").status_code == 200  # this session goes on
    assert elsewhere.get("/staff/").status_code == 302  # the other one must sign in again


def test_a_weak_new_password_is_refused_in_thai(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "coordinator-pass-1",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านนี้สั้นเกินไป" in content
    assert "ตัวเลขทั้งหมด" in content
    coordinator.refresh_from_db()
    assert coordinator.check_password("coordinator-pass-1")


def test_a_new_members_bad_username_and_address_are_refused_in_thai(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/staff/people/",
        {"user-username": "สมศรี ใจดี", "user-email": "not-an-address"},
    )
    content = response.content.decode()
    assert "ชื่อผู้ใช้ไม่ถูกต้อง" in content
    assert "ป้อนที่อยู่อีเมลที่ถูกต้อง" in content
