import pytest

from measures.management.commands.load_demo import load_demo
from measures.models import Agency, Report


@pytest.fixture
def demo_report(db) -> Report:
    load_demo()
    return Report.objects.get(agency__slug="mueang-phalai", fiscal_year=2568)


@pytest.fixture
def agency(db) -> Agency:
    agency = Agency.objects.create(
        name="เทศบาลตำบลทดสอบ",
        short_name="ทต.ทดสอบ",
        kind=Agency.Kind.SUBDISTRICT_MUNICIPALITY,
        district="เมือง",
        province="ขอนแก่น",
        slug="thotsop",
    )
    for order, name in enumerate(["สำนักปลัด", "กองคลัง"], start=1):
        agency.divisions.create(name=name, order=order)
    return agency
