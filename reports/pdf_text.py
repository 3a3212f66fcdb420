"""PDFs whose text layer copies out exactly, in the report's public and archival variants.

WeasyPrint 70 writes one ToUnicode entry per glyph id, taken from the first cluster the glyph was
drawn in. Thai fonts reuse glyphs across characters: Sarabun draws ำ as nikhahit + the glyph of
า, so once "การ" has claimed that glyph for า, every ำ extracts as า (and a tone mark drawn
inside ำ's cluster disappears with it). No post-processing of the finished PDF can repair that,
because the knowledge that this า-glyph stood for ำ only exists while WeasyPrint draws the line.

So the fix hooks the drawing: every distinct (glyph, text) pair a font draws gets its own
character code, numbered 1, 2, 3… in drawing order. The font's CIDToGIDMap sends each code to
its glyph, its ToUnicode CMap to its text, its W array to the glyph's width. The page looks the
same, the encoding stays Identity-H, and every extractor that reads ToUnicode in content order
(pypdf, pdfminer, pdftotext -raw, screen readers) gets the source text back. Numbering densely,
rather than keeping glyph ids as codes and adding spare ones, keeps the CIDToGIDMap a few
hundred bytes long. Duplicating glyphs inside the subset font was the other way to get distinct
codes, but would have meant rewriting the font itself.

ToUnicode alone is not enough for readers that rebuild lines from glyph positions (PDF viewers
selecting text, pdftotext's default mode): Sarabun moves some marks forward or up, and such a
reader files the mark after the next letter ("วิธี" → "วิธดี"). A cluster with such a glyph
is therefore also wrapped in a marked-content span whose /ActualText is the cluster's text, as
Chromium does. /ActualText alone would not do either: pypdf and pdfminer.six ignore it.

The hooks wrap two methods of WeasyPrint's PDF ``Stream`` and its ``draw_first_line``. They
rely on how ``draw_first_line`` fills ``font.to_unicode`` and writes glyphs, and on how
``build_fonts_dictionary`` lays out a font's dictionaries; they are inert outside
:func:`write_pdf`, so plain WeasyPrint rendering is unchanged. ``tests/test_pdf_text.py`` pins
the WeasyPrint version and those internals, and a render fails loudly (:class:`TextLayerError`)
if the drawn glyphs stop matching what was recorded.
"""

import itertools
import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterable
from contextvars import ContextVar
from math import ceil
from typing import NamedTuple

import pydyf
import weasyprint
from django.utils.translation import gettext
from weasyprint.draw import text as weasyprint_text
from weasyprint.pdf.stream import Stream
from weasyprint.text.ffi import ffi, pango

# The version whose internals the hooks below were written against and tested with.
WEASYPRINT_VERSION = "70.0"

# The public download is tagged for screen readers (PDF/UA-1); the archival copy is PDF/A-3a,
# tagged too, with the report's data attached. WeasyPrint writes one variant per file, so there
# are two. Level a (and the u it includes) asks every code to map to Unicode: every code does,
# and the only empty mappings are the glyphs that begin a cluster whose text the cluster's last
# glyph carries (ำ is drawn as two glyphs but is one character, so one of them maps to "").
# (PDF 1.4 variants such as PDF/A-1 would need a CIDSet rewritten for the new codes.)
PUBLIC = "pdf/ua-1"
ARCHIVAL = "pdf/a-3a"
VARIANTS = (None, PUBLIC, ARCHIVAL)

_GLYPH_GROUP = re.compile(rb"<([0-9a-f]+)>")


class TextLayerError(RuntimeError):
    """WeasyPrint drew glyphs differently from what this module was written for."""


class _Glyph(NamedTuple):
    """A glyph as drawn: its id and code as TJ hex, its text, whether it extends the cluster
    of the glyph before it, whether it is displaced (see :func:`_displacements`)."""

    glyph: bytes
    code: bytes
    text: str
    continues: bool
    displaced: bool


