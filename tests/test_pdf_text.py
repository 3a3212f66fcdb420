import inspect
import json
import re
import subprocess
from io import BytesIO

import pikepdf
import pydyf
import pytest
import weasyprint
from django.utils import translation
from pypdf import PdfReader
from weasyprint.draw import text as weasyprint_text
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.pdf.stream import Stream

from measures.document import report_document
from measures.imports.report_text import HEADERS
from measures.thai import thai_digits
from reports import pdf_text
from reports.pdf_text import (
    ARCHIVAL,
    PUBLIC,
    VARIANTS,
    TextLayerError,
    report_data_attachment,
    write_pdf,
)
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
from tests.pdf_samples import (
    PHRASE,
    PHRASE_AS_WEASYPRINT_EXTRACTS_IT,
    WHITESPACE_CORPUS,
    corpus_table,
    html_page,
    report_records_html,
    report_records_text,
    torture_text,
)

TORTURE = torture_text()
# Sarabun Bold moves these marks forward (ธี) or up (ผู้ ที่ นี่).
BOLD_MARKS = "<h1>วิธีดำเนินการ ผู้นำ ที่นี่</h1>"


def poppler_text(pdf: bytes, *options: str) -> str:
    command = ["pdftotext", *options, "-enc", "UTF-8", "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


def pypdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def extracted(pdf: bytes) -> dict[str, str]:
    """The text of ``pdf`` as Poppler reads it (rebuilding lines from glyph positions, as PDF
    viewers do when text is selected; and in content-stream order) and as pypdf reads it."""
    return {
        "pdftotext": squeeze(poppler_text(pdf)),
        "pdftotext -raw": squeeze(poppler_text(pdf, "-raw")),
        "pypdf": squeeze(pypdf_text(pdf)),
    }


def test_weasyprint_is_the_version_whose_internals_the_text_layer_hooks():
    assert weasyprint.__version__ == pdf_text.WEASYPRINT_VERSION == "70.0"
    assert pydyf.__version__ == "0.13.0"
    drawing = inspect.getsource(pdf_text._draw_first_line)
    assert "pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)" in (
        drawing
    )
    assert "first_line, index = textbox.pango_layout.get_first_line()" in drawing
    assert "if glyph_id == pango.PANGO_GLYPH_EMPTY:" in drawing
    assert "offset = glyph_info.geometry.x_offset / font_size" in drawing
    assert "rise = glyph_info.geometry.y_offset / 1000" in drawing
    assert "emojis = draw_first_line(" in inspect.getsource(weasyprint_text.draw_text)
    assert "font, font_size = stream.add_font(pango_font)" in drawing
    assert "if glyph_id not in font.to_unicode:" in drawing
    assert "font.to_unicode[glyph_id] = utf8_text[offset+t1:offset+t2].decode()" in drawing
    assert "string += f'{glyph_id:02x}' if font.bitmap else f'{glyph_id:04x}'" in drawing
    assert drawing.count("stream.show_text(string)") == 4
    building = inspect.getsource(weasyprint_fonts)
    assert "'ToUnicode': to_unicode_object.reference," in building
    assert "'CIDToGIDMap': '/Identity'," in building
    assert "font_dictionary['DescendantFonts'] = pydyf.Array([subfont_dictionary.reference])" in (
        building
    )
    assert "b'endcodespacerange'], compress=compress)" in building
    assert "'W': pdf_widths," in building
    assert "'FontDescriptor': font_descriptor.reference," in building
    assert "stream.set_text_rise(-rise)" in drawing
    assert "stream.set_font_size(font.hash, 1 if font.bitmap else font_size)" in drawing
    assert "kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size" in drawing
    assert "font_file = f'FontFile{3 if font.type == \"otf\" else 2}'" in building
    assert "font_stream = pydyf.Stream([font.file_content], font_extra, compress=compress)" in (
        building
    )
    assert Stream.add_font.__name__ == "_add_font_hook"
    assert Stream.set_font_size.__name__ == "_set_font_size_hook"
    assert Stream.set_text_rise.__name__ == "_set_text_rise_hook"
    assert Stream.show_text.__name__ == "_show_text_hook"
    assert weasyprint_text.draw_first_line.__name__ == "_draw_first_line_hook"


@pytest.mark.parametrize("variant", VARIANTS)
def test_plain_weasyprint_extracts_sara_am_as_sara_aa(variant):
    pdf = weasyprint.HTML(string=html_page(f"<p>{PHRASE}</p>")).write_pdf(pdf_variant=variant)

    expected = squeeze(PHRASE_AS_WEASYPRINT_EXTRACTS_IT)
    assert extracted(pdf) == {"pdftotext": expected, "pdftotext -raw": expected, "pypdf": expected}


@pytest.mark.parametrize("variant", VARIANTS)
def test_it_extracts_sara_am_and_its_tone_marks_exactly(variant):
    pdf = write_pdf(weasyprint.HTML(string=html_page(f"<p>{PHRASE}</p>")), variant=variant)

    expected = squeeze(PHRASE)
    assert extracted(pdf) == {"pdftotext": expected, "pdftotext -raw": expected, "pypdf": expected}


@pytest.mark.parametrize(
    "body",
    [
        f"<p>{TORTURE}</p>",
        f"<table><tr><td>{TORTURE}</td></tr></table>",
        f"<table><tr><th>{TORTURE}</th></tr></table>",
        f"<p><b>{TORTURE}</b></p>",
    ],
    ids=["paragraph", "table cell", "bold header cell", "bold paragraph"],
)
def test_it_extracts_the_thai_torture_text_exactly(body):
    pdf = write_pdf(weasyprint.HTML(string=html_page(body)), variant=PUBLIC)

    expected = squeeze(TORTURE)
    assert extracted(pdf) == {"pdftotext": expected, "pdftotext -raw": expected, "pypdf": expected}


def test_plain_weasyprint_gets_the_torture_text_wrong():
    pdf = weasyprint.HTML(string=html_page(f"<p>{TORTURE}</p>")).write_pdf()

    # The torture text draws ำ before า, so า's glyph maps to ำ everywhere.
    assert "บาท" in TORTURE
    for text in extracted(pdf).values():
        assert "บำท" in text
        assert "บาท" not in text


def test_plain_weasyprint_lets_pdf_viewers_misplace_the_marks_sarabun_bold_positions():
    pdf = weasyprint.HTML(string=html_page(BOLD_MARKS)).write_pdf()

    assert squeeze(poppler_text(pdf, "-raw")).startswith("วิธี")
    assert not squeeze(poppler_text(pdf)).startswith("วิธี")


def test_it_draws_each_cluster_as_one_glyph_with_the_clusters_text():
    pdf = write_pdf(weasyprint.HTML(string=html_page(BOLD_MARKS)), variant=PUBLIC)

    assert set(extracted(pdf).values()) == {"วิธีดำเนินการผู้นำที่นี่"}
    texts = [font[code] for font, code in shown_codes(pdf)]
    clusters = ["วิ", "ธี", "ดำ", "เ", "นิ", "น", "ก", "า", "ร", " ", "ผู้", "นำ", " ", "ที่", "นี่"]
    assert texts == clusters
    with structure(pdf) as opened:
        operators = {str(operator) for _, operator in pikepdf.parse_content_stream(opened.pages[0])}
    assert "Ts" not in operators  # no mark raised out of its line


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_reader_gets_each_corpus_line_whole_with_its_whitespace(variant):
    html = weasyprint.HTML(string=html_page(corpus_table(), footer='"หน้า ๑ ฟื้นฟู ปั๊มน้ำ"'))
    document = pdf_text.lay_out(html, variant=variant)
    cells = laid_out_cells(document)

    # The layout wraps Thai between letters: each cell's lines run on into the source text.
    assert [
        unwrap(lines, source) for lines, source in zip(cells, WHITESPACE_CORPUS, strict=True)
    ] == (WHITESPACE_CORPUS)
    assert sum(len(lines) > 1 for lines in cells) >= 5
    lines = laid_out_lines(document)
    pdf = pdf_text.write(document, variant=variant)
    assert {name: missing_lines(lines, text) for name, text in read_all(pdf).items()} == {
        name: [] for name in READERS
    }


def test_plain_weasyprint_breaks_the_corpus_words():
    html = weasyprint.HTML(string=html_page(corpus_table()))
    lines = laid_out_lines(html.render())

    missing = {
        name: missing_lines(lines, text) for name, text in read_all(html.write_pdf()).items()
    }
    assert all(missing.values()), missing
    # The words, as poppler's -raw mode read them.
    raw = READERS["pdftotext -raw"](html.write_pdf())
    assert "ริมฝั่ งน้ำ" in raw and "ปั๊ มน้ำ" in raw


def test_it_extracts_the_page_footer_exactly():
    body = '<p>หน้าแรก</p><p style="break-before: page">หน้าที่สอง น้ำคำ</p>'
    footer = '"ผู้นำ ก่ำ น้ำ ฯลฯ หน้า " counter(page, thai) " จาก " counter(pages, thai)'

    pdf = write_pdf(weasyprint.HTML(string=html_page(body, footer=footer)), variant=PUBLIC)

    pages = [squeeze(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]
    assert pages == ["หน้าแรกผู้นำก่ำน้ำฯลฯหน้า๑จาก๒", "หน้าที่สองน้ำคำผู้นำก่ำน้ำฯลฯหน้า๒จาก๒"]
    assert set(extracted(pdf).values()) == {"".join(pages)}


def test_it_extracts_the_whole_demo_report_exactly(demo_report):
    document = report_document(demo_report)

    pdf = write_pdf(weasyprint.HTML(string=report_records_html(document)), variant=PUBLIC)

    expected = squeeze(report_records_text(document))
    pages = len(PdfReader(BytesIO(pdf)).pages)
    footers = [f"หน้า{thai_digits(page)}จาก{thai_digits(pages)}" for page in range(1, pages + 1)]
    texts = extracted(pdf)
    del texts["pdftotext"]  # Poppler's default mode reads a header beside its cell, line by line
    for name, text in texts.items():
        for footer in footers:
            assert text.count(footer) == 1, (name, footer)
            text = text.replace(footer, "")
        assert text == expected, name


def test_its_pages_look_like_plain_weasyprints_to_a_pixel(tmp_path):
    html = html_page(f"{BOLD_MARKS}<p>{PHRASE} ฐุ ญู ป้ ฟ้ ฝ่ ฬ่ ก้ ฤ ฦ ฯ ๆ ฿ ๑๒๓</p><p>{TORTURE}</p>")
    plain = png(weasyprint.HTML(string=html).write_pdf(), tmp_path, "plain")
    exact = png(write_pdf(weasyprint.HTML(string=html), variant=None), tmp_path, "exact")

    # A cluster's marks are now parts of one glyph, which the rasteriser places as a whole
    # rather than glyph by glyph: edges may move by a fraction of a pixel, ink no further.
    assert len(plain) == len(exact) > 1
    assert plain[0].read_bytes() != exact[0].read_bytes(), "the marks are drawn as before"
    for before, after in zip(plain, exact, strict=True):
        assert looks_the_same(before, after), after.name


def test_it_refuses_a_variant_whose_font_tables_it_does_not_rewrite():
    with pytest.raises(ValueError, match="unsupported PDF variant 'pdf/a-1b'"):
        write_pdf(weasyprint.HTML(string=html_page(PHRASE)), variant="pdf/a-1b")


def test_it_refuses_a_tagged_pdf_without_title_or_language():
    html = "<html><body><p>น้ำ</p></body></html>"

    with pytest.raises(ValueError, match="title"):
        write_pdf(weasyprint.HTML(string=html), variant=PUBLIC)


def test_it_fails_loudly_when_drawn_glyphs_do_not_match_the_recorded_ones():
    layer = pdf_text._TextLayer()
    layer.pending.append(pdf_text._Glyph(None, None, 0x01E8, "า", False))

    with pytest.raises(TextLayerError, match="glyph 01b0 drawn, 01e8 recorded"):
        layer.buffer(pydyf.Stream(), b"<01b0>")
    with pytest.raises(TextLayerError, match="glyph 01b0 drawn, none recorded"):
        layer.buffer(pydyf.Stream(), b"<01b0>")


def structure(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(BytesIO(pdf))


def test_qpdf_finds_no_problem_in_either_variant(tmp_path):
    for variant in (PUBLIC, ARCHIVAL):
        path = tmp_path / "report.pdf"
        html = weasyprint.HTML(string=html_page(f"<p>{TORTURE}</p>"))
        path.write_bytes(write_pdf(html, variant=variant))
        result = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)

        assert result.returncode == 0, (variant, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors found" in result.stdout


def marked_texts(pdf: bytes, page_index: int = 0) -> dict[int, str]:
    """Each marked-content id of a page → the text drawn inside it."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []

    def before(operator, operands, cm, tm):
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else {}
            stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC":
            stack.pop()

    def text(value, cm, tm, font, size):
        mcid = next((mcid for mcid in reversed(stack) if mcid is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + value

    page = PdfReader(BytesIO(pdf)).pages[page_index]
    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def cells_in_reading_order(element, texts) -> list[tuple[str, str, pikepdf.Dictionary]]:
    """The TH and TD structure elements under ``element``, depth first, with their texts."""

    def content(node) -> str:
        if isinstance(node, int):
            return texts.get(node, "")
        if isinstance(node, pikepdf.Array):
            return "".join(content(kid) for kid in node)
        if "/MCID" in node:
            return texts.get(int(node.MCID), "")
        return content(node.get("/K", pikepdf.Array()))

    found = []
    kids = element.get("/K", pikepdf.Array())
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if kid.S in ("/TH", "/TD"):
                found.append((str(kid.S)[1:], squeeze(content(kid)), kid))
            else:
                found += cells_in_reading_order(kid, texts)
    return found


def test_the_public_pdf_is_tagged_ua1_in_thai_with_title_and_table_headers():
    rows = [["๑. การประชุม", "น้ำ คำ"], ["๒. ผู้นำ", "ก่ำ ทำ"]]
    cells = "".join(f"<tr><td>{title}</td><td>{text}</td></tr>" for title, text in rows)
    html = html_page(
        f"<table><thead><tr><th>{HEADERS[0]}</th><th>{HEADERS[4]}</th></tr>"
        f"</thead><tbody>{cells}</tbody></table>",
        title="รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    )

    pdf = write_pdf(weasyprint.HTML(string=html), variant=PUBLIC)

    with structure(pdf) as opened:
        root = opened.Root
        assert str(root.Lang) == "th"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(opened.docinfo.Title) == "รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
        with opened.open_metadata() as xmp:
            assert xmp["dc:title"] == "รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
            assert xmp["pdfuaid:part"] == "1"
        cells = cells_in_reading_order(root.StructTreeRoot, marked_texts(pdf))
    assert [(tag, text) for tag, text, _ in cells] == [
        ("TH", squeeze(HEADERS[0])),
        ("TH", squeeze(HEADERS[4])),
        ("TD", "๑.การประชุม"),
        ("TD", "น้ำคำ"),
        ("TD", "๒.ผู้นำ"),
        ("TD", "ก่ำทำ"),
    ]
    header_ids = [str(element.ID) for tag, _, element in cells if tag == "TH"]
    data_cells = [element for tag, _, element in cells if tag == "TD"]
    headers = [[str(header) for header in cell.A.Headers] for cell in data_cells]
    assert headers == [[header_ids[0]], [header_ids[1]]] * 2


def shown_codes(pdf: bytes) -> list[tuple[dict[int, str], int]]:
    """Every character code the pages show, in content order, with its font's ToUnicode map."""
    shown = []
    with structure(pdf) as opened:
        for page in opened.pages:
            fonts = {
                name: to_unicode_map(font.ToUnicode.read_bytes())
                for name, font in page.Resources.Font.items()
            }
            font = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("Tf"):
                    font = fonts[str(operands[0])]
                elif operator == pikepdf.Operator("TJ"):
                    for part in operands[0]:
                        if isinstance(part, pikepdf.String):
                            data = bytes(part)
                            shown += [
                                (font, int.from_bytes(data[i : i + 2], "big"))
                                for i in range(0, len(data), 2)
                            ]
    return shown


def to_unicode_map(cmap: bytes) -> dict[int, str]:
    sections = re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL)
    pairs = re.findall(rb"<([0-9a-f]+)>\s*<([0-9a-f]*)>", b"".join(sections))
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for code, text in pairs}


@pytest.mark.parametrize("body", [f"<p>{TORTURE}</p>", f"<p><b>{TORTURE}</b></p>"])
def test_every_code_shown_maps_to_unicode_as_pdfa_level_u_asks(body):
    pdf = write_pdf(weasyprint.HTML(string=html_page(body)), variant=ARCHIVAL)
    shown = shown_codes(pdf)

    assert len(shown) > len(TORTURE) / 2
    texts = [font.get(code) for font, code in shown]
    assert None not in texts, "a code without a ToUnicode entry"
    forbidden = {"\u0000", "\ufeff", "\ufffe"} | {chr(c) for c in range(0xD800, 0xE000)}
    assert not forbidden & set("".join(texts))
    # Each code stands for a whole cluster: ำ and the marks never map to nothing.
    assert "" not in texts
    assert {"ก่ำ", "ปั้", "ฟื้", "ฝั่"} <= set(texts)


def test_the_archival_pdf_is_pdfa3a_and_carries_the_reports_open_data(demo_report):
    document = report_document(demo_report)
    html = weasyprint.HTML(string=report_records_html(document))

    with translation.override("th"):
        attachment = report_data_attachment(document)

    pdf = write_pdf(html, variant=ARCHIVAL, attachments=[attachment])

    with structure(pdf) as opened:
        root = opened.Root
        with opened.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3"
            assert xmp["pdfaid:conformance"] == "A"
        [intent] = root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intent
        assert str(root.Lang) == "th"
        assert "/StructTreeRoot" in root
        # WeasyPrint 70 lists the attachment in /AF twice, from the name tree and the filespec.
        [filespec] = {filespec.objgen: filespec for filespec in root.AF}.values()
        assert filespec.AFRelationship == "/Data"
        assert str(filespec.UF) == "ita-mueang-phalai-2568.json"
        assert str(filespec.Desc) == "ข้อมูลรายงาน (JSON)"
        stream = filespec.EF.F
        assert stream.Subtype == "/application/json"
        assert json.loads(stream.read_bytes()) == report_document(demo_report)
        assert list(opened.attachments) == ["ita-mueang-phalai-2568.json"]
