"""The report's PDF read as a reader would: poppler's pdftotext, pdffonts and pdfinfo."""

import gc
import html
import inspect
import json
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from unittest import mock

import pikepdf
import pydyf
import pytest
import weasyprint
from django.core.management import call_command
from PIL import Image
from pythainlp.corpus.common import thai_words
from pythainlp.tokenize import word_tokenize
from weasyprint.formatting_structure.boxes import LineBox, TableRowBox, TableRowGroupBox
from weasyprint.text.fonts import FontConfiguration

from measures import thai
from measures.document import report_document
from measures.plan import plan_document
from reports import pdf as report_pdf
from reports.opendata import open_data_document
from reports.pdf import render_archival_pdf, render_report_pdf
from reports.pdf_text import PUBLIC, lay_out, write
from tests.pdf_checks import (
    READERS,
    laid_out_cells,
    laid_out_lines,
    looks_the_same,
    missing_lines,
    png,
    read_all,
    unwrap,
)

THAI_WORDS = thai_words()
# The page footer lies in the bottom margin of report-print.css (16 mm of A4 landscape's 210 mm).
FOOTER_TOP = 595.28 * (210 - 16) / 210
LINE_HEIGHT = 17.5  # pt: 13 pt table text, line-height 1.35
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')


def squeeze(text: str) -> str:
    """The text without its whitespace, which is all a PDF's layout may change in it: the
    extracted text must equal the source exactly otherwise (reports.pdf_text)."""
    return re.sub(r"\s+", "", text)


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    return subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip


def uncompressed(pdf: bytes, tmp_path) -> bytes:
    (tmp_path / "in.pdf").write_bytes(pdf)
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", tmp_path / "in.pdf", tmp_path / "out.pdf"],
        check=True,
    )
    return (tmp_path / "out.pdf").read_bytes()


@dataclass
class Column:
    """One table column's text, pages in order, as a list of extracted lines."""

    left: float
    lines: list[str] = field(default_factory=list)


def table_columns(pdf: bytes, document: dict) -> list[Column]:
    """Split the words of every page into the six columns by their x position.

    The columns' left edges are where the first row's cells start: its item numbers ("๑."),
    its period and its first division.
    """
    bbox = poppler("pdftotext", pdf, "-raw", "-bbox")
    pages = [WORD.findall(page) for page in bbox.split("<page ")[1:]]
    first = document["measures"][0]
    words = [(float(x), squeeze(html.unescape(word))) for x, _y, word in pages[0]]
    period = min(x for x, word in words if word == thai.format_period(**first["period"]).split()[0])
    division = squeeze(first["divisions"][0])
    lefts = sorted(
        {round(x) for x, word in words if word == "๑."}
        | {round(period)}
        | {
            round(
                min(x for x, w in words if x > period + 9 and len(w) > 1 and division.startswith(w))
            )
        }
    )
    assert len(lefts) == 6, lefts
    columns = [Column(left) for left in lefts]
    # Above the table on the first page: the heading and the introduction, which starts further
    # left; at the top of the table on every page: its header row, as tall as on the first page.
    heading_bottom = max(float(y) for x, y, _w in pages[0] if float(x) < lefts[0] - 1)
    table_top = heading_bottom + LINE_HEIGHT / 2
    header_top = min(float(y) for _x, y, _w in pages[0] if float(y) > table_top)
    header_height = min(float(y) for _x, y, w in pages[0] if w == "๑.") - header_top
    for number, words in enumerate(pages):
        table = [(float(x), float(y), w) for x, y, w in words if float(y) < FOOTER_TOP]
        if number == 0:
            table = [(x, y, w) for x, y, w in table if y > table_top]
        top = min(y for _x, y, _w in table)
        previous = {}
        for x, y, word in table:
            if y < top + header_height - LINE_HEIGHT / 2:
                continue
            column = max(i for i, c in enumerate(columns) if c.left <= x + 1)
            # A mark above a letter sits a little higher than the letter's line.
            if abs(previous.get(column, -100) - y) > LINE_HEIGHT / 3:
                columns[column].lines.append("")
                previous[column] = y
            columns[column].lines[-1] += html.unescape(word)
    return columns