def _continues_cluster(text: str) -> bool:
    # WeasyPrint gives all but the last glyph of a multi-glyph cluster an empty text; ำ is a
    # spacing mark that grapheme clusters still attach to the consonant before it.
    return not text or unicodedata.category(text[0]) in ("Mn", "Me") or text[0] == "\u0e33"


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
        self.records: dict[tuple[int, str, bool], _Glyph] = {}

    def __contains__(self, glyph_id):
        return False

    def __setitem__(self, glyph_id: int, text: str):
        self.setdefault(glyph_id, text)
        displaced = self.layer.displaced.popleft() if self.layer.displaced else False
        record = self.records.get((glyph_id, text, displaced))
        if record is None:
            code = self.codes.get((glyph_id, text))
            if code is None:
                # Code 0 stays unused: an unmapped code falls back to CID 0, i.e. .notdef.
                code = self.codes[glyph_id, text] = len(self.codes) + 1
                if code > 0xFFFF:
                    raise TextLayerError(f"over 65535 glyph texts in font {self.font.family}")
            record = self.records[glyph_id, text, displaced] = _Glyph(
                b"%04x" % glyph_id, b"%04x" % code, text, _continues_cluster(text), displaced
            )
        self.layer.pending.append(record)

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
    """The state of one render: each font's table, the glyphs drawn but not yet written, and the
    /ActualText span being written, if any."""

    def __init__(self):
        self.tables: dict[str, _GlyphTexts] = {}  # by WeasyPrint's font hash
        self.pending: deque[_Glyph] = deque()
        self.displaced: deque[bool] = deque()  # for the glyphs of the line being drawn
        self.span: tuple[list, int, list[str]] | None = None  # (stream list, BDC index, texts)

    def table_for(self, font) -> _GlyphTexts:
        # Fonts with one hash share one PDF font resource, so they share one table too.
        if font.hash not in self.tables:
            self.tables[font.hash] = _GlyphTexts(self, font, font.to_unicode)
        return self.tables[font.hash]

    def show_text(self, stream, text: bytes):
        """Write a TJ array with each glyph's code in place of its glyph id, cut around the
        clusters that need an /ActualText span: those with a displaced glyph, and those whose
        glyphs WeasyPrint writes across arrays (it gives a raised or lowered mark a TJ array of
        its own), whose span stays open until the cluster ends."""
        parts = _GLYPH_GROUP.split(text)  # text, glyph hex, text, glyph hex, …, text
        drawn = b"".join(parts[1::2])
        count = len(drawn) // 4
        if count > len(self.pending):
            raise TextLayerError(f"glyphs {drawn.decode()} drawn, fewer recorded")
        glyphs = [self.pending.popleft() for _ in range(count)]
        expected = b"".join(glyph.glyph for glyph in glyphs)
        if drawn != expected:
            raise TextLayerError(f"glyphs {drawn.decode()} drawn, {expected.decode()} recorded")
        if not count:
            _show_text(stream, text)
            return

        codes = [glyph.code for glyph in glyphs]
        crossing = self.pending and self.pending[0].continues
        if self.span is None and not crossing and not any(g.displaced for g in glyphs):
            _show_text(stream, _replace_glyphs(parts, b"".join(codes)))
            return

        # Where the array is cut: the end of the open span, the start and end of new ones.
        events: list[tuple[int, str]] = []
        start = next((i for i, glyph in enumerate(glyphs) if not glyph.continues), count)
        if self.span is not None:
            self.span[2].extend(glyph.text for glyph in glyphs[:start])
            if start < count:
                events.append((start, "close"))
        while start < count:
            end = next((i for i in range(start + 1, count) if not glyphs[i].continues), count)
            last = end == count and crossing
            if last or (end - start > 1 and any(g.displaced for g in glyphs[start:end])):
                events.append((start, "open"))
                if not last:
                    events.append((end, "close"))
            start = end
        if not events:
            _show_text(stream, _replace_glyphs(parts, b"".join(codes)))
            return

        cuts = sorted({0, count, *(index for index, _ in events)})
        for cut, array in zip(cuts, _split_tj(parts, codes, cuts), strict=False):
            for index, event in events:
                if index != cut:
                    continue
                if event == "close":
                    self.close_span()
                else:
                    stream.stream.append(b"")  # the BDC, written once the span's text is known
                    self.span = (stream.stream, len(stream.stream) - 1, [])
                    cluster = itertools.takewhile(lambda glyph: glyph.continues, glyphs[cut + 1 :])
                    self.span[2].extend([glyphs[cut].text, *(glyph.text for glyph in cluster)])
            if array:
                _show_text(stream, array)

    def close_span(self):
        """End the open /ActualText span, if any, and write its text into its BDC."""
        if self.span is None:
            return
        operators, index, texts = self.span
        actual_text = ("\ufeff" + "".join(texts)).encode("utf-16-be").hex().encode()
        operators[index] = b"/Span <</ActualText <" + actual_text + b">>> BDC"
        operators.append(b"EMC")
        self.span = None

    def finish(self, document, pdf: pydyf.PDF):
        """WeasyPrint's finisher: give each font's PDF dictionaries the numbered codes."""
        if self.pending or self.span:
            raise TextLayerError("glyphs drawn but never written, or a cluster never ended")
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
_draw_first_line = weasyprint_text.draw_first_line


def _add_font_hook(stream, pango_font):
    font, font_size = _add_font(stream, pango_font)
    layer = _layer.get()
    if layer is not None and not font.bitmap and not isinstance(font.to_unicode, _GlyphTexts):
        font.to_unicode = layer.table_for(font)
    return font, font_size


def _show_text_hook(stream, text):
    layer = _layer.get()
    if layer is not None and layer.pending:
        layer.show_text(stream, text if isinstance(text, bytes) else text.encode())
    else:
        _show_text(stream, text)


