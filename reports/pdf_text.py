"""PDFs whose text layer copies out exactly, in the report's public and archival variants.

WeasyPrint 70 writes one ToUnicode entry per glyph id, taken from the first cluster the glyph was
drawn in. Thai fonts reuse glyphs across characters: Sarabun draws ำ as nikhahit + the glyph of
า, so once "การ" has claimed that glyph for า, every ำ extracts as า (and a tone mark drawn
inside ำ's cluster disappears with it). No post-processing of the finished PDF can repair that,
because the knowledge that this า-glyph stood for ำ only exists while WeasyPrint draws the line.

So the fix hooks the drawing: every distinct (glyph, text) pair a font draws gets its own
character code, numbered 1, 2, 3… in drawing order. The font's CIDToGIDMap sends each code to
its glyph, its ToUnicode CMap to its text, its W array to the glyph's width. The page looks the
same, the encoding stays Identity-H, and every extractor that honours ToUnicode (Poppler, pypdf,
pdfminer, screen readers) gets the source text back. Numbering densely, rather than keeping glyph
ids as codes and adding spare ones, keeps the CIDToGIDMap a few hundred bytes long.
/ActualText spans were the other candidate, but pypdf and pdfminer.six ignore them; duplicating
glyphs inside the subset font would have meant rewriting the font itself.

The hooks are two methods of WeasyPrint's PDF ``Stream`` and rely on how ``draw_first_line``
uses ``font.to_unicode`` and how ``build_fonts_dictionary`` lays out a font's dictionaries; they
are inert outside :func:`write_pdf`, so plain WeasyPrint rendering is unchanged.
``tests/test_pdf_text.py`` pins the WeasyPrint version and those internals, and a render fails
loudly (:class:`TextLayerError`) if the drawn glyphs stop matching what was recorded.
"""

import json
import re
from collections import deque
from collections.abc import Iterable
from contextvars import ContextVar
from math import ceil

import pydyf
import weasyprint
from django.utils.translation import gettext
from weasyprint.pdf.stream import Stream

# The version whose internals the hooks below were written against and tested with.
WEASYPRINT_VERSION = "70.0"

# The public download is tagged for screen readers (PDF/UA-1); the archival copy is PDF/A-3b
# with the report's data attached. WeasyPrint writes one variant per file, so there are two.
# (PDF 1.4 variants such as PDF/A-1 would need a CIDSet rewritten for the new codes.)
PUBLIC = "pdf/ua-1"
ARCHIVAL = "pdf/a-3b"
VARIANTS = (None, PUBLIC, ARCHIVAL)

_GLYPH_GROUP = re.compile(rb"<([0-9a-f]+)>")


class TextLayerError(RuntimeError):
    """WeasyPrint drew glyphs differently from what this module was written for."""


class _GlyphTexts(dict):
    """A font's glyph id → text table for WeasyPrint, which also numbers the (glyph, text) pairs.

    WeasyPrint asks ``glyph_id not in font.to_unicode`` before it works out a glyph's text, so
    answering "not in" makes it report the text of every occurrence, not just the first. The
    glyph ids stay keys of the dict because WeasyPrint subsets the font to them.
    """

    def __init__(self, layer: "_TextLayer", font, entries: dict):
        super().__init__(entries)
        self.layer = layer
        self.font = font
        self.codes: dict[tuple[int, str], int] = {}  # (glyph id, text) → character code
        self.hexes: dict[tuple[int, str], tuple[bytes, bytes]] = {}  # … → both as TJ hex

    def __contains__(self, glyph_id):
        return False

    def __setitem__(self, glyph_id: int, text: str):
        self.setdefault(glyph_id, text)
        key = (glyph_id, text)
        hexes = self.hexes.get(key)
        if hexes is None:
            # Code 0 stays unused: an unmapped code falls back to CID 0, which must be .notdef.
            code = self.codes[key] = len(self.codes) + 1
            if code > 0xFFFF:
                raise TextLayerError(f"more than 65535 glyph texts in font {self.font.family}")
            hexes = self.hexes[key] = (b"%04x" % glyph_id, b"%04x" % code)
        self.layer.pending.append(hexes)

    def declare(self, pdf: pydyf.PDF, font_dictionary: pydyf.Dictionary, widths: dict):
        """Rewrite WeasyPrint's glyph-id-keyed font dictionaries for the numbered codes."""
        if self.font.used_in_forms:
            # Form fields are drawn by viewers with codes equal to glyph ids.
            raise TextLayerError("fonts of PDF form fields keep WeasyPrint's text layer")
        pairs = sorted((code, glyph_id, text) for (glyph_id, text), code in self.codes.items())
        missing = set(self.font.missing.values())  # WeasyPrint's codes for .notdef glyphs

        to_unicode = pdf.objects[_number(font_dictionary["ToUnicode"])].stream
        start, end = to_unicode.index(b"endcodespacerange") + 1, to_unicode.index(b"endcmap")
        entries = [
            f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, _, text in pairs
        ]
        to_unicode[start:end] = _batches(entries, b"beginbfchar", b"endbfchar")

        glyphs = [0] + [0 if glyph_id in missing else glyph_id for _, glyph_id, _ in pairs]
        cid_to_gid = pydyf.Stream(
            [b"".join(glyph_id.to_bytes(2, "big") for glyph_id in glyphs)], compress=True
        )
        pdf.add_object(cid_to_gid)
        cid_font = pdf.objects[_number(font_dictionary["DescendantFonts"][0])]
        cid_font["CIDToGIDMap"] = cid_to_gid.reference
        cid_font["W"] = pydyf.Array([1, pydyf.Array(widths[glyph_id] for _, glyph_id, _ in pairs)])
        # Missing glyphs need no Encoding CMap of their own any more: the map sends them to 0.
        font_dictionary["Encoding"] = "/Identity-H"


