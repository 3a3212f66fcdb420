from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.analysis import analysis_document, analysis_drafts
from measures.management.commands.import_report_text import import_report_file
from measures.models import (
    Agency,
    HandIn,
    Indicator,
    IndicatorScore,
    ItaResult,
    Membership,
    Publication,
    Report,
)
from measures.plan import plan_approve, plan_publish
from measures.workflow import report_publish

DEMO_REPORT = Path(__file__).resolve().parents[2] / "demo" / "report-2568.txt"
DEMO_YEAR = 2568
DEMO_AGENCY = {
    "name": "องค์การบริหารส่วนตำบลเมืองพะไล",
    "short_name": "อบต.เมืองพะไล",
    "kind": Agency.Kind.SAO.value,
    "district": "บัวลาย",
    "province": "นครราชสีมา",
    "slug": "mueang-phalai",
}
DEMO_DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ"]
# The two levels the demo report itself states (indicators 9 and 10); its other citations are
# changes from a previous year whose scores the report does not give.
DEMO_SCORES = {9: "90.00", 10: "92.50"}
# The two years before, for the 2568 plan's analysis of the 2567 result (illustrative figures:
# indicator 8 far below the pass mark, which the seed's measure 3 answers and whose 2568 score
# rose 34.33; the parts are the means of their indicators and give the overall score).
DEMO_HISTORY = {
    2566: [96.10, 94.30, 95.50, 90.12, 93.80, 89.02, 84.10, 55.40, 80.00, 78.75],
    2567: [97.52, 93.10, 96.88, 92.45, 95.20, 88.64, 86.73, 62.17, 86.67, 81.25],
}
DEMO_RESULTS = {
    2566: {"overall": "82.79", "iit": "93.96", "eit": "76.17", "oit": "79.38"},
    2567: {"overall": "85.85", "iit": "95.03", "eit": "79.18", "oit": "83.96"},
}
# The plan's budgets in baht (illustrative); None: the measure uses no budget.
DEMO_BUDGETS = {1: None, 2: "5000", 3: None, 4: "12000", 5: None, 6: "3500"}
DEMO_HEAD = ("นายก อบต.เมืองพะไล", "นายกองค์การบริหารส่วนตำบลเมืองพะไล")
DEMO_SUPERUSER = ("demo", "demo-ita-2568")
# Local demo staff of the demo agency, one per role, with the superuser's password.
DEMO_MEMBERS = [
    ("demo-coordinator", Membership.Role.COORDINATOR, [], "ผู้ประสานงาน ITA"),
    ("demo-palad", Membership.Role.DIVISION_STAFF, ["สำนักปลัด"], "เจ้าหน้าที่สำนักปลัด"),
    ("demo-approver", Membership.Role.APPROVER, [], "นายก อบต.เมืองพะไล"),
]


class Command(BaseCommand):
    help = (
        "Create the demo agency อบต.เมืองพะไล with its published 2568 measures plan and report "
        "(idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="also create a local demo superuser (only when DEBUG is on)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="import the demo report again over any edits"
        )

    def handle(self, *args, superuser, reset, **options):
        created = load_demo(reset=reset)
        self.stdout.write(
            _("Demo report loaded.")
            if created
            else _("The demo report is already there (use --reset to load it again).")
        )
        if superuser:
            self.create_demo_superuser()

    def create_demo_superuser(self):
        if not settings.DEBUG:
            raise CommandError(_("The demo superuser is only for a local demo with DEBUG on."))
        username, password = DEMO_SUPERUSER
        self.demo_user(username, password, is_staff=True, is_superuser=True)
        self.stdout.write(
            _("Local demo superuser: username %(username)s, password %(password)s")
            % {"username": username, "password": password}
        )
        agency = Agency.objects.get(slug=DEMO_AGENCY["slug"])
        for username, role, divisions, full_name in DEMO_MEMBERS:
            user = self.demo_user(username, password, first_name=full_name)
            membership, _created = Membership.objects.update_or_create(
                user=user, defaults={"agency": agency, "role": role, "position": full_name}
            )
            membership.divisions.set(agency.divisions.filter(name__in=divisions))
            self.stdout.write(
                _("Local demo %(role)s: username %(username)s, password %(password)s")
                % {
                    "role": membership.get_role_display(),
                    "username": username,
                    "password": password,
                }
            )

    @staticmethod
    def demo_user(username, password, **fields):
        user, _created = get_user_model().objects.update_or_create(
            username=username, defaults=fields
        )
        user.set_password(password)
        user.save()
        return user


@transaction.atomic
def load_demo(*, reset: bool = False, plan: bool = True) -> bool:
    """Create the demo agency with its published 2568 report and (``plan``) its plan; False if
    it was already there."""
    agency, _created = Agency.objects.update_or_create(
        slug=DEMO_AGENCY["slug"], defaults=DEMO_AGENCY
    )
    for order, name in enumerate(DEMO_DIVISIONS, start=1):
        agency.divisions.update_or_create(name=name, defaults={"order": order})
    for number, score in DEMO_SCORES.items():
        IndicatorScore.objects.get_or_create(
            agency=agency,
            fiscal_year=DEMO_YEAR,
            indicator=Indicator.objects.get(number=number),
            defaults={"score": score},
        )
    report = Report.objects.filter(agency=agency, fiscal_year=DEMO_YEAR).first()
    if report and report.measures.exists() and not reset:
        return False
    report = import_report_file(DEMO_REPORT, agency_slug=agency.slug, year=DEMO_YEAR)
    if plan:
        # The year's plan first, as the agency published it at the start of the year.
        load_demo_plan(report)
    # The seed is published as it was, typos and all: the review page shows what it found.
    report_publish(report=report, acknowledge_warnings=True)
    # Every division had handed in its part of the published year.
    for division in report.responsible_divisions():
        HandIn.objects.get_or_create(
            report=report, division=division, defaults={"at": timezone.now()}
        )
    return True


def load_demo_plan(report: Report) -> Publication:
    """The demo year's plan, approved and published: the 2566–2567 scores and results its
    analysis reads, the analysis drafted from them, and the measures' budgets."""
    agency = report.agency
    indicators = {indicator.number: indicator for indicator in Indicator.objects.all()}
    for year, scores in DEMO_HISTORY.items():
        for number, score in enumerate(scores, start=1):
            IndicatorScore.objects.get_or_create(
                agency=agency,
                fiscal_year=year,
                indicator=indicators[number],
                defaults={"score": Decimal(f"{score:.2f}")},
            )
    for year, result in DEMO_RESULTS.items():
        ItaResult.objects.get_or_create(agency=agency, fiscal_year=year, defaults=result)
    for number, budget in DEMO_BUDGETS.items():
        report.measures.filter(number=number).update(budget=budget)
    urgent, improve = analysis_drafts(analysis_document(report))
    Report.objects.filter(pk=report.pk).update(analysis_urgent=urgent, analysis_improve=improve)
    name, position = DEMO_HEAD
    plan_approve(report=report, by=None, name=name, position=position)
    return plan_publish(report=report, by=None)