def cells(document: dict) -> list[list[list[str]]]:
    """For each column, for each measure, its paragraphs as the seed report has them."""
    return [
        [[m["title"]] for m in document["measures"]],
        [m["methods"] for m in document["measures"]],
        [[thai.format_period(**m["period"])] for m in document["measures"]],
        [m["divisions"] for m in document["measures"]],
        [m["results"] for m in document["measures"]],
        [[o["text"] for o in m["outcomes"]] for m in document["measures"]],
    ]


def dictionary_words(text: str) -> bool:
    return all(word in THAI_WORDS for word in word_tokenize(text))


def word_boundaries(paragraph: str) -> set[int]:
    """Offsets in squeeze(paragraph) between two words, by pythainlp's dictionary tokeniser.

    Its dictionary holds compounds ("การรับรู้", "ปลุกจิตสำนึก") that a line may break between
    their words, as libthai does: a cut inside a token is a boundary when the token's parts on
    both sides are dictionary words.
    """
    offsets, position = set(), 0
    for token in word_tokenize(paragraph):
        for cut in range(1, len(token)):
            if dictionary_words(token[:cut]) and dictionary_words(token[cut:]):
                offsets.add(position + len(squeeze(token[:cut])))
        position += len(squeeze(token))
        offsets.add(position)
    return offsets


@pytest.fixture
def document(demo_report):
    # The six-column table alone; the scores chart that follows it is tested on its own.
    return {**demo_report.latest_publication().document, "scores": []}


def test_the_scores_follow_the_table_as_a_chart_and_figures(demo_report):
    pdf = render_report_pdf(demo_report.latest_publication().document)[2]
    last_page = poppler("pdftotext", pdf, "-raw").split("\f")[-2]
    assert "คะแนน ITA รายตัวชี้วัด" in last_page
    assert "๑๐ การป้องกันการทุจริต – ๙๒.๕๐" in last_page


@pytest.mark.parametrize("past_scores", [False, True])
def test_the_signatures_share_their_page_with_the_scores(request, past_scores):
    """The signature lines never stand alone on a page, as official documents require: the
    scores go over with them. With ten indicators' past scores (the plan's), the figures stand
    beside the chart, so chart, figures and signatures fit on one page."""
    report = request.getfixturevalue("demo_plan" if past_scores else "demo_report")
    pdf = render_report_pdf(report_document(report))[2]
    last_page = poppler("pdftotext", pdf, "-raw").split("\f")[-2]
    assert last_page.startswith("คะแนน ITA รายตัวชี้วัด: ปีที่ผ่านมาเทียบกับปีนี้\n")
    assert "๑๐ การป้องกันการทุจริต" in last_page
    assert last_page.count("ลงชื่อ") == 3


@pytest.fixture
def pdf(document):
    return render_report_pdf(document)[2]


def test_every_paragraph_of_the_report_is_in_the_pdf_in_order(pdf, document):
    text = squeeze(poppler("pdftotext", pdf, "-raw"))
    heading = [
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
        "องค์การบริหารส่วนตำบลเมืองพะไล",
        "อำเภอบัวลาย จังหวัดนครราชสีมา",
        document["introduction"],
    ]
    position = 0
    for paragraph in heading:
        position = text.index(squeeze(paragraph), position) + len(squeeze(paragraph))
    for column, measures in zip(table_columns(pdf, document), cells(document), strict=True):
        column_text = squeeze("".join(column.lines))
        position = 0
        for number, paragraphs in enumerate(measures, 1):
            for paragraph in paragraphs:
                found = column_text.find(squeeze(paragraph), position)
                assert found >= 0, (number, paragraph, column_text[position:])
                position = found + len(squeeze(paragraph))


def test_lines_break_between_words_only(pdf, document):
    for column, measures in zip(table_columns(pdf, document), cells(document), strict=True):
        breaks, offset = set(), 0
        for line in column.lines:
            offset += len(squeeze(line))
            breaks.add(offset)
        column_text = squeeze("".join(column.lines))
        position = 0
        for paragraphs in measures:
            for paragraph in paragraphs:
                start = column_text.find(squeeze(paragraph), position)
                position = start + len(squeeze(paragraph))
                inside = {b - start for b in breaks if start < b < position}
                assert inside <= word_boundaries(paragraph), (paragraph, inside)


