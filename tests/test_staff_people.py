from django.contrib.auth import get_user_model
from django.core import mail

from measures.models import Division, Membership
from tests.mail_helpers import deliver_queued, link_in
from tests.pdf_checks import poppler_text


def new_member(**overrides):
    data = {
        "user-username": "newcomer",
        "user-first_name": "สมหญิง",
        "user-last_name": "มาใหม่",
        "user-email": "newcomer@example.com",
        "member-role": "division_staff",
        "member-position": "นักวิชาการเงินและบัญชี",
        "member-divisions": [],
    }
    data.update(overrides)
    return data


def test_the_coordinator_invites_a_person_who_sets_a_password_and_logs_in(
    client, coordinator, demo_report
):
    finance = demo_report.agency.divisions.get(name="กองคลัง")
    client.force_login(coordinator)
    response = client.post(
        "/staff/people/", new_member(**{"member-divisions": [finance.pk]}), follow=True
    )
    assert "ส่งคำเชิญให้ตั้งรหัสผ่านไปที่ newcomer@example.com" in response.content.decode()
    membership = Membership.objects.get(user__username="newcomer")
    assert membership.agency == demo_report.agency
    assert list(membership.divisions.all()) == [finance]
    assert not membership.user.has_usable_password()
    assert mail.outbox == []
    deliver_queued()
    [invitation] = mail.outbox
    assert invitation.to == ["newcomer@example.com"]
    assert invitation.subject == "[อบต.เมืองพะไล] คำเชิญเข้าใช้พอร์ทัล ITA"
    assert "สมศรี ประสานงาน เพิ่มท่านเข้าสู่อบต.เมืองพะไล" in invitation.body
    assert "ชื่อผู้ใช้ของท่านคือ newcomer" in invitation.body

    client.logout()
    form = client.get(link_in(invitation.body), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-pass-2568", "new_password2": "a-long-pass-2568"},
    )
    response = client.post(
        "/accounts/login/", {"username": "newcomer", "password": "a-long-pass-2568"}
    )
    assert response.url == "/staff/"


def test_the_coordinator_sends_a_new_invitation(client, coordinator, staff_finance):
    membership = staff_finance.memberships.get()
    client.force_login(coordinator)
    page = client.get(f"/staff/people/{membership.pk}/").content.decode()
    assert "ส่งคำเชิญใหม่ไปที่ staff_finance@example.com" in page
    client.post(f"/staff/people/{membership.pk}/", {"invite": "1"})
    deliver_queued()
    assert [m.to for m in mail.outbox] == [["staff_finance@example.com"]]
    membership.refresh_from_db()
    assert membership.role == "division_staff"


def test_an_address_taken_by_another_account_is_refused(client, coordinator, demo_report):
    client.force_login(coordinator)
    content = client.post(
        "/staff/people/", new_member(**{"user-email": "STAFF@example.com"})
    ).content.decode()
    assert "มีบัญชีอื่นใช้อีเมลนี้แล้ว" not in content
    content = client.post(
        "/staff/people/", new_member(**{"user-email": "Coordinator@example.com"})
    ).content.decode()
    assert "มีบัญชีอื่นใช้อีเมลนี้แล้ว" in content


def test_division_staff_need_a_division_and_typed_values_are_kept(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post("/staff/people/", new_member())
    content = response.content.decode()
    assert "เจ้าหน้าที่ส่วนราชการต้องสังกัดอย่างน้อยหนึ่งส่วนราชการ" in content
    assert 'value="นักวิชาการเงินและบัญชี"' in content
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_division_of_another_agency_cannot_be_given(client, coordinator, agency):
    client.force_login(coordinator)
    foreign = agency.divisions.first()
    client.post("/staff/people/", new_member(**{"member-divisions": [foreign.pk]}))
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_the_coordinator_changes_a_role(client, coordinator, staff_finance):
    membership = staff_finance.memberships.get()
    client.force_login(coordinator)
    client.post(f"/staff/people/{membership.pk}/", {"role": "approver", "position": "ปลัด"})
    membership.refresh_from_db()
    assert (membership.role, membership.position) == ("approver", "ปลัด")


def test_a_removed_person_loses_access_but_keeps_their_name_in_history(
    client, coordinator, staff_finance
):
    membership = staff_finance.memberships.get()
    client.force_login(coordinator)
    client.post(f"/staff/people/{membership.pk}/", {"remove": "1"})
    staff_finance.refresh_from_db()
    assert not staff_finance.is_active
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_coordinator_cannot_remove_themselves(client, coordinator):
    client.force_login(coordinator)
    membership = coordinator.memberships.get()
    client.post(f"/staff/people/{membership.pk}/", {"remove": "1"})
    assert Membership.objects.filter(pk=membership.pk).exists()


def divisions_data(agency, rows):
    divisions = list(agency.divisions.all())
    data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(divisions)}
    for i, row in enumerate(rows):
        if i < len(divisions):
            data[f"form-{i}-id"] = divisions[i].pk
        data.update({f"form-{i}-{key}": value for key, value in row.items()})
    return data


