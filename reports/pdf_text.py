"""PDFs whose text layer copies out exactly, in the report's public and archival variants.

WeasyPrint 70 draws Thai as the shaper leaves it: a consonant, then each of its marks as a
glyph of its own, moved back, up or forward by a text rise and TJ offsets (over the tall ป ฝ ฟ
ฬ, further than elsewhere). Readers that rebuild words from glyph positions see those moves:
poppler, pypdf and pdfminer.six put a space or a line break inside "ฟื้นฟู", "ริมฝั่งน้ำ"; poppler's
layout mode files a tone mark before its vowel ("ปีท่ี"); pdfminer.six starts a line at a
raised mark. And its ToUnicode has one entry per glyph id, from the first cluster the glyph
was drawn in, so once "การ" has claimed the glyph of า, every ำ (drawn as nikhahit + that
glyph) extracts as า.

So the fix hooks the drawing, one line at a time. Every grapheme cluster WeasyPrint draws as
more than one glyph, or raised, becomes one glyph: a composite glyph added to the embedded
subset font, whose components are the cluster's glyphs at the offsets they were drawn at,
and whose advance is the cluster's. The page looks the same (to a thousandth of an em), and
every line is one TJ array of whole clusters with no rise and no offsets inside a word. Every
distinct (glyph, text) pair gets its own character code, numbered 1, 2, 3… in drawing order:
the font's CIDToGIDMap sends it to its glyph, its ToUnicode CMap to its text (a whole
cluster's, "ฟื้", "น้ำ"), its W array to the glyph's advance, which the font's own hmtx repeats,
as PDF/A asks. Every reader, whether it follows the content order (pdftotext -raw, pypdf,
pdfminer.six, screen readers) or positions (PDF viewers selecting text, pdftotext's default
and -layout modes), gets the source text back, whitespace included.

The hooks wrap WeasyPrint's PDF ``Stream`` (fonts, font sizes, rises, TJ arrays) and its
``draw_first_line``; they buffer a line's glyphs until the line or its font run ends. They
rely on how ``draw_first_line`` fills ``font.to_unicode``, writes glyphs and offsets, and on
how ``build_fonts_dictionary`` lays out a font's dictionaries; they are inert outside
:func:`write_pdf`, so plain WeasyPrint rendering is unchanged. ``tests/test_pdf_text.py``
pins the WeasyPrint version and those internals, and a render fails loudly
(:class:`TextLayerError`) if the drawn glyphs stop matching what was recorded.
"""

import json
import re
import struct
import sys
import unicodedata
from array import array as typed_array
from collections import deque
from collections.abc import Iterable
from contextvars import ContextVar
from io import BytesIO
from math import ceil

import pydyf
import weasyprint
from django.utils.translation import gettext
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph as TrueTypeGlyph
from fontTools.ttLib.tables._g_l_y_f import GlyphComponent
from weasyprint.draw import text as weasyprint_text
from weasyprint.pdf.stream import Stream

# The version whose internals the hooks below were written against and tested with.
WEASYPRINT_VERSION = "70.0"

# The public download is tagged for screen readers (PDF/UA-1); the archival copy is PDF/A-3a,
# tagged too, with the report's data attached. WeasyPrint writes one variant per file, so there
# are two. Level a (and the u it includes) asks every code to map to Unicode: every code does,
# to the text of the cluster it draws. (PDF 1.4 variants such as PDF/A-1 would need a CIDSet
# rewritten for the new codes.)
PUBLIC = "pdf/ua-1"
ARCHIVAL = "pdf/a-3a"
VARIANTS = (None, PUBLIC, ARCHIVAL)