def test_etcetera_and_division_names_are_never_split(pdf, document):
    columns = table_columns(pdf, document)
    lines = [line for column in columns for line in column.lines]
    etceteras = sum(json.dumps(m, ensure_ascii=False).count("ฯลฯ") for m in document["measures"])
    assert etceteras == 4
    assert sum(line.count("ฯลฯ") for line in lines) == etceteras
    assert not any(line.startswith("ลฯ") for line in lines)
    divisions = {squeeze(d) for m in document["measures"] for d in m["divisions"]}
    assert {squeeze(line) for line in columns[3].lines} >= divisions
    periods = {squeeze(thai.format_period(**m["period"])) for m in document["measures"]}
    assert periods <= {squeeze(line) for line in columns[2].lines}


def test_every_number_is_in_thai_digits(pdf):
    text = poppler("pdftotext", pdf, "-raw")
    report_text = text.replace("ITA", "").replace("OIT", "")
    assert not re.search("[0-9]", report_text)
    assert "หน้า ๑ / " in text


def test_the_pdf_embeds_sarabun_on_a4_landscape_with_metadata(pdf, tmp_path):
    fonts = poppler("pdffonts", pdf)
    assert re.search(r"\+Sarabun-Bold\s.*\byes\s+yes\s+yes\b", fonts)
    assert re.search(r"\+Sarabun\s.*\byes\s+yes\s+yes\b", fonts)
    info = poppler("pdfinfo", pdf)
    assert re.search(r"Page size:\s+841.89 x 595.2\d+ pts \(A4\)", info)
    assert re.search(r"Title:\s+รายงานผลการดำเนินการ ITA ปีงบประมาณ พ.ศ. ๒๕๖๘ อบต.เมืองพะไล", info)
    assert re.search(r"Author:\s+องค์การบริหารส่วนตำบลเมืองพะไล", info)
    assert b"/Lang (th)" in uncompressed(pdf, tmp_path)


def test_the_table_header_and_the_page_number_are_on_every_page(pdf):
    pages = poppler("pdftotext", pdf, "-raw").split("\f")[:-1]
    assert len(pages) >= 3
    last = thai.thai_digits(len(pages))
    for number, page in enumerate(pages, 1):
        assert "ผลลัพธ์หรือความส" in page
        assert f"หน้า {thai.thai_digits(number)} / {last}" in page


def test_a_draft_is_watermarked_on_every_page(demo_report):
    filename, mimetype, content = render_report_pdf(report_document(demo_report), draft=True)
    assert filename == "รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล-ฉบับร่าง.pdf"
    assert mimetype == "application/pdf"
    pages = poppler("pdftotext", content, "-raw").split("\f")[:-1]
    assert all(squeeze("ฉบับร่าง") in squeeze(page) for page in pages)


def test_html_in_a_measure_title_is_printed_as_text(demo_report):
    demo_report.measures.filter(number=1).update(title="<script>alert(1)</script>มาตรการ")
    content = render_report_pdf(report_document(demo_report))[2]
    text = squeeze(poppler("pdftotext", content, "-raw"))
    assert squeeze("๑. <script>alert(1)</script>มาตรการ") in text


def test_its_pages_look_like_plain_weasyprint_with_full_fonts(document, tmp_path):
    """The text layer must not move ink by more than a pixel (it draws each cluster's marks
    as parts of one glyph, placed as a whole), and WeasyPrint's font subsetting (which garbled
    another Thai font) must not garble Sarabun."""
    subset = render_report_pdf(document)[2]
    fonts = FontConfiguration()
    full = weasyprint.HTML(string=report_pdf.report_pdf_html(document, draft=False)).write_pdf(
        stylesheets=[report_pdf.report_stylesheet(fonts)], font_config=fonts, full_fonts=True
    )
    assert len(subset) < len(full) / 2
    pages = png(subset, tmp_path, "subset", "-r", "60")
    assert len(pages) >= 3
    assert len(png(full, tmp_path, "full", "-r", "60")) == len(pages)
    for page in pages:
        assert looks_the_same(page, tmp_path / page.name.replace("subset", "full")), page.name


def structure_tags(element) -> list[str]:
    """The structure types under ``element``, depth first."""
    tags = []
    kids = element.get("/K", pikepdf.Array())
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            tags += [str(kid.S)[1:], *structure_tags(kid)]
    return tags


