"""Repeated wrong passwords lock that user out from that address for a while (django-axes)."""

import pytest
from django.test import override_settings

from itaportal.middleware import client_ip

LOGIN = "/admin/login/"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "somchai", password="correct-horse-battery", is_staff=True
    )


def attempt(client, password, username="somchai", address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_five_wrong_passwords_lock_the_account_from_that_address(client, staff_user):
    for _ in range(5):
        assert attempt(client, "wrong").status_code in (200, 429)
    locked = attempt(client, "correct-horse-battery")
    assert locked.status_code == 429
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_does_not_stop_the_same_user_elsewhere_or_other_users(
    client, staff_user, django_user_model
):
    django_user_model.objects.create_user("somsri", password="another-good-pass", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, "another-good-pass", username="somsri").status_code == 302
    client.logout()
    assert attempt(client, "correct-horse-battery", address="198.51.100.9").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, staff_user):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "correct-horse-battery").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "correct-horse-battery").status_code == 302


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_client_address_is_taken_from_the_trusted_proxy_only(rf):
    behind_proxy = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(behind_proxy) == "203.0.113.7"
    direct = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(direct) == "198.51.100.1"