def _draw_first_line_hook(stream, textbox, text_overflow, block_ellipsis, matrix):
    layer = _layer.get()
    drawn = textbox.text.strip() and text_overflow != "ellipsis" and block_ellipsis == "none"
    if layer is not None and drawn:
        # An ellipsis makes WeasyPrint lay the line out again; its glyphs get no flags.
        layer.displaced.extend(_displacements(textbox))
    try:
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        if layer is not None:  # a span never outlives its line, nor the line's tags
            layer.displaced.clear()
            layer.close_span()


def _displacements(textbox) -> list[bool]:
    """Whether each glyph ``draw_first_line`` will draw is moved forward or up or down.

    Readers that rebuild lines file a glyph by its origin: a mark moved back over its
    consonant stays in place, one moved forward lands after the next letter, and one raised or
    lowered is taken for a word of another line."""
    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)  # as draw_first_line does
    flags = []
    run = layout.get_first_line()[0].runs[0]
    while run != ffi.NULL:
        glyphs = run.data.glyphs
        flags += [
            info.geometry.x_offset > 0 or info.geometry.y_offset != 0
            for info in glyphs.glyphs[0 : glyphs.num_glyphs]
            if info.glyph != pango.PANGO_GLYPH_EMPTY
        ]
        run = run.next
    return flags


Stream.add_font = _add_font_hook
Stream.show_text = _show_text_hook
weasyprint_text.draw_first_line = _draw_first_line_hook


def _replace_glyphs(parts: list[bytes], codes: bytes) -> bytes:
    """The split TJ array ``parts`` joined again, with ``codes`` in the glyph groups."""
    parts = parts.copy()
    start = 0
    for index in range(1, len(parts), 2):
        end = start + len(parts[index])
        parts[index] = b"<" + codes[start:end] + b">"
        start = end
    return b"".join(parts)


def _split_tj(parts: list[bytes], codes: list[bytes], cuts: list[int]) -> list[bytes]:
    """The split TJ array ``parts`` as one array per stretch of glyphs between ``cuts``, with
    ``codes`` in place of the glyphs; spacing after a glyph stays with that glyph."""
    arrays = [[] for _ in cuts[:-1]]
    stretch = glyph = 0
    for index, part in enumerate(parts):
        if index % 2 == 0:
            arrays[stretch].append(part)
            continue
        for _ in range(len(part) // 4):
            while glyph >= cuts[stretch + 1]:
                stretch += 1
            arrays[stretch].append(b"<" + codes[glyph] + b">")
            glyph += 1
    return [b"".join(array) for array in arrays]


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _batches(entries: list[bytes], begin: bytes, end: bytes) -> list[bytes]:
    """CMap sections of at most 100 entries, the limit PostScript CMaps set."""
    lines = []
    for index in range(ceil(len(entries) / 100)):
        batch = entries[index * 100 : (index + 1) * 100]
        lines += [str(len(batch)).encode() + b" " + begin, *batch, end]
    return lines


def _options(variant: str | None, **options) -> dict:
    if variant not in VARIANTS:
        raise ValueError(f"unsupported PDF variant {variant!r}")
    return {"pdf_variant": variant, "pdf_tags": variant is not None, **options}


def lay_out(
    html: weasyprint.HTML,
    *,
    variant: str | None = PUBLIC,
    stylesheets: Iterable[weasyprint.CSS] = (),
    font_config=None,
) -> weasyprint.Document:
    """``html`` laid out in pages for :func:`write` (in the same ``variant``).

    The tagged variants need the document's title and language (``<title>``, ``<html
    lang="th">``): a screen reader announces the one and picks its voice by the other, so a
    document without them is refused rather than written incomplete.
    """
    options = _options(variant, stylesheets=list(stylesheets))
    document = html.render(font_config=font_config, **options)
    if variant and not (document.metadata.title and document.metadata.lang):
        raise ValueError("a tagged PDF needs the document's <title> and <html lang>")
    return document


def write(
    document: weasyprint.Document,
    *,
    variant: str | None = PUBLIC,
    attachments: Iterable[weasyprint.Attachment] = (),
) -> bytes:
    """A laid-out document (or some of its pages: ``Document.copy``) as PDF bytes with an exact
    text layer: tagged PDF/UA-1 (:data:`PUBLIC`), tagged PDF/A-3a (:data:`ARCHIVAL`) or, with
    ``variant=None``, a plain untagged PDF."""
    layer = _TextLayer()
    token = _layer.set(layer)
    try:
        options = _options(variant, attachments=list(attachments))
        return document.write_pdf(finisher=layer.finish, **options)
    finally:
        _layer.reset(token)


def write_pdf(
    html: weasyprint.HTML,
    *,
    variant: str | None = PUBLIC,
    attachments: Iterable[weasyprint.Attachment] = (),
    stylesheets: Iterable[weasyprint.CSS] = (),
    font_config=None,
) -> bytes:
    """``html`` laid out and written: :func:`lay_out`, then :func:`write`."""
    document = lay_out(html, variant=variant, stylesheets=stylesheets, font_config=font_config)
    return write(document, variant=variant, attachments=attachments)


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