_LITTLE_ENDIAN = sys.byteorder == "little"
# A cluster's composite that its font cannot have: its glyphs are drawn one by one.
_GLYPH_BY_GLYPH = object()
_GLYPH_GROUP = re.compile(rb"<([0-9a-f]*)>")
_NUMBER = re.compile(rb"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
# Tables whose size follows the number of glyphs, which the composites change.
_PER_GLYPH_TABLES = ("hdmx", "LTSH", "VDMX", "vmtx", "VORG")


class TextLayerError(RuntimeError):
    """WeasyPrint drew glyphs differently from what this module was written for."""


class _Glyph:
    """A glyph as recorded: its font's table and font, its id, the text WeasyPrint found for
    it, whether it extends the cluster of the glyph before it; one per (font, glyph, text),
    so that what is worked out for it is worked out once per render: its advance and, once
    drawn on its own, its code as TJ hex."""

    __slots__ = ("advance", "continues", "font", "glyph_id", "shown", "table", "text")

    def __init__(self, table, font, glyph_id: int, text: str, continues: bool):
        self.table, self.font, self.glyph_id = table, font, glyph_id
        self.text, self.continues = text, continues
        self.advance = None  # in thousandths of an em, from the font once it is drawn
        self.shown = None  # b"<code>"


# A composite glyph: its advance and its components (glyph id, x, y), in font units.
_Composite = tuple[int, tuple[tuple[int, int, int], ...]]


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
        # (glyph id or composite, text) → code as TJ hex
        self.codes: dict[tuple[int | _Composite, str], bytes] = {}
        self.records: dict[tuple[int, int, str], _Glyph] = {}  # by (font, glyph id, text)

    def __contains__(self, glyph_id):
        return False

    def __setitem__(self, glyph_id: int, text: str):
        self.setdefault(glyph_id, text)
        font = self.layer.font
        record = self.records.get((id(font), glyph_id, text))
        if record is None:
            record = _Glyph(self, font, glyph_id, text, _continues_cluster(text))
            self.records[id(font), glyph_id, text] = record
        self.layer.pending.append(record)

    def code(self, glyph: int | _Composite, text: str) -> bytes:
        """The character code, as TJ hex, of ``glyph`` drawn for ``text``."""
        code = self.codes.get((glyph, text))
        if code is None:
            # Code 0 stays unused: an unmapped code falls back to CID 0, i.e. .notdef.
            number = len(self.codes) + 1
            if number > 0xFFFF:
                raise TextLayerError(f"over 65535 glyph texts in font {self.font.family}")
            code = self.codes[glyph, text] = b"%04x" % number
        return code

    def declare(self, pdf: pydyf.PDF, font_dictionary: pydyf.Dictionary, widths: dict):
        """Rewrite WeasyPrint's glyph-id-keyed font dictionaries for the numbered codes, and
        add the composite glyphs to the embedded font."""
        if self.font.used_in_forms:
            # Form fields are drawn by viewers with codes equal to glyph ids.
            raise TextLayerError("fonts of PDF form fields keep WeasyPrint's text layer")
        pairs = sorted((int(code, 16), glyph, text) for (glyph, text), code in self.codes.items())
        missing = set(self.font.missing.values())  # WeasyPrint's codes for .notdef glyphs
        cid_font = pdf.objects[_number(font_dictionary["DescendantFonts"][0])]
        descriptor = pdf.objects[_number(cid_font["FontDescriptor"])]
        composites = list(dict.fromkeys(g for _, g, _ in pairs if isinstance(g, tuple)))
        glyph_ids = {}
        if composites:
            font_file = pdf.objects[_number(descriptor["FontFile2"])]
            data, glyph_ids = _add_composites(b"".join(font_file.stream), composites)
            font_file.stream = [data]
            font_file.extra["Length1"] = len(data)

        to_unicode = pdf.objects[_number(font_dictionary["ToUnicode"])].stream
        start, end = to_unicode.index(b"endcodespacerange") + 1, to_unicode.index(b"endcmap")
        entries = [
            f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, _, text in pairs
        ]
        to_unicode[start:end] = _batches(entries, b"beginbfchar", b"endbfchar")

        glyphs, advances = [0], []
        for _, glyph, _ in pairs:
            if isinstance(glyph, tuple):
                glyphs.append(glyph_ids[glyph])
                advances.append(glyph[0] * 1000 / self.font.upem)
            else:
                glyphs.append(0 if glyph in missing else glyph)
                advances.append(widths[glyph])
        cid_to_gid = pydyf.Stream(
            [b"".join(glyph_id.to_bytes(2, "big") for glyph_id in glyphs)], compress=True
        )
        pdf.add_object(cid_to_gid)
        cid_font["CIDToGIDMap"] = cid_to_gid.reference
        cid_font["W"] = pydyf.Array([1, pydyf.Array(advances)])
        # Missing glyphs need no Encoding CMap of their own any more: the map sends them to 0.
        font_dictionary["Encoding"] = "/Identity-H"


def _add_composites(font_file: bytes, composites: list[_Composite]) -> tuple[bytes, dict]:
    """The TrueType ``font_file`` with ``composites`` appended, and their glyph ids.

    Only the composites are compiled: the other glyphs are copied as they are, and the
    composites' bounding boxes come from their components' glyph headers, because fontTools'
    own recalculation expands every glyph of the font, which took longer than the render of
    a short report's text."""
    font = TTFont(BytesIO(font_file), recalcBBoxes=False, recalcTimestamp=False)
    order = list(font.getGlyphOrder())
    glyf, hmtx, maxp = font["glyf"], font["hmtx"], font["maxp"]
    glyph_ids = {}
    for advance, components in composites:
        glyph = TrueTypeGlyph()
        glyph.numberOfContours = -1
        glyph.components, bounds = [], []
        for glyph_id, x, y in components:
            component = GlyphComponent()
            component.glyphName, component.flags = order[glyph_id], 0
            component.x, component.y = x, y
            glyph.components.append(component)
            x_min, y_min, x_max, y_max = _bounds(glyf.glyphs[order[glyph_id]])
            if x_min <= x_max:
                bounds.append((x_min + x, y_min + y, x_max + x, y_max + y))
        bounds = bounds or [(0, 0, 0, 0)]
        glyph.xMin, glyph.yMin = min(b[0] for b in bounds), min(b[1] for b in bounds)
        glyph.xMax, glyph.yMax = max(b[2] for b in bounds), max(b[3] for b in bounds)
        name = f"ita-cluster-{len(glyph_ids)}"
        glyph_ids[advance, components] = len(order)
        order.append(name)
        glyf.glyphs[name] = glyph
        hmtx[name] = (advance, glyph.xMin)
        maxp.maxComponentElements = max(maxp.maxComponentElements, len(components))
    # The components may be composites themselves (Sarabun's are not): one level more at most.
    maxp.maxComponentDepth += 1
    glyf.glyphOrder = order
    font.setGlyphOrder(order)
    for tag in _PER_GLYPH_TABLES:
        if tag in font:
            del font[tag]
    output = BytesIO()
    font.save(output)
    return output.getvalue(), glyph_ids


def _bounds(glyph: TrueTypeGlyph) -> tuple[int, int, int, int]:
    """A glyph's bounding box, from its header if fontTools has not unpacked it (an empty
    glyph: min above max)."""
    data = getattr(glyph, "data", None)
    if data is not None:
        return struct.unpack(">4h", data[2:10]) if data else (1, 1, 0, 0)
    if not hasattr(glyph, "xMin"):
        return (1, 1, 0, 0)
    return glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax


class _TextLayer:
    """The state of one render: each font's table, the glyphs recorded but not yet shown, and
    the line being drawn: its font run's glyphs and offsets, buffered until the run ends."""

    def __init__(self):
        self.tables: dict[str, _GlyphTexts] = {}  # by WeasyPrint's font hash
        self.pending: deque[_Glyph] = deque()
        self.font = None  # the font WeasyPrint draws with
        self.font_size = 1.0  # the size (Tf) of the run being drawn
        self.rise = 0.0  # WeasyPrint's text rise, which a composite takes over
        self.run: list[tuple[_Glyph, float] | float] = []  # glyphs with their rise; offsets
        self.stream = None  # the stream the run goes to
        self.drawing_line = False
        self.composites: dict[tuple, tuple[bytes, float] | object] = {}  # by cluster

    def table_for(self, font) -> _GlyphTexts:
        # Fonts with one hash share one PDF font resource, so they share one table too.
        if font.hash not in self.tables:
            self.tables[font.hash] = _GlyphTexts(self, font, font.to_unicode)
        return self.tables[font.hash]

    def buffer(self, stream, text: bytes):
        """Take a TJ array of the line being drawn into the run: its glyphs, checked against
        the recorded ones, and its offsets."""
        # WeasyPrint writes an offset after every glyph, mostly a kerning of 0 ("<01d1>0<01db>"):
        # without them, a line's glyphs come in a few long groups, each read in one go.
        text = text.replace(b">0<", b"")
        parts = _GLYPH_GROUP.split(text)  # offsets, glyph hex, offsets, glyph hex, …, offsets
        self.stream = stream
        run, pending, rise = self.run, self.pending, self.rise
        for index, part in enumerate(parts):
            if index % 2 == 0:
                # WeasyPrint writes the offsets it truncates to 0 too.
                if part and part != b"0":
                    run += [number for number in map(float, _NUMBER.findall(part)) if number]
                continue
            # The glyph ids, four hex digits each, as big-endian 16-bit numbers.
            drawn_ids = typed_array("H", bytes.fromhex(part.decode()))
            if _LITTLE_ENDIAN:
                drawn_ids.byteswap()
            count = len(drawn_ids)
            if count <= len(pending):
                glyphs = [pending.popleft() for _ in range(count)]
                if [glyph.glyph_id for glyph in glyphs] == drawn_ids.tolist():
                    run += [(glyph, rise) for glyph in glyphs]
                    continue
                pending.extendleft(reversed(glyphs))  # to say which glyph differs, below
            for drawn in drawn_ids:
                if not pending:
                    raise TextLayerError(f"glyph {drawn:04x} drawn, none recorded")
                glyph = pending.popleft()
                if glyph.glyph_id != drawn:
                    raise TextLayerError(f"glyph {drawn:04x} drawn, {glyph.glyph_id:04x} recorded")
                run.append((glyph, rise))

    def flush(self):
        """Write the buffered run as one TJ array: each cluster of several glyphs, or raised,
        as one composite glyph, each other glyph as it is, the offsets between clusters kept."""
        if not self.run:
            return
        array: list[bytes] = []
        cluster: list[tuple[_Glyph, float, float]] = []  # glyph, x, rise in thousandths of em
        start = pen = 0.0
        after: list[float] = []  # the offsets after the last glyph so far
        scale = 1000 / self.font_size
        for item in self.run:
            if item.__class__ is float:
                pen -= item
                after.append(item)
                continue
            glyph, rise = item
            if not (glyph.continues and cluster):
                if cluster:
                    self.write_cluster(array, cluster, after, pen - start)
                else:
                    array += map(_offset, after)
                cluster, start = [], pen
            after = []  # offsets inside a cluster: the composite keeps where they put glyphs
            cluster.append((glyph, pen - start, rise * scale if rise else 0))
            advance = glyph.advance
            if advance is None:
                advance = glyph.advance = glyph.font.widths[glyph.glyph_id]
            pen += advance
        self.write_cluster(array, cluster, after, pen - start)
        self.run = []
        self.show(array)

    def write_cluster(self, array: list[bytes], cluster: list, after: list, advance: float):
        """Add ``cluster`` (its glyphs, where they go) and the offsets ``after`` it to the TJ
        ``array``: as one glyph, which takes the cluster's text, or as its glyphs if the font
        cannot have composites. ``advance`` is where the next cluster starts."""
        if not cluster:
            array += map(_offset, after)
            return
        first = cluster[0][0]
        if len(cluster) == 1 and not cluster[0][2]:
            shown = first.shown
            if shown is None:
                shown = first.shown = b"<" + first.table.code(first.glyph_id, first.text) + b">"
            array.append(shown)
            if after:
                array += map(_offset, after)
            return
        # A cluster drawn again as before (the same glyphs, at the same places) is the same
        # composite: worked out once per render.
        key = tuple(cluster)
        composite = self.composites.get(key)
        if composite is None:
            composite = self.composites[key] = self.composite(cluster)
        if composite is _GLYPH_BY_GLYPH or advance < 0:
            self.write_glyphs(array, cluster)
            array += map(_offset, after)
            return
        shown, width = composite
        array.append(shown)
        if abs(rest := advance - width) > 0.01:
            array.append(_offset(-rest))

    def composite(self, cluster: list):
        """``(b"<code>", advance in thousandths of an em)`` of the composite glyph drawing
        ``cluster``; :data:`_GLYPH_BY_GLYPH` if its font cannot have one."""
        first = cluster[0][0]
        font = first.table.font
        missing = font.missing.values()  # WeasyPrint's .notdef glyphs, seldom any
        if font.type == "otf" or (
            missing and any(glyph.glyph_id in missing for glyph, _, _ in cluster)
        ):
            return _GLYPH_BY_GLYPH
        scale = font.upem / 1000
        # The composite advances as its glyphs do, so that one cluster is one glyph wherever it
        # stands; what the offsets after it add (WeasyPrint's rounding, spacing) stays an offset,
        # a small one: a mark's offsets before and after it cancel out.
        units = round(sum(glyph.font.widths[glyph.glyph_id] for glyph, _, _ in cluster) * scale)
        components = tuple(
            (glyph.glyph_id, round(x * scale), round(y * scale)) for glyph, x, y in cluster
        )
        text = "".join(glyph.text for glyph, _, _ in cluster)
        return b"<" + first.table.code((units, components), text) + b">", units / scale

    def write_glyphs(self, array: list[bytes], cluster: list):
        """Add ``cluster`` to ``array`` glyph by glyph, with offsets and rises as WeasyPrint
        drew it (in a font with no glyf table, or with .notdef glyphs, as in a font lacking
        the script)."""
        pen = 0.0
        for glyph, x, rise in cluster:
            if x != pen:
                array.append(_offset(pen - x))
            code = b"<" + glyph.table.code(glyph.glyph_id, glyph.text) + b">"
            if rise:
                self.show(array)
                _set_text_rise(self.stream, rise * self.font_size / 1000)
                _show_text(self.stream, code)
                _set_text_rise(self.stream, 0)
                array.clear()
            else:
                array.append(code)
            pen = x + glyph.font.widths[glyph.glyph_id]

    def show(self, array: list[bytes]):
        """Write ``array`` (codes and offsets) as a TJ array, codes next to each other in one
        string, as WeasyPrint writes them."""
        if array:
            _show_text(self.stream, b" ".join(array).replace(b"> <", b""))
            array.clear()

    def finish(self, document, pdf: pydyf.PDF):
        """WeasyPrint's finisher: give each font's PDF dictionaries the numbered codes."""
        if self.pending or self.run:
            raise TextLayerError("glyphs drawn but never written")
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
_set_font_size = Stream.set_font_size
_set_text_rise = Stream.set_text_rise
_show_text = Stream.show_text
_draw_first_line = weasyprint_text.draw_first_line


def _add_font_hook(stream, pango_font):
    font, font_size = _add_font(stream, pango_font)
    layer = _layer.get()
    if layer is not None and not font.bitmap:
        if not isinstance(font.to_unicode, _GlyphTexts):
            font.to_unicode = layer.table_for(font)
        layer.font = font
    return font, font_size


def _set_font_size_hook(stream, font, size):
    layer = _layer.get()
    if layer is not None:
        layer.flush()  # the run drawn so far goes out in its own font
        layer.font_size = size
    _set_font_size(stream, font, size)


def _set_text_rise_hook(stream, height):
    layer = _layer.get()
    if layer is not None and layer.drawing_line:
        layer.rise = height  # the glyphs' composites carry it
    else:
        _set_text_rise(stream, height)


def _show_text_hook(stream, text):
    layer = _layer.get()
    if layer is not None and layer.drawing_line and layer.pending:
        layer.buffer(stream, text if isinstance(text, bytes) else text.encode())
    else:
        if layer is not None:
            layer.flush()
        _show_text(stream, text)


def _draw_first_line_hook(stream, textbox, text_overflow, block_ellipsis, matrix):
    layer = _layer.get()
    if layer is None:
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    layer.drawing_line = True
    try:
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        layer.flush()  # a run never outlives its line, nor the line's tags
        layer.drawing_line, layer.rise = False, 0.0


Stream.add_font = _add_font_hook
Stream.set_font_size = _set_font_size_hook
Stream.set_text_rise = _set_text_rise_hook
Stream.show_text = _show_text_hook
weasyprint_text.draw_first_line = _draw_first_line_hook


def _offset(number: float) -> bytes:
    """A TJ offset as PDF writes numbers: no exponent."""
    return (b"%.4f" % number).rstrip(b"0").rstrip(b".")


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
