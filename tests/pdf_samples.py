"""Thai test text for PDFs, and the pages that carry it (shared by tests and bench scripts)."""

from html import escape

from django.contrib.staticfiles import finders

from measures.imports.report_text import HEADERS
from measures.thai import format_period, thai_digits

CONSONANTS = [chr(code) for code in range(0x0E01, 0x0E2F) if chr(code) not in "ฤฦ"]
UPPER_VOWELS = "ัิีึื"
LOWER_VOWELS = "ุู"
TONE_MARKS = "่้๊๋"
SARA_AM = "ำ"
PHRASE = "การ ดำเนินการ น้ำ คำ ทำ ผู้นำ ก่ำ"
PHRASE_AS_WEASYPRINT_EXTRACTS_IT = "การ ดาเนินการ นา คา ทา ผู้นา กา"


def _syllable(consonant: str, vowel: str, tone: str) -> str:
    # ั and ื close on a consonant (กัน, มือ); the rest may end a syllable as they are.
    final = {"ั": "น", "ื": "อ"}.get(vowel, "")
    return consonant + vowel + tone + final


def torture_text() -> str:
    """Every consonant with every above and below vowel, with and without each tone mark; ำ
    with each tone mark; the marks Thai fonts draw in other forms (ฐ ญ before ุ ู ฺ, marks
    over the tall ป ฝ ฟ ฬ, tone marks with no vowel above them); ฤ ฦ ฯ ๆ ฿, Thai digits, ฯลฯ,
    and Thai mixed with Latin letters and Arabic digits."""
    words = []
    for consonant in CONSONANTS:
        for vowel in ("", *UPPER_VOWELS, *LOWER_VOWELS):
            words += [_syllable(consonant, vowel, tone) for tone in ("", *TONE_MARKS)]
        words += [consonant + SARA_AM, *(consonant + tone + SARA_AM for tone in TONE_MARKS)]
        words += [consonant + "็", consonant + "์", consonant + "ฺ", "เ" + consonant + "็น"]
    words += ["ฐุ ฐู ฐฺ ญุ ญู ญฺ กตัญญู ฐูปะ", "ป่ ป้ ป๊ ป๋ ปิ่น ปั้น ฝั่ง ฟ้า ฟื้น ฬ่ ฬ้ ฬี่"]
    words += ["ศักดิ์ ลักษณ์ พระพุทธเจ้า ไม้ยมก ๆ เด็ก ๆ ไปๆ มาๆ", "ฤ ฤๅ ฦ ฦๅ ฤดู ฤทธิ์ อังกฤษ"]
    words += ["กรุงเทพฯ ฯลฯ ฿ ราคา ๑,๒๕๐.๕๐ บาท ๐๑๒๓๔๕๖๗๘๙", PHRASE]
    words += ["ITA 2568 ปี พ.ศ. ๒๕๖๘ (ค.ศ. 2025) ตัวชี้วัดที่ 10 ได้ ๙๒.๕๐ คะแนน www.nacc.go.th"]
    return " ".join(words)


# Table cells whose words readers used to break or reorder: stacked marks on the tall ป ฝ ฟ ฬ,
# tone marks over upper vowels, ำ after a tone mark, ฤ ฤๅ ฦ ฦๅ, ฯ ฯลฯ, ๆ, Thai digits, Thai
# beside Latin letters and Arabic digits; long enough to wrap in a narrow column.
WHITESPACE_CORPUS = [
    "ฟื้นฟู ริมฝั่งน้ำ ปั๊มน้ำ ปั้นดิน ปิ่นโต ฝั่งฟ้า ฟื้นฟูริมฝั่งน้ำปั๊มน้ำปั้นดินให้ทั่วถึง",
    "ปีที่ผ่านมา ปีนี้ ที่นี่ ผู้นำ ผู้ใหญ่บ้าน เจ้าหน้าที่ผู้รับผิดชอบได้ชี้แจงขั้นตอนที่ถูกต้อง",
    "น้ำ ก่ำ ค่ำ ต่ำ ซ้ำ น้ำท่วมซ้ำซากในที่ต่ำช่วงค่ำ",
    "ฤดูฝน ฤๅษี ฦๅ ฤทธิ์ อังกฤษ ฤดูกาลใหม่",
    "กรุงเทพฯ ฯลฯ เด็ก ๆ ไปๆ มาๆ บ่อยๆ",
    "ปีงบประมาณ พ.ศ. ๒๕๖๘ ได้ ๙๒.๕๐ คะแนน ๑,๒๕๐ บาท",
    "ITA 2568 ตัวชี้วัดที่ 10 (OIT) ผ่านเว็บไซต์ www.nacc.go.th และ Facebook ของหน่วยงาน",
]


