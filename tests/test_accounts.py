from django.core import mail


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


def test_a_password_reset_sends_a_link(client, coordinator):
    response = client.post("/accounts/password_reset/", {"email": "coordinator@example.com"})
    assert response.url == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
