"""The imported cover and heading against the agency record: the name, district and province a
report prints about itself must be the agency's (the seed's cover says "อำเภอบวลาย" for บัวลาย).

Used when a report's text is imported; the cover is not kept after that, so this is not a check
of the report document.
"""

import re

from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai
from measures.review.base import WARNING, Cell, Finding
from measures.review.language import MAX_DIFFERENCE, distance


def agency_names(agency) -> list[str]:
    """The forms a cover prints: full name, "อำเภอ…", "จังหวัด…"."""
    names = [agency.name]
    for prefix, value in (("อำเภอ", agency.district), ("จังหวัด", agency.province)):
        if value:
            names.append(value if value.startswith(prefix) else prefix + value)
    return names


def report_text_warnings(parsed, agency) -> list[Finding]:
    """What an imported text (a report_text.ParsedReport) says about the agency unlike its record:
    for the command and the upload page alike."""
    return cover_findings(parsed.cover_lines + parsed.heading_lines, agency)


# "ปีงบประมาณ พ.ศ. ๒๕๖๘" as a cover or heading prints the report's fiscal year.
_FISCAL_YEAR = re.compile(r"ปีงบประมาณ\s*(?:พ\.ศ\.)?\s*([๐-๙0-9]{4})")
# How a cover names a local agency: its full or short kind, then its name.
_AGENCY_NAME = re.compile(
    r"(?:องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร"
    r"|อบต\.|อบจ\.|ทต\.|ทม\.|ทน\.)\s*\S+"
)


def other_report_findings(lines: list[str], agency, fiscal_year: int) -> list[Finding]:
    """Warnings when a text's cover or heading is another year's report or another agency's:
    importing it still replaces this report's measures, which may be what is wanted (last
    year's report as a start), or a wrong file picked."""
    text = " ".join(lines)
    findings = []
    year = _FISCAL_YEAR.search(text)
    file_year = thai.parse_number(year[1]) if year else fiscal_year
    if file_year != fiscal_year:
        findings.append(
            Finding(
                "cover",
                WARNING,
                _(
                    "The file is the report of fiscal year %(file_year)s; you are importing it "
                    "into fiscal year %(year)s."
                )
                % {"file_year": thai.thai_digits(file_year), "year": thai.thai_digits(fiscal_year)},
            )
        )
    named = _AGENCY_NAME.search(text)
    names = [agency.name, agency.short_name]
    if named and not any(name and name in text for name in names):
        findings.append(
            Finding(
                "cover",
                WARNING,
                _("The file names “%(found)s”, not %(name)s.")
                % {"found": named[0], "name": agency.name},
            )
        )
    return findings


def cover_findings(lines: list[str], agency) -> list[Finding]:
    """A warning for each name in ``lines`` that is one or two letters off the agency's. A line
    longer than limits.COVER_LINE_CHARS is not a cover's line, and not compared."""
    findings = []
    for number, line in enumerate(lines, start=1):
        if len(line) > limits.COVER_LINE_CHARS:
            continue
        cell = Cell(line, "cover", item=number)
        for name in agency_names(agency):
            if name in line:
                continue
            near = _nearest(line, name)
            if near is None:
                continue
            start, end = near
            findings.append(
                cell.finding(
                    "cover",
                    WARNING,
                    _("The cover writes “%(found)s”; the agency record says “%(name)s”.")
                    % {"found": line[start:end], "name": name},
                    start,
                    end,
                    suggestion=name,
                )
            )
    return findings


def _nearest(line: str, name: str) -> tuple[int, int] | None:
    """The span of ``line`` closest to ``name`` if it is at most MAX_DIFFERENCE edits away."""
    best = None
    for length in range(len(name) - MAX_DIFFERENCE, len(name) + MAX_DIFFERENCE + 1):
        for start in range(len(line) - length + 1):
            span = line[start : start + length]
            if span[0].isspace() or span[-1].isspace():
                continue
            edits = distance(span, name)
            if edits <= MAX_DIFFERENCE and (best is None or edits < best[0]):
                best = (edits, start, start + length)
    return best[1:] if best else None
