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


# Workflow buttons on the dashboard and the confirmation each one shows.
SUBMIT = ("เสนอขออนุมัติ", "เสนอรายงานขออนุมัติแล้ว")
APPROVE = ("อนุมัติรายงาน", "อนุมัติรายงานแล้ว")
PUBLISH = ("เผยแพร่", "เผยแพร่รายงานแล้ว")


def act(page, button, done):
    """Press a workflow button and wait until the page confirms it was done."""
    page.get_by_role("button", name=button).click()
    page.get_by_text(done).wait_for()


def approve(page):
    """The approver signs off the submitted report, then leaves."""
    log_in(page, "approver")
    act(page, *APPROVE)
    log_out(page)
