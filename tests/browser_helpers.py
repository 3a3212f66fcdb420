"""Steps that staff journeys in the browser share: logging the named actors in and out."""


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(f"{username}-pass-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/staff/**")


def log_out(page):
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url("**/accounts/login/**")


# Workflow steps: the dashboard's link, the confirming button on the page it opens, and what
# the dashboard says once it is done.
SUBMIT = ("เสนอขออนุมัติ", "ยืนยัน เสนอขออนุมัติ", "เสนอรายงานขออนุมัติแล้ว")
APPROVE = ("อนุมัติรายงาน", "ยืนยัน อนุมัติรายงาน", "อนุมัติรายงานแล้ว")
PUBLISH = ("เผยแพร่", "ยืนยัน เผยแพร่รายงาน", "เผยแพร่รายงานแล้ว")


def act(page, link, confirm, done, on_page=None, **fields):
    """Open a workflow step from the dashboard, look at its confirmation page (``on_page()``),
    fill it (label → text), confirm it and wait until the dashboard says it was done."""
    page.get_by_role("link", name=link, exact=True).click()
    if on_page is not None:
        on_page()
    for label, text in fields.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name=confirm).click()
    page.get_by_text(done).first.wait_for()


def approve(page):
    """The approver signs off the submitted report, then leaves."""
    log_in(page, "approver")
    act(page, *APPROVE)
    log_out(page)