def test_the_public_pdf_is_tagged_pdf_ua1_with_its_table_headers(pdf):
    with pikepdf.open(BytesIO(pdf)) as opened:
        with opened.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert "pdfaid:part" not in xmp
        assert str(opened.Root.Lang) == "th"
        assert bool(opened.Root.MarkInfo.Marked) is True
        tags = structure_tags(opened.Root.StructTreeRoot)
    # Six headers, repeated on every page; a row's six cells.
    assert tags.count("TH") % 6 == 0
    assert tags.count("TH") >= 6
    assert tags.count("TD") >= 6 * 6


def test_the_archival_pdf_is_pdfa3a_with_the_same_text_and_pages(demo_report, tmp_path):
    publication = demo_report.latest_publication()
    public = render_report_pdf(publication.document)[2]
    filename, mimetype, archival = render_archival_pdf(
        publication.document, open_data_document(publication)
    )
    assert filename == "รายงานผลการดำเนินการ-ITA-2568-อบต.เมืองพะไล-ฉบับจัดเก็บถาวร.pdf"
    assert mimetype == "application/pdf"
    with pikepdf.open(BytesIO(archival)) as opened:
        with opened.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
        [intent] = opened.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert list(opened.attachments) == ["ita-mueang-phalai-2568.json"]
    assert poppler("pdftotext", archival, "-raw") == poppler("pdftotext", public, "-raw")
    (tmp_path / "archival.pdf").write_bytes(archival)
    check = subprocess.run(["qpdf", "--check", tmp_path / "archival.pdf"], capture_output=True)
    assert check.returncode == 0, check.stdout


def test_export_report_pdf_writes_the_published_pdf(demo_report, client, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("export_report_pdf", "mueang-phalai", "2568", "-o", str(output))
    assert output.read_bytes() == client.get("/mueang-phalai/2568/report.pdf").content


def test_export_report_pdf_refuses_an_unknown_report(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="mueang-phalai"):
        call_command("export_report_pdf", "mueang-phalai", "2568", "-o", str(tmp_path / "x.pdf"))


def test_export_report_pdf_writes_the_archival_pdf_with_archival(demo_report, client, tmp_path):
    output = tmp_path / "archival.pdf"
    call_command("export_report_pdf", "mueang-phalai", "2568", "-o", str(output), "--archival")
    assert output.read_bytes() == client.get("/mueang-phalai/2568/report-archival.pdf").content
    assert output.read_bytes() != client.get("/mueang-phalai/2568/report.pdf").content


def test_export_report_pdf_refuses_an_archival_draft(demo_report, tmp_path):
    from django.core.management.base import CommandError

    output = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="--draft"):
        call_command(
            "export_report_pdf", "mueang-phalai", "2568", "-o", str(output), "--archival", "--draft"
        )
    assert not output.exists()


def test_a_long_division_name_widens_its_column_and_stays_on_one_line(document):
    long_name = "กองสาธารณสุขและสิ่งแวดล้อม"
    document["measures"][0]["divisions"].append(long_name)
    widths = report_pdf.column_widths(document)
    assert widths["divisions"] > report_pdf.text_width(long_name)
    assert sum(widths.values()) == pytest.approx(report_pdf.TABLE_WIDTH_PT)
    columns = table_columns(render_report_pdf(document)[2], document)
    assert squeeze(long_name) in {squeeze(line) for line in columns[3].lines}


