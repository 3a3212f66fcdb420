"""How the tests read a PDF as its readers do: five text extractors, laid-out lines, page images."""

import subprocess
from io import BytesIO
from pathlib import Path

from pdfminer.high_level import extract_text as pdfminer_extract_text
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import InlineBlockBox, LineBox, TableCellBox, TextBox


def poppler_text(pdf: bytes, *options: str) -> str:
    command = ["pdftotext", *options, "-enc", "UTF-8", "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def pdfminer_text(pdf: bytes) -> str:
    return pdfminer_extract_text(BytesIO(pdf))


# What a reader copies or searches: poppler in its three modes (-layout is what many viewers'
# copy follows, the default rebuilds reading order, -raw keeps content order), pypdf and
# pdfminer.six, each with its own defaults.
READERS = {
    "pdftotext": poppler_text,
    "pdftotext -raw": lambda pdf: poppler_text(pdf, "-raw"),
    "pdftotext -layout": lambda pdf: poppler_text(pdf, "-layout"),
    "pypdf": pypdf_text,
    "pdfminer.six": pdfminer_text,
}


def read_all(pdf: bytes) -> dict[str, str]:
    return {name: read(pdf) for name, read in READERS.items()}


def _line_text(line: LineBox) -> str:
    """A line's text boxes joined; where an empty inline box (a legend's colour key) stands
    between two spaces, the line reads as one space."""
    text = ""
    for box in line.descendants():
        if isinstance(box, TextBox):
            text += box.text[1:] if text.endswith(" ") and box.text.startswith(" ") else box.text
    return text.strip()


def _holds_lines(line: LineBox) -> bool:
    """Whether ``line`` holds inline blocks with text (the print chart's label and bars): their
    lines are lines of their own, not parts of the line they sit on."""
    return any(
        isinstance(box, InlineBlockBox)
        and any(isinstance(inner, LineBox) and _line_text(inner) for inner in box.descendants())
        for box in line.descendants()
    )


def _lines(box):
    if isinstance(box, LineBox) and not _holds_lines(box):
        if text := _line_text(box):
            yield text
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def laid_out_lines(document) -> list[str]:
    """Every line of text WeasyPrint laid out in ``document`` (a ``weasyprint.Document``), as it
    is drawn: a line's text boxes joined, with the spaces it keeps inside."""
    return [line for page in document.pages for line in _lines(page._page_box)]


def laid_out_cells(document) -> list[list[str]]:
    """The lines of each table data cell (not the headers), in document order; a cell that a
    page break splits is one cell, its lines from both pages."""
    cells: dict[int, list[str]] = {}

    def walk(box):
        if isinstance(box, TableCellBox) and box.element.tag == "td":
            cells.setdefault(id(box.element), []).extend(_lines(box))
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return list(cells.values())


def missing_lines(lines: list[str], text: str) -> list[str]:
    """The ``lines`` that a reader's ``text`` does not have whole, whitespace included (a reader
    may set a line beside another of the same height, so a line is looked for in one)."""
    read = set(text.splitlines())
    return [line for line in lines if not any(line in got for got in read)]


def unwrap(lines: list[str], source: str) -> str:
    """``lines`` (a cell's lines as laid out) joined as a reader should give them back: nothing
    between two lines where the source runs on (Thai wraps between letters), a space where it
    had one."""
    text = lines[0]
    for line in lines[1:]:
        at = len(text)
        text += (" " if source[at : at + 1] == " " else "") + line
    return text


def png(pdf: bytes, directory: Path, name: str, *options: str) -> list[Path]:
    """The pages of ``pdf`` as PNG files rendered by poppler (``-r 100`` unless told)."""
    (directory / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", *(options or ("-r", "100")), "-png", f"{name}.pdf", name],
        cwd=directory,
        check=True,
    )
    return sorted(directory.glob(f"{name}-*.png"))


def stray_ink(image: Image.Image, reference: Image.Image) -> tuple | None:
    """Where ``image`` has ink (darker than half) that ``reference`` has not within a pixel (at
    a quarter dark, so that an edge's anti-aliasing does not count): None if nowhere."""
    ink = image.convert("L").point(lambda value: 255 if value < 128 else 0)
    near = reference.convert("L").point(lambda value: 255 if value < 192 else 0)
    return ImageChops.subtract(ink, near.filter(ImageFilter.MaxFilter(3))).getbbox()


def looks_the_same(first: Path, second: Path) -> bool:
    """Whether two page images have their ink in the same places, to within a pixel."""
    images = Image.open(first), Image.open(second)
    return images[0].size == images[1].size and not (
        stray_ink(*images) or stray_ink(*reversed(images))
    )
