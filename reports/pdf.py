"""The report as a PDF: a document in, ``(filename, mimetype, bytes)`` out.

The document is a publication's frozen ``document`` (or a draft's live one); the layout is the
public page's template under the print stylesheet, so that page and PDF never disagree. Both
PDFs go through reports.pdf_text, whose text layer copies Thai out exactly: the public one is
tagged PDF/UA-1 for screen readers, the archival one is PDF/A-3a with the report's open data
attached (WeasyPrint writes one variant per file).
"""

import gc
import threading
import zlib
from contextlib import contextmanager
from decimal import Decimal
from functools import cache

import pydyf
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from measures import thai
from reports import pdf_parts
from reports.pdf_text import ARCHIVAL, PUBLIC, lay_out, report_data_attachment, write, write_pdf

MIMETYPE = "application/pdf"
STYLESHEET = "css/report-print.css"
# Fonts are subset (WeasyPrint's default, which pdf_text.write_pdf keeps): it was seen to garble
# another Thai font, but with the vendored Sarabun the pages are pixel-identical to full-font
# ones at a third of the size (tests/test_report_pdf.py keeps checking it).

# The table's geometry in report-print.css: A4 landscape (297 mm) less 12 mm side margins, 13 pt
# text, 4 pt padding either side and a 0.75 pt border.
TABLE_WIDTH_PT = (297 - 2 * 12) * 72 / 25.4
TABLE_FONT_PT = 13
CELL_EXTRA_PT = 2 * 4 + 0.75 + 2  # padding, border and room for rounding
# The tables' columns (their keys in a measure of the document) and headers, as in
# templates/reports/_report.html (the first six) and _plan.html; four hold running text.
COLUMN_HEADERS = {
    "title": gettext_noop("Measure, project or activity"),
    "methods": gettext_noop("Method"),
    "period": gettext_noop("Period"),
    "divisions": gettext_noop("Responsible"),
    "results": gettext_noop("Results"),
    "outcomes": gettext_noop("Outcomes or achievements"),
    "budget": gettext_noop("Budget"),
    "indicators": gettext_noop("Target indicators"),
}
REPORT_COLUMNS = ("title", "methods", "period", "divisions", "results", "outcomes")
TEXT_COLUMNS = ("title", "methods", "results", "outcomes")
PLAN_COLUMNS = ("title", "methods", "period", "divisions", "budget", "indicators")
PLAN_TEXT_COLUMNS = ("title", "methods")
# A column no measure fills (a plan has no results yet) is as narrow as its header set in this
# many lines (a Thai header wraps between words), but not narrower than a long Thai word
# ("ดำเนินการ"), and leaves its width to the others.
EMPTY_COLUMN_HEADER_LINES = 3
EMPTY_COLUMN_MIN_PT = 4 * TABLE_FONT_PT
# A longer report is laid out this many measures at a time and the parts joined
# (reports/pdf_parts.py): a render's memory then grows with a part, not with the report.
PART_MEASURES = 100
# The parts are laid out without the footer, which needs the page count; the footers are laid
# out on their own, on as many empty pages.
WITHOUT_FOOTER = "@page { @bottom-center { content: none } }"
FOOTER_PAGES = '<html lang="th"><style>div + div {{ break-before: page }}</style>{}</html>'


@cache
def _advances(font: str) -> tuple[dict[int, str], object]:
    ttf = TTFont(finders.find(f"fonts/{font}.ttf"))
    return ttf.getBestCmap(), ttf["hmtx"], ttf["head"].unitsPerEm


def text_width(text: str, *, font: str = "Sarabun-Regular", size: float = TABLE_FONT_PT) -> float:
    """Width in pt of one line of ``text``; Thai marks have no advance, so no shaping is needed."""
    cmap, hmtx, units = _advances(font)
    return sum(hmtx[cmap[ord(char)]][0] for char in text if ord(char) in cmap) * size / units