def corpus_table() -> str:
    """:data:`WHITESPACE_CORPUS` as a table of narrow cells, two a row, as in the report."""
    cells = [f"<td>{escape(text)}</td>" for text in WHITESPACE_CORPUS]
    rows = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table style="width: 9cm">{body}</table>'


def _font_face(weight: str, filename: str) -> str:
    path = finders.find(f"fonts/{filename}")
    return f"@font-face {{ font-family: Sarabun; font-weight: {weight}; src: url(file://{path}) }}"


def html_page(body: str, *, title: str = "ทดสอบ", footer: str = "") -> str:
    """A Thai A4 page in Sarabun; ``footer`` is CSS ``content`` for the bottom margin box."""
    bottom = f"@bottom-center {{ content: {footer}; font-family: Sarabun }}" if footer else ""
    return f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8"><title>{escape(title)}</title><style>
{_font_face("normal", "Sarabun-Regular.ttf")}
{_font_face("bold", "Sarabun-Bold.ttf")}
@page {{ size: A4; margin: 2cm 1.5cm; {bottom} }}
body {{ font-family: Sarabun; font-size: 11pt }}
table {{ border-collapse: collapse; width: 100% }}
th, td {{ border: 1px solid #000; padding: 2pt; vertical-align: top; text-align: left }}
</style></head><body>{body}</body></html>"""


def report_rows(document: dict) -> list[list[str]]:
    """The report's table as cell texts, one row per measure (numbers in Thai digits)."""

    def numbered(items):
        return " ".join(f"{thai_digits(number)}. {text}" for number, text in enumerate(items, 1))

    rows = []
    for measure in document["measures"]:
        period = measure["period"]
        rows.append(
            [
                f"{thai_digits(measure['number'])}. {measure['title']}",
                numbered(measure["methods"]),
                format_period(**period) if period else "",
                " ".join(measure["divisions"]),
                numbered(measure["results"]),
                numbered(outcome["text"] for outcome in measure["outcomes"]),
            ]
        )
    return rows


def report_title(document: dict) -> str:
    return (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {thai_digits(document['fiscal_year'])}"
    )


_REPORT_FOOTER = '"หน้า " counter(page, thai) " จาก " counter(pages, thai)'


def report_html(document: dict, *, repeat: int = 1) -> str:
    """The report as printed: title, agency, introduction, the six-column table with its header
    row repeated on every page, and a Thai page-number footer; ``repeat`` prints the measures
    that many times over (for ~100-measure benchmarks)."""
    head = "".join(f"<th>{escape(header)}</th>" for header in HEADERS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in report_rows(document) * repeat
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    return html_page(
        _report_opening(document) + table, title=report_title(document), footer=_REPORT_FOOTER
    )


def report_records_html(document: dict) -> str:
    """The report with each measure as a two-column table of (header, cell) rows, so that every
    cell's text stays in one piece in reading order even when a page breaks inside it."""
    tables = "".join(
        "<table>"
        + "".join(
            f"<tr><th>{escape(header)}</th><td>{escape(cell)}</td></tr>"
            for header, cell in zip(HEADERS, row, strict=True)
        )
        + "</table>"
        for row in report_rows(document)
    )
    return html_page(
        _report_opening(document) + tables, title=report_title(document), footer=_REPORT_FOOTER
    )


def report_records_text(document: dict) -> str:
    """The text of :func:`report_records_html` without its page footers, in reading order."""
    opening = [report_title(document), document["agency"]["name"], document["introduction"]]
    cells = [
        text
        for row in report_rows(document)
        for pair in zip(HEADERS, row, strict=True)
        for text in pair
    ]
    return "\n".join(opening + cells)


def _report_opening(document: dict) -> str:
    return (
        f"<h1>{escape(report_title(document))}</h1>"
        f"<p>{escape(document['agency']['name'])}</p>"
        f"<p>{escape(document['introduction'])}</p>"
    )
