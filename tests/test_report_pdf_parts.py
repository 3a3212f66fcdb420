"""A long report's PDF laid out in parts and joined (reports/pdf_parts.py), read against the
same report laid out whole: a reader must not be able to tell them apart."""

import re
import subprocess
from io import BytesIO
from unittest import mock

import pikepdf
import pytest

from measures import thai
from reports import pdf as report_pdf
from reports import pdf_parts
from reports.opendata import open_data_document
from reports.pdf import render_archival_pdf, render_report_pdf
from tests.test_report_pdf import poppler, squeeze

MEASURES = 20


@pytest.fixture
def document(demo_report):
    """The seed's measures repeated, four in five cut to the first item of each list: rows
    of about a page and of a few lines, broken across pages, and some pages (here the 5th,
    6th, 8th, 10th and 11th) beginning with a new measure, where a part can end."""
    document = demo_report.latest_publication().document
    rows = document["measures"]
    measures = []
    for index in range(MEASURES):
        measure = {**rows[index % len(rows)], "number": index + 1}
        if index % 5:
            measure |= {key: measure[key][:1] for key in ("methods", "results", "outcomes")}
        measures.append(measure)
    return {**document, "measures": measures}


def in_parts(render, *args, part_measures: int, **kwargs) -> tuple[bytes, list[int], int]:
    """``render(*args, **kwargs)`` with parts of ``part_measures``: the PDF, the page count of
    each part joined, and how many parts were laid out again for want of a clean end."""
    joined, retried = [], []
    real_join, real_write_part = pdf_parts.join, report_pdf._write_part

    def join(parts, footers):
        joined.extend(len(pikepdf.open(BytesIO(part)).pages) for part in parts)
        return real_join(parts, footers)

    def write_part(*args, **kwargs):
        part = real_write_part(*args, **kwargs)
        retried.append(part is None)
        return part

    with (
        mock.patch.object(report_pdf, "PART_MEASURES", part_measures),
        mock.patch.object(pdf_parts, "join", join),
        mock.patch.object(report_pdf, "_write_part", write_part),
    ):
        pdf = render(*args, **kwargs)[2]
    return pdf, joined, sum(retried)


def pngs(pdf: bytes, tmp_path, name: str) -> list[bytes]:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", tmp_path / f"{name}.pdf", tmp_path / name], check=True
    )
    return [page.read_bytes() for page in sorted(tmp_path.glob(f"{name}-*.pgm"))]


@pytest.fixture
def whole(document):
    return render_report_pdf(document)[2]


@pytest.mark.parametrize("part_measures", [6, 2])
def test_parts_join_into_the_pages_one_render_gives(document, whole, part_measures, tmp_path):
    pdf, parts, retried = in_parts(render_report_pdf, document, part_measures=part_measures)
    assert len(parts) >= 3
    if part_measures == 2:
        # Two of the seed's measures seldom end on a page boundary: parts are laid out again.
        assert retried
    assert sum(parts) == len(pikepdf.open(BytesIO(whole)).pages)
    for mode in ("-raw", "-layout"):
        assert poppler("pdftotext", pdf, mode) == poppler("pdftotext", whole, mode)
    assert pngs(pdf, tmp_path, "parts") == pngs(whole, tmp_path, "whole")


def structure(pdf: bytes) -> dict:
    """What a screen reader relies on in the structure tree, checked as it is read: each
    page's marked content maps to elements of that page, each element's parent is the one
    that lists it. Returns the header cells' ids and the ids the data cells name."""
    with pikepdf.open(BytesIO(pdf)) as opened:
        root = opened.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        parents = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
        assert len(parents) == len(nums) // 2
        pages = {page.objgen: number for number, page in enumerate(opened.pages)}
        for number, page in enumerate(opened.pages):
            contents = page.obj.Contents
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents)
            mcids = re.findall(rb"/MCID (\d+)", b"".join(s.read_bytes() for s in streams))
            elements = parents[int(page.obj.StructParents)]
            assert sorted(int(mcid) for mcid in mcids) == list(range(len(elements)))
            assert all(pages[element.Pg.objgen] == number for element in elements)
        found = {"ids": [], "headers": [], "TH": 0}

        def walk(element):
            for kid in element.get("/K", ()):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    assert kid.P.objgen == element.objgen
                    if "/ID" in kid:
                        found["ids"].append(str(kid.ID))
                        found["TH"] += kid.S == "/TH"
                    if "/Headers" in kid.get("/A", {}):
                        found["headers"] += [str(header) for header in kid.A.Headers]
                    walk(kid)

        walk(root.K[0])
    return found


def test_the_joined_structure_tree_is_whole(document, whole):
    pdf, _parts, _retried = in_parts(render_report_pdf, document, part_measures=6)
    joined, single = structure(pdf), structure(whole)
    # The six headers on every page, and the scores' table after the last measure.
    assert joined["TH"] == single["TH"] > 6 * len(pikepdf.open(BytesIO(whole)).pages)
    assert len(set(joined["ids"])) == len(joined["ids"])
    assert set(joined["headers"]) <= set(joined["ids"])
    for found in (joined, single):
        found["named"] = (len(found["headers"]), len(set(found["ids"]) - set(found["headers"])))
    assert joined["named"] == single["named"]


def test_each_parts_font_subset_has_its_own_tag(document):
    pdf, parts, _retried = in_parts(render_report_pdf, document, part_measures=6)
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    names = [row.split()[0] for row in rows]
    # Regular and bold in each part, and the footers' regular.
    assert len(names) == 2 * len(parts) + 1
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Z]{6}\+Sarabun(-Bold)?", name) for name in names)


def test_a_draft_in_parts_is_watermarked_and_numbered_on_every_page(document):
    pdf, _parts, _retried = in_parts(render_report_pdf, document, draft=True, part_measures=6)
    pages = poppler("pdftotext", pdf, "-raw").split("\f")[:-1]
    last = thai.thai_digits(len(pages))
    for number, page in enumerate(pages, 1):
        assert squeeze("ฉบับร่าง") in squeeze(page)
        assert f"หน้า {thai.thai_digits(number)} / {last}" in page


def test_the_archival_pdf_in_parts_keeps_its_data_and_conformance(demo_report, document, tmp_path):
    data = open_data_document(demo_report.latest_publication())
    pdf, _parts, _retried = in_parts(render_archival_pdf, document, data, part_measures=6)
    with pikepdf.open(BytesIO(pdf)) as opened:
        with opened.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
        assert list(opened.attachments) == ["ita-mueang-phalai-2568.json"]
        assert str(opened.Root.Lang) == "th"
    public, _parts, _retried = in_parts(render_report_pdf, document, part_measures=6)
    assert poppler("pdftotext", pdf, "-raw") == poppler("pdftotext", public, "-raw")
    (tmp_path / "archival.pdf").write_bytes(pdf)
    check = subprocess.run(["qpdf", "--check", tmp_path / "archival.pdf"], capture_output=True)
    assert check.returncode == 0, check.stdout


def test_a_render_in_parts_tells_its_progress_after_each_part(document):
    calls = []
    _pdf, parts, _retried = in_parts(
        render_report_pdf, document, progress=lambda *call: calls.append(call), part_measures=6
    )
    assert len(calls) == len(parts)
    written = [done for done, _total in calls]
    assert written == sorted(set(written))
    assert calls[-1] == (MEASURES, MEASURES)
