"""A national agency (no province): its cover names no province, on the page and in the PDF."""

import subprocess

from django.utils import translation

from measures.models import Agency
from reports.pdf import render_report_pdf
from reports.rendering import report_fragment

NATIONAL = {"name": "กรมบัญชีกลาง", "short_name": "กรมบัญชีกลาง", "district": "", "province": ""}


def national_document(demo_report, kind="report") -> dict:
    document = demo_report.latest_publication(kind).document
    return {**document, "agency": {**document["agency"], **NATIONAL}, "scores": []}


def test_a_national_agency_needs_no_province(db):
    agency = Agency(kind=Agency.Kind.GOVERNMENT, slug="cgd", **NATIONAL)
    agency.full_clean()


def test_its_page_names_no_province(demo_report):
    with translation.override("th"):
        html = report_fragment(national_document(demo_report))
    assert "กรมบัญชีกลาง" in html
    assert "จังหวัด" not in html
    assert "report-place" not in html


def test_its_plan_names_no_province(demo_plan):
    with translation.override("th"):
        html = report_fragment(national_document(demo_plan, "plan"))
    assert "กรมบัญชีกลาง" in html
    assert "จังหวัด" not in html
    assert "report-place" not in html


def test_its_pdf_cover_names_no_province(demo_report):
    pdf = render_report_pdf(national_document(demo_report))[2]
    first_page = subprocess.run(
        ["pdftotext", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "กรมบัญชีกลาง" in first_page
    assert "จังหวัด" not in first_page