def column_widths(document: dict) -> dict[str, float]:
    """The six columns' widths in pt, for a fixed table layout (auto layout is twice as slow).

    The period and the divisions never wrap, so their columns are as wide as their longest
    text (or header). A column of running text that no measure fills is narrow (its header
    in a few lines); those that some measure fills share the rest equally, so that the
    measures' titles are never squeezed by columns left empty.
    """
    measures = document["measures"]
    plan = document.get("kind") == "plan"
    with translation.override("th"):
        headers = {column: _(header) for column, header in COLUMN_HEADERS.items()}
        budgets = [text_width(thai.budget_text(_amount(m["budget"]))) for m in measures if plan]
        indicators = [
            text_width(_indicator_text(n)) for m in measures if plan for n in m["indicators"]
        ]

    def header_width(column: str) -> float:
        return text_width(headers[column], font="Sarabun-Bold")

    def narrow(column: str) -> float:
        return max(header_width(column) / EMPTY_COLUMN_HEADER_LINES, EMPTY_COLUMN_MIN_PT)

    periods = [text_width(thai.format_period(**m["period"])) for m in measures if m["period"]]
    divisions = [text_width(d) for m in measures for d in m["divisions"]]
    widths = {
        "period": max([*periods, narrow("period")]),
        "divisions": max([*divisions, header_width("divisions")]),
    }
    # The plan has no results yet: its budgets and target indicators, which never wrap, instead.
    columns, text_columns = (
        (PLAN_COLUMNS, PLAN_TEXT_COLUMNS) if plan else (REPORT_COLUMNS, TEXT_COLUMNS)
    )
    if plan:
        widths["budget"] = max([*budgets, header_width("budget")])
        widths["indicators"] = max([*indicators, header_width("indicators")])
    # The titles' column always takes a share, even of a report with no measures yet.
    filled = [c for c in text_columns if c == "title" or any(m[c] for m in measures)]
    widths |= {column: narrow(column) for column in text_columns if column not in filled}
    widths = {column: width + CELL_EXTRA_PT for column, width in widths.items()}
    rest = TABLE_WIDTH_PT - sum(widths.values())
    widths |= {column: rest / len(filled) for column in filled}
    return {column: widths[column] for column in columns}


def _indicator_text(number: int) -> str:
    with translation.override("th"):
        return _("Indicator %(n)s") % {"n": thai.thai_digits(number)}