def test_a_render_pauses_the_cycle_collector_and_resumes_it_even_when_it_fails(document):
    seen = []
    real_write_pdf = report_pdf.write_pdf

    def write_pdf(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_write_pdf(*args, **kwargs)

    with mock.patch.object(report_pdf, "write_pdf", write_pdf):
        render_report_pdf(document)
    assert seen == [False] and gc.isenabled()

    with (
        mock.patch.object(report_pdf, "write_pdf", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        render_report_pdf(document)
    assert gc.isenabled()


def test_the_pydyf_lines_the_speed_ups_replace_are_pydyf_0_13s():
    assert pydyf.__version__ == "0.13.0"
    source = inspect.getsource(pydyf)
    assert "for object_number in self.pages['Kids'][::3])" in source
    assert "compressobj = zlib.compressobj(level=9)" in source
    assert "data = zlib.compress(raw_data) if self.compress else raw_data" in source


def test_page_references_are_pydyfs_and_follow_added_pages():
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == report_pdf._page_references.fget(pdf) and len(first) == 1
    assert pdf.page_references is first  # not rebuilt while no page is added
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == report_pdf._page_references.fget(pdf)
    assert len(pdf.page_references) == 2


def test_streams_are_compressed_at_zlibs_default_level():
    stream = pydyf.Stream([b"BT /F1 12 Tf (ITA) Tj ET"] * 500, compress=True)
    data = stream.data
    compressed = data[data.index(b"stream\n") + 7 : data.rindex(b"\nendstream")]
    raw = b"\n".join([b"BT /F1 12 Tf (ITA) Tj ET"] * 500)
    assert zlib.decompress(compressed) == raw
    assert compressed == zlib.compress(raw, 6)


def laid_out(document: dict) -> weasyprint.Document:
    """The report laid out as render_report_pdf lays it out (under 100 measures: whole)."""
    fonts = FontConfiguration()
    html = weasyprint.HTML(string=report_pdf.report_pdf_html(document, draft=False))
    stylesheets = [report_pdf.report_stylesheet(fonts)]
    return lay_out(html, variant=PUBLIC, stylesheets=stylesheets, font_config=fonts)


def measure_cells(document: dict) -> list[str]:
    """The table's cells as the source has them, row by row: lists are their numbered items
    one after another."""

    def numbered(items):
        return " ".join(f"{thai.thai_digits(n)}. {text}" for n, text in enumerate(items, 1))

    cells = []
    for m in document["measures"]:
        outcomes = [" ".join(filter(None, [o["text"], o.get("citation")])) for o in m["outcomes"]]
        period = thai.format_period(**m["period"]) if m["period"] else ""
        cells += [f"{thai.thai_digits(m['number'])}. {m['title']}", numbered(m["methods"])]
        cells += [period, " ".join(m["divisions"]), numbered(m["results"]), numbered(outcomes)]
    return cells


def test_every_reader_gets_every_line_of_the_demo_report_whole_with_its_whitespace(demo_report):
    document = demo_report.latest_publication().document
    laid = laid_out(document)
    expected = measure_cells(document)
    cells = laid_out_cells(laid)[: len(expected)]

    assert [unwrap(lines, text) for lines, text in zip(cells, expected, strict=True)] == expected
    lines = laid_out_lines(laid)
    # The chart's labels, figures and legend, the signature lines and the page footers too.
    for text in ("ตัวชี้วัด ๙", "๙๒.๕๐", "ปีที่ผ่านมา ปีนี้", "ลงชื่อ", "(ผู้ตรวจ)", "หน้า ๑ / ๘"):
        assert text in lines
    # The legend's two entries stand apart, a colour key before each: readers part them.
    lines = [line for line in lines if line != "ปีที่ผ่านมา ปีนี้"] + ["ปีที่ผ่านมา", "ปีนี้"]
    pdf = write(laid, variant=PUBLIC)
    assert {name: missing_lines(lines, text) for name, text in read_all(pdf).items()} == {
        name: [] for name in READERS
    }


def plan_like(document: dict) -> dict:
    """The report as a plan: the same measures with nothing in the result columns yet."""
    measures = [m | {"results": [], "outcomes": []} for m in document["measures"]]
    return {**document, "measures": measures}


def row_fragments(laid: weasyprint.Document) -> list[list[tuple[int, int]]]:
    """Each page's body rows as (row, lines): the row's element id and the most lines one of
    its cells has on that page (the score figures' table, which has no lines of a measure's,
    left out)."""
    pages = []
    for page in laid.pages:
        rows = [
            row
            for group in page._page_box.descendants()
            if isinstance(group, TableRowGroupBox) and not group.is_header
            for row in group.children
            if isinstance(row, TableRowBox)
        ]
        fragments = []
        for row in rows:
            lines = [
                sum(isinstance(b, LineBox) for b in cell.descendants()) for cell in row.children
            ]
            if lines and max(lines):
                fragments.append((id(row.element), max(lines)))
        pages.append(fragments)
    return pages


def table_lines(page: Image.Image) -> tuple[list[int], list[int]]:
    """The x of the table's vertical rules and the y of its horizontal rules on a page image:
    columns and rows of pixels that are dark over most of the table."""
    gray = page.convert("L")
    width, height = gray.size
    pixels = gray.load()
    rows = [y for y in range(height) if sum(pixels[x, y] < 96 for x in range(width)) > width * 0.6]
    top, bottom = rows[0], rows[-1]
    columns = [
        x
        for x in range(width)
        if sum(pixels[x, y] < 96 for y in range(top, bottom)) > (bottom - top) * 0.9
    ]
    merge = lambda values: [v for i, v in enumerate(values) if i == 0 or v - values[i - 1] > 2]  # noqa: E731
    return merge(columns), merge(rows)


@pytest.mark.parametrize("shape", ["demo report", "plan-like"])
def test_no_row_leaves_a_single_line_on_a_page_and_titles_are_not_squeezed(
    demo_report, shape, tmp_path
):
    document = demo_report.latest_publication().document
    document = plan_like(document) if shape == "plan-like" else document
    laid = laid_out(document)
    pages = row_fragments(laid)
    images = png(write(laid, variant=PUBLIC), tmp_path, "report", "-r", "72")
    line_pt = 13 * 1.35  # the table's font size and line height (report-print.css)

    continued = 0
    for number, (rows, previous) in enumerate(zip(pages[1:], pages, strict=False), 2):
        if not (rows and previous and rows[0][0] == previous[-1][0]):
            continue
        continued += 1
        assert rows[0][1] >= 2 and previous[-1][1] >= 2, f"page {number}"
        # On paper: the first body row of the page, between the header's rule and the next.
        _columns, rules = table_lines(Image.open(images[number - 1]))
        assert rules[2] - rules[1] >= 2 * line_pt, f"page {number}"
    assert continued >= 2

    columns, _rules = table_lines(Image.open(images[1]))
    widths = dict(
        zip(report_pdf.REPORT_COLUMNS, map(int.__sub__, columns[1:], columns), strict=True)
    )
    assert widths["title"] >= widths["methods"] - 2  # equal shares, rules drawn on whole pixels
    if shape == "plan-like":
        assert widths["results"] < widths["title"] / 2 and widths["outcomes"] < widths["title"] / 2


@pytest.mark.parametrize("kind", ["report", "plan"])
def test_an_approved_document_has_one_sign_off_block_its_approver_on_their_line(demo_report, kind):
    """The approval fills the approver's signature line: no second block with the approver's
    name beside the lines (which printed the approver twice, once as a role, once by name)."""
    approval = {"name": "นายสมหมาย ใจดี", "position": "หัวหน้าหน่วยงานทดสอบ", "date": "2025-09-30"}
    document = plan_document(demo_report) if kind == "plan" else report_document(demo_report)
    document |= {"approval": approval, "sign_off": ["ผู้จัดทำ", "ผู้ตรวจ", "ผู้อนุมัติ"]}
    text = poppler("pdftotext", render_report_pdf(document)[2], "-raw")
    assert text.count("ลงชื่อ") == 3
    for once in (
        "(ผู้จัดทำ)",
        "(ผู้ตรวจ)",
        "(นายสมหมาย ใจดี)",
        "หัวหน้าหน่วยงานทดสอบ",
        "วันที่ ๓๐ กันยายน ๒๕๖๘",
    ):
        assert text.count(once) == 1, once
    # The approver's role, as a line's label or as the old block's heading, is not printed.
    assert "ผู้อนุมัติ" not in text
    lines = text.split("\f")[-2].splitlines()
    name = next(i for i, line in enumerate(lines) if "(นายสมหมาย ใจดี)" in line)
    assert lines[name + 1 : name + 3] == ["หัวหน้าหน่วยงานทดสอบ", "วันที่ ๓๐ กันยายน ๒๕๖๘"]


def test_without_signature_lines_the_approval_keeps_its_own_block(demo_report):
    """A document frozen before the signature lines (no "sign_off") prints its approval as
    it did."""
    document = demo_report.latest_publication().document | {
        "approval": {"name": "นายสมหมาย ใจดี", "position": "หัวหน้าหน่วยงานทดสอบ", "date": "2025-09-30"}
    }
    document.pop("sign_off", None)
    text = squeeze(poppler("pdftotext", render_report_pdf(document)[2], "-raw"))
    assert squeeze("ผู้อนุมัติ (นายสมหมาย ใจดี) หัวหน้าหน่วยงานทดสอบ วันที่ ๓๐ กันยายน ๒๕๖๘") in text
    assert "ลงชื่อ" not in text
