import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import OitItem, OitList


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "root-pass-1")
    client.force_login(user)
    return client


def test_the_documented_years_are_seeded_with_their_confidence_and_source(demo_report):
    lists = {oit_list.year: oit_list for oit_list in OitList.objects.all()}
    assert sorted(lists) == [2564, 2565, 2566, 2567, 2568, 2569]
    assert lists[2564].confidence == "confirmed"
    assert lists[2564].items.count() == 43
    assert lists[2569].confidence == "low"
    assert "rtrdasmartrailway" in lists[2568].source
    o42 = OitItem.objects.get(oit_list__year=2566, code="O42")
    assert o42.satisfied_by == "plan"
    assert o42.group == "10.2 มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    assert OitItem.objects.get(oit_list__year=2567, code="O37").satisfied_by == "report"
    # 2569's O26 is the report on the previous fiscal year.
    assert OitItem.objects.get(oit_list__year=2569, code="O26").document_year == 2568
    report_2568 = OitItem.objects.get(oit_list__year=2568, satisfied_by="report")
    assert report_2568.code == ""


def test_the_admin_copies_a_years_list_to_the_next_and_edits_it(admin_client, demo_report):
    source = OitList.objects.get(year=2569)
    response = admin_client.post(
        reverse("admin:measures_oitlist_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "OIT ๒๕๗๐" in response.content.decode()
    copy = OitList.objects.get(year=2570)
    assert list(copy.items.values_list("code", "title", "satisfied_by")) == list(
        source.items.values_list("code", "title", "satisfied_by")
    )
    assert copy.confidence == "low"
    assert "๒๕๖๙" in copy.source

    again = admin_client.post(
        reverse("admin:measures_oitlist_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "๒๕๗๐ มีอยู่แล้ว" in again.content.decode()
    page = admin_client.get(reverse("admin:measures_oitlist_change", args=[copy.pk]))
    assert "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_seeded_lists_come_back_after_a_flush_and_edits_stay_on_migrate():
    call_command("flush", interactive=False, verbosity=0)
    assert OitList.objects.count() == 6
    OitItem.objects.filter(oit_list__year=2568, code="O1").update(title="แก้ในผู้ดูแล")
    call_command("migrate", verbosity=0)
    assert OitItem.objects.get(oit_list__year=2568, code="O1").title == "แก้ในผู้ดูแล"