class _TextLayer:
    """The state of one render: each font's table, and the glyphs drawn but not yet written."""

    def __init__(self):
        self.tables: dict[str, _GlyphTexts] = {}  # by WeasyPrint's font hash
        # (glyph id, code) of each glyph drawn, in TJ hex, until the stream writes it
        self.pending: deque[tuple[bytes, bytes]] = deque()

    def table_for(self, font) -> _GlyphTexts:
        # Fonts with one hash share one PDF font resource, so they share one table too.
        if font.hash not in self.tables:
            self.tables[font.hash] = _GlyphTexts(self, font, font.to_unicode)
        return self.tables[font.hash]

    def recode(self, text: bytes) -> bytes:
        """A TJ array with each glyph's code in place of its glyph id."""
        parts = _GLYPH_GROUP.split(text)  # text, glyph hex, text, glyph hex, …, text
        drawn = b"".join(parts[1::2])
        if len(drawn) // 4 > len(self.pending):
            raise TextLayerError(f"glyphs {drawn.decode()} drawn, fewer recorded")
        recorded = [self.pending.popleft() for _ in range(len(drawn) // 4)]
        expected = b"".join(glyph for glyph, _ in recorded)
        if drawn != expected:
            raise TextLayerError(f"glyphs {drawn.decode()} drawn, {expected.decode()} recorded")
        codes = b"".join(code for _, code in recorded)
        start = 0
        for index in range(1, len(parts), 2):
            end = start + len(parts[index])
            parts[index] = b"<" + codes[start:end] + b">"
            start = end
        return b"".join(parts)

    def finish(self, document, pdf: pydyf.PDF):
        """WeasyPrint's finisher: give each font's PDF dictionaries the numbered codes."""
        if self.pending:
            raise TextLayerError(f"{len(self.pending)} drawn glyphs were never written")
        by_name = {table.font.name: table for table in self.tables.values()}
        widths = {table.font.hash: {} for table in self.tables.values()}
        for font in document.fonts.values():
            widths.get(font.hash, {}).update(font.widths)
        for pdf_object in tuple(pdf.objects):
            table = isinstance(pdf_object, dict) and by_name.get(pdf_object.get("BaseFont"))
            if table and table.codes and pdf_object.get("Subtype") == "/Type0":
                table.declare(pdf, pdf_object, widths[table.font.hash])


_layer: ContextVar[_TextLayer | None] = ContextVar("pdf_text_layer", default=None)
_add_font = Stream.add_font
_show_text = Stream.show_text


def _add_font_hook(stream, pango_font):
    font, font_size = _add_font(stream, pango_font)
    layer = _layer.get()
    if layer is not None and not font.bitmap and not isinstance(font.to_unicode, _GlyphTexts):
        font.to_unicode = layer.table_for(font)
    return font, font_size


def _show_text_hook(stream, text):
    layer = _layer.get()
    if layer is not None and layer.pending:
        text = layer.recode(text if isinstance(text, bytes) else text.encode())
    _show_text(stream, text)


Stream.add_font = _add_font_hook
Stream.show_text = _show_text_hook


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _batches(entries: list[bytes], begin: bytes, end: bytes) -> list[bytes]:
    """CMap sections of at most 100 entries, the limit PostScript CMaps set."""
    lines = []
    for index in range(ceil(len(entries) / 100)):
        batch = entries[index * 100 : (index + 1) * 100]
        lines += [str(len(batch)).encode() + b" " + begin, *batch, end]
    return lines


def write_pdf(
    html: weasyprint.HTML,
    *,
    variant: str | None = PUBLIC,
    attachments: Iterable[weasyprint.Attachment] = (),
    stylesheets: Iterable[weasyprint.CSS] = (),
    font_config=None,
) -> bytes:
    """``html`` as PDF bytes with an exact text layer: tagged PDF/UA-1 (:data:`PUBLIC`), tagged
    PDF/A-3b (:data:`ARCHIVAL`) or, with ``variant=None``, a plain untagged PDF.

    The tagged variants need the document's title and language (``<title>``, ``<html
    lang="th">``): a screen reader announces the one and picks its voice by the other, so a
    document without them is refused rather than written incomplete.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unsupported PDF variant {variant!r}")
    options = {
        "pdf_variant": variant,
        "pdf_tags": variant is not None,
        "attachments": list(attachments),
        "stylesheets": list(stylesheets),
    }
    layer = _TextLayer()
    token = _layer.set(layer)
    try:
        document = html.render(font_config=font_config, **options)
        if variant and not (document.metadata.title and document.metadata.lang):
            raise ValueError("a tagged PDF needs the document's <title> and <html lang>")
        return document.write_pdf(finisher=layer.finish, **options)
    finally:
        _layer.reset(token)


def report_data_attachment(document: dict) -> weasyprint.Attachment:
    """The report's open data (``measures.document.report_document``) as an associated file of
    the archival PDF, so that the archived PDF carries the data it was printed from. An
    Attachment can be written once: make one per PDF."""
    return weasyprint.Attachment(
        string=json.dumps(document, ensure_ascii=False, indent=2),
        name=f"ita-{document['agency']['slug']}-{document['fiscal_year']}.json",
        description=gettext("Report data (JSON)"),
        relationship="Data",
    )