def _amount(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def body_template(document: dict) -> str:
    """The body the page and the PDF share: the report's, or the plan's for a plan document."""
    return "reports/_plan.html" if document.get("kind") == "plan" else "reports/_report.html"


def report_pdf_filename(document: dict, *, draft: bool = False, archival: bool = False) -> str:
    """ "รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล.pdf" (the year as the URL writes it); a
    plan's "มาตรการ-ITA-2568-…"."""
    with translation.override("th"):
        name = _("ITA-plan") if document.get("kind") == "plan" else _("ITA-report")
        parts = [name, str(document["fiscal_year"]), document["agency"]["short_name"]]
        if draft:
            parts.append(_("draft"))
        if archival:
            parts.append(_("archival"))
    return "-".join(part.replace(" ", "") for part in parts) + ".pdf"


def signature_lines(document: dict) -> list[dict]:
    """The sign-off's signature lines: ``{"role": …, "approval": …}`` for each role the agency
    names (the document's "sign_off"). The approval, once given, fills the approver's line (the
    role named "Approved by", else the last) with the approver's name, position and date, so
    that the approver appears once, on the line they sign."""
    roles = document.get("sign_off") or []
    with translation.override("th"):
        approver = _("Approved by")
    approval = document.get("approval")
    filled = roles.index(approver) if approver in roles else len(roles) - 1
    return [
        {"role": role, "approval": approval if index == filled else None}
        for index, role in enumerate(roles)
    ]


def report_pdf_html(document: dict, *, draft: bool, widths=None, part=(True, True)) -> str:
    """The PDF's HTML, in Thai; it goes with :func:`report_stylesheet`. For a part of a long
    report, ``widths`` are the whole report's and ``part`` says whether the part is the first
    (with the heading) and the last (with the scores and the sign-off)."""
    first, last = part
    with translation.override("th"):
        context = {
            "document": document,
            "draft": draft,
            "widths": widths or column_widths(document),
            "omit_head": not first,
            "omit_tail": not last,
            "body_template": body_template(document),
            # The signature lines take the approval in: the body then prints no sign-off of its own.
            "signatures": signature_lines(document),
            "for_print": True,
        }
        return render_to_string("reports/report_pdf.html", context)


def report_stylesheet(fonts: FontConfiguration) -> CSS:
    return CSS(filename=finders.find(STYLESHEET), font_config=fonts)


_thread_fonts = threading.local()


def _fonts_and_stylesheet() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration and the print stylesheet parsed for it, made once:
    parsing the stylesheet and loading its @font-face fonts took 0.04 s of every render (a
    tenth of the demo report's), and WeasyPrint reads both without changing them. Per thread,
    as Pango's font map is not thread-safe; a changed stylesheet needs a restart, as code does."""
    cached = getattr(_thread_fonts, "value", None)
    if cached is None:
        fonts = FontConfiguration()
        cached = _thread_fonts.value = (fonts, report_stylesheet(fonts))
    return cached


# Three speed-ups of a render, each worth about a tenth of a long report's time (bench/RESULTS.md).
# tests/test_report_pdf.py pins the pydyf lines the first two replace.


def _memoised_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's page references, rebuilt only when a page is added.

    Tagging asks for one page's reference per tagged box and pydyf builds the tuple of all of
    them each time: quadratic in pages, seconds of a few hundred pages' render."""
    count = len(pdf.pages["Kids"])
    memo = getattr(pdf, "_page_references_memo", None)
    if memo is None or memo[0] != count:
        memo = pdf._page_references_memo = (count, _page_references.fget(pdf))
    return memo[1]


class _DefaultLevelZlib:
    """zlib for pydyf, which compresses every stream at level 9: level 6 (zlib's default)
    compresses a report's content streams four times as fast, into 4% more bytes."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION)


_page_references = pydyf.PDF.page_references
pydyf.PDF.page_references = property(_memoised_page_references)
pydyf.zlib = _DefaultLevelZlib


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused during a render: a render makes millions of objects,
    and the collector's rounds over them while they are all in use took a tenth of a
    100-measure render and a quarter of a 500-measure one, freeing nothing. The layout they
    make up is freed as cycles once the render is over (a render in parts collects after each
    part). Concurrent renders leave the collector running once the one that paused it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(document: dict, *, draft: bool, variant: str, attachments=(), progress=None) -> bytes:
    fonts, stylesheet = _fonts_and_stylesheet()
    with _no_cycle_collection():
        if len(document["measures"]) > PART_MEASURES:
            return _write_in_parts(document, draft, variant, attachments, progress)
        return write_pdf(
            HTML(string=report_pdf_html(document, draft=draft)),
            variant=variant,
            attachments=attachments,
            stylesheets=[stylesheet],
            font_config=fonts,
        )


def _write_in_parts(document: dict, draft, variant, attachments, progress) -> bytes:
    """The report laid out :data:`PART_MEASURES` measures at a time, then joined. A part with
    no clean end (no page of it begins with a new measure) is laid out again with twice as
    many measures: then it has one, or it runs to the report's end. ``progress``, if given,
    is called with the number of measures written so far and the report's, after each part."""
    fonts, stylesheet = _fonts_and_stylesheet()
    widths = column_widths(document)
    measures = document["measures"]
    parts, page_count, start, size = [], 0, 0, PART_MEASURES
    while start < len(measures):
        last = len(measures) - start <= size
        html = report_pdf_html(
            {**document, "measures": measures[start : start + size]},
            draft=draft,
            widths=widths,
            part=(start == 0, last),
        )
        part = _write_part(html, variant, attachments=() if parts else attachments, last=last)
        # The part's layout is made of reference cycles and the collector is paused.
        gc.collect()
        if part is None:
            size *= 2
            continue
        pdf, pages, written = part
        parts.append(pdf)
        page_count += pages
        # Only the last part is written whole (written is then None).
        start, size = start + written if written else len(measures), PART_MEASURES
        if progress:
            progress(start, len(measures))
    footers = write_pdf(
        HTML(string=FOOTER_PAGES.format("<div></div>" * page_count)),
        variant=None,
        stylesheets=[stylesheet],
        font_config=fonts,
    )
    return pdf_parts.join(parts, footers)


def _write_part(html: str, variant: str, *, attachments, last: bool):
    """``(pdf, pages, measures)``: one part written up to its clean end (all of it if it is the
    last part, measures then None), and how many pages and measures that is; None if a part
    before the last has no clean end. Its layout is freed on return, before the next part's."""
    fonts, stylesheet = _fonts_and_stylesheet()
    stylesheets = [stylesheet, CSS(string=WITHOUT_FOOTER)]
    laid_out = lay_out(
        HTML(string=html), variant=variant, stylesheets=stylesheets, font_config=fonts
    )
    pages, measures = laid_out.pages, None
    if not last:
        if (end := pdf_parts.clean_end(pages)) is None:
            return None
        pages, measures = pages[: end[0]], end[1]
    pdf = write(laid_out.copy(pages), variant=variant, attachments=attachments)
    return pdf, len(pages), measures


def render_report_pdf(document: dict, *, draft: bool = False, progress=None):
    """``(filename, mimetype, pdf)``: the report in Thai on A4 landscape, tagged PDF/UA-1; a
    draft carries a watermark on every page. A long report's render calls ``progress(written,
    measures)`` after each part (:func:`_write_in_parts`)."""
    pdf = _write(document, draft=draft, variant=PUBLIC, progress=progress)
    return report_pdf_filename(document, draft=draft), MIMETYPE, pdf


def render_archival_pdf(document: dict, data: dict, *, progress=None):
    """The published report as PDF/A-3a, with ``data`` (its open-data JSON) as an associated
    file, so that the archived PDF carries the data it was printed from."""
    with translation.override("th"):
        attachment = report_data_attachment(data)
    pdf = _write(
        document, draft=False, variant=ARCHIVAL, attachments=[attachment], progress=progress
    )
    return report_pdf_filename(document, archival=True), MIMETYPE, pdf
