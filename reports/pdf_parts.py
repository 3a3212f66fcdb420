"""A long report's PDF laid out in parts and joined, so that a render holds one part in memory.

WeasyPrint keeps a document's whole layout (computed styles, boxes, then every page's PDF
objects and the structure tree) until the last page is written: about 1 MB per measure, 600 MB
for a report of 500 measures. reports.pdf lays a long report out a part at a time and this module
joins the parts into the PDF a single render would have given:

- every part uses the whole report's column widths (reports.pdf does that);
- a part ends at its last page that begins with a new measure (:func:`clean_end`): that page and
  the rest of the part are dropped and their measures begin the next part, so every page break
  is one a single render makes, with no half-empty page where a part ended;
- the footer ("หน้า ๓ / ๔๑") needs the page count, known only once every part is laid out: the
  parts are laid out without it, the footers are laid out on as many empty pages with the same
  @page rules, and :func:`join` draws each page's footer over it, marked as a pagination
  artifact (which a page number is, for PDF/UA);
- WeasyPrint tags a document page by page, each page's elements children of one Document
  element: :func:`join` moves the later parts' elements under the first part's, shifts their
  /StructParents keys, and makes the ids of their header cells unique.

tests/test_report_pdf_parts.py checks a report joined from parts against the same report laid
out whole: the same pages, pixel for pixel, and the same text.
"""

import hashlib
import io

import pikepdf
from weasyprint.formatting_structure import boxes

FOOTER_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


def _rows(page) -> list:
    """The elements of the measures table's body rows drawn on ``page`` (rows broken across
    pages are on both)."""
    for box in page._page_box.descendants():
        if isinstance(box, boxes.TableBox) and "measures" in box.element.get("class", ""):
            return [row.element for group in box.children if group.element_tag == "tbody"
                    for row in group.children]  # fmt: skip
    return []


def clean_end(pages: list) -> tuple[int, int] | None:
    """``(page, row)``: the last page after the first that begins with a new row (not one
    continued from the page before), and that row's index in the table's body; None if no
    page does."""
    rows = [_rows(page) for page in pages]
    body = {}
    for page_rows in rows:
        for row in page_rows:
            body.setdefault(row, len(body))
    for index in range(len(pages) - 1, 0, -1):
        first = rows[index][:1]
        if first and body[first[0]] > 0 and rows[index - 1][-1:] != first:
            return index, body[first[0]]
    return None


def _copy(joined: pikepdf.Pdf, value):
    """``value`` of another PDF, as ``joined``'s: indirect objects copied, direct arrays of them
    rebuilt."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return joined.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array(_copy(joined, item) for item in value)
    return value


def _unique_header_ids(element: pikepdf.Dictionary, prefix: str) -> None:
    """Prefix the /ID of the header cells in ``element``'s tables, and the /Headers of their
    data cells: WeasyPrint numbers them after PDF objects, which every part numbers from 1."""
    kids = element.get("/K")
    if not isinstance(kids, pikepdf.Array):
        return
    for kid in kids:
        if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") != "/StructElem":
            continue
        if "/ID" in kid:
            kid.ID = pikepdf.String(prefix + str(kid.ID))
        attributes = kid.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array(
                pikepdf.String(prefix + str(header)) for header in attributes.Headers
            )
        _unique_header_ids(kid, prefix)


def _retag_fonts(resources: pikepdf.Dictionary, seen: set, salt: str) -> None:
    """Give each subset font in ``resources`` a subset tag of its own (the six letters before
    "+" in its name): every part has its own Sarabun subset, with its own codes, and ISO 32000
    (9.6.4) wants different subsets of a font in one file to have different tags, lest a
    reader take one for another."""
    for font in resources.get("/Font", pikepdf.Dictionary()).values():
        old = str(font.BaseFont)[1:]
        if font.objgen in seen or old[6:7] != "+":
            continue
        seen.add(font.objgen)
        digest = hashlib.blake2b(f"{salt}{old}".encode(), digest_size=6).digest()
        name = pikepdf.Name("/" + "".join(chr(65 + byte % 26) for byte in digest) + old[6:])
        font.BaseFont = name
        for descendant in font.get("/DescendantFonts", ()):
            descendant.BaseFont = name
            descendant.FontDescriptor.FontName = name


def _append_part(joined: pikepdf.Pdf, part: pikepdf.Pdf, prefix: str) -> None:
    """Append ``part``'s pages and their structure elements to ``joined``."""
    parent_tree = joined.Root.StructTreeRoot.ParentTree.Nums
    offset = max(parent_tree[::2], default=-1) + 1
    fonts = set()
    for page in part.pages:
        joined.pages.append(page)
        copied = joined.pages[-1]
        _retag_fonts(copied.obj.Resources, fonts, prefix)
        copied.obj.StructParents = int(copied.obj.StructParents) + offset
        for annotation in copied.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    # The copies refer to the pages appended above: pikepdf copies each foreign object once.
    nums = part.Root.StructTreeRoot.ParentTree.Nums
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        parent_tree.extend([int(key) + offset, _copy(joined, value)])
    document = joined.Root.StructTreeRoot.K[0]
    for element in part.Root.StructTreeRoot.K[0].K:
        copied = _copy(joined, element)
        copied.P = document
        _unique_header_ids(copied, prefix)
        document.K.append(copied)


def _draw_footers(joined: pikepdf.Pdf, footers: pikepdf.Pdf) -> None:
    """Draw each page of ``footers`` over the page of ``joined`` with its number, as an
    artifact: the page's own drawing is kept in a saved graphics state."""
    fonts = set()
    for page, footer in zip(joined.pages, footers.pages, strict=True):
        form = joined.copy_foreign(footer.as_form_xobject())
        _retag_fonts(form.Resources, fonts, "footers")
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="Footer")
        page.contents_add(b"q", prepend=True)
        page.contents_add(b"Q " + FOOTER_ARTIFACT + b" " + bytes(name) + b" Do EMC")


def join(parts: list[bytes], footers: bytes) -> bytes:
    """The parts' pages in order, each with its page of ``footers`` drawn over it; the
    document's catalog (metadata, language, outline, attachments) is the first part's.
    Each part is closed once copied: copies keep their streams' data, not their source."""
    with pikepdf.open(io.BytesIO(parts[0])) as joined:
        for number, part in enumerate(parts[1:], start=2):
            with pikepdf.open(io.BytesIO(part)) as source:
                _append_part(joined, source, f"p{number}-")
        with pikepdf.open(io.BytesIO(footers)) as sheet:
            _draw_footers(joined, sheet)
        output = io.BytesIO()
        joined.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()
