"""The report as a PDF: a document in, ``(filename, mimetype, bytes)`` out.

The document is a publication's frozen ``document`` (or a draft's live one); the layout is the
public page's template under the print stylesheet, so that page and PDF never disagree.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

MIMETYPE = "application/pdf"
STYLESHEET = "css/report-print.css"
# WeasyPrint's default font subsetting was seen to garble another Thai font. With the vendored
# Sarabun the subset pages are pixel-identical to full-font ones and the file is a third of the
# size (tests/test_report_pdf.py keeps checking it), so the subset wins.
FULL_FONTS = False


def report_pdf_filename(document: dict, *, draft: bool = False) -> str:
    """ "รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล.pdf" (the year as the URL writes it)."""
    with translation.override("th"):
        parts = [_("ITA-report"), str(document["fiscal_year"]), document["agency"]["short_name"]]
        if draft:
            parts.append(_("draft"))
    return "-".join(part.replace(" ", "") for part in parts) + ".pdf"


def render_report_pdf(document: dict, *, draft: bool = False) -> tuple[str, str, bytes]:
    """Render the report in Thai on A4 landscape; a draft carries a watermark on every page."""
    with translation.override("th"):
        html = render_to_string("reports/report_pdf.html", {"document": document, "draft": draft})
        fonts = FontConfiguration()
        pdf = HTML(string=html).write_pdf(
            stylesheets=[CSS(filename=finders.find(STYLESHEET), font_config=fonts)],
            font_config=fonts,
            full_fonts=FULL_FONTS,
        )
    return report_pdf_filename(document, draft=draft), MIMETYPE, pdf