def test_divisions_are_added_and_renamed(client, coordinator, demo_report):
    agency = demo_report.agency
    client.force_login(coordinator)
    rows = [{"name": d.name, "order": d.order} for d in agency.divisions.all()]
    rows[3]["name"] = "กองการศึกษา ศาสนาและวัฒนธรรม"
    rows.append({"name": "กองสาธารณสุขและสิ่งแวดล้อม", "order": 5})
    assert client.post("/staff/divisions/", divisions_data(agency, rows)).status_code == 302
    assert list(agency.divisions.values_list("name", flat=True)) == [
        "สำนักปลัด",
        "กองคลัง",
        "กองช่าง",
        "กองการศึกษา ศาสนาและวัฒนธรรม",
        "กองสาธารณสุขและสิ่งแวดล้อม",
    ]


def test_a_division_with_measures_is_not_deleted_and_names_stay_unique(
    client, coordinator, demo_report
):
    agency = demo_report.agency
    client.force_login(coordinator)
    rows = [{"name": d.name, "order": d.order} for d in agency.divisions.all()]
    rows[1]["DELETE"] = "on"
    response = client.post("/staff/divisions/", divisions_data(agency, rows))
    assert "“กองคลัง” รับผิดชอบมาตรการอยู่" in response.content.decode()
    rows[1].pop("DELETE")
    rows.append({"name": "กองคลัง", "order": 9})
    response = client.post("/staff/divisions/", divisions_data(agency, rows))
    assert "ชื่อส่วนราชการซ้ำกัน" in response.content.decode()
    assert Division.objects.filter(agency=agency).count() == 4


def test_the_coordinator_sets_who_signs_the_printed_report(client, coordinator, demo_report):
    client.force_login(coordinator)
    page = client.get("/staff/sign-off/").content.decode()
    assert "ผู้จัดทำ, ผู้ตรวจ, ผู้อนุมัติ" in page

    lines = "  หัวหน้าสำนักปลัด \n\nปลัด อบต.\nนายก อบต.เมืองพะไล"
    assert client.post("/staff/sign-off/", {"sign_off_lines": lines}).status_code == 302

    demo_report.agency.refresh_from_db()
    assert demo_report.agency.sign_off_lines == "หัวหน้าสำนักปลัด\nปลัด อบต.\nนายก อบต.เมืองพะไล"
    pdf = client.get(f"/{demo_report.agency.slug}/2568/report.pdf").content
    text = poppler_text(pdf, "-raw")
    assert "ลงชื่อ\n(หัวหน้าสำนักปลัด)\nลงชื่อ\n(ปลัด อบต.)\nลงชื่อ\n(นายก อบต.เมืองพะไล)" in text
    assert "(ผู้จัดทำ)" not in text


def test_too_many_signatures_are_refused_in_thai(client, coordinator, demo_report):
    client.force_login(coordinator)
    response = client.post("/staff/sign-off/", {"sign_off_lines": "\n".join("ก" * 7)})
    assert "ลงชื่อท้ายรายงานได้ไม่เกิน 6 ตำแหน่ง" in response.content.decode()
    demo_report.agency.refresh_from_db()
    assert demo_report.agency.sign_off_lines == ""


def test_only_the_coordinator_sets_the_signatures(client, staff_finance, demo_report):
    client.force_login(staff_finance)
    assert client.get("/staff/sign-off/").status_code == 403
    assert client.post("/staff/sign-off/", {"sign_off_lines": "x"}).status_code == 403
    demo_report.agency.refresh_from_db()
    assert demo_report.agency.sign_off_lines == ""
