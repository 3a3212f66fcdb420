"""Items and sub-items of a measure's lists (methods, results, outcomes), and their printed numbers.

An item is at level 0 and numbered ๑., ๒., …; a sub-item (level 1) belongs to the item before it
and is numbered after it, ๑.๑, ๑.๒, … The number is never stored: it follows from the order and
the levels, so that moving or removing an item renumbers the rest. A sub-item with no item
before it (the first of a list) is printed as an item, and stored as one (``levels_of``).
"""

import re
from typing import NamedTuple

from measures import thai

ITEM, SUB_ITEM = 0, 1
LEVELS = (ITEM, SUB_ITEM)
LISTS = ("methods", "results", "outcomes")


class ListItem(NamedTuple):
    text: str
    level: int = ITEM


def levels_of(levels) -> list[int]:
    """``levels`` as they can be kept: only 0 and 1, and the first item never a sub-item."""
    kept = [SUB_ITEM if level else ITEM for level in levels]
    if kept:
        kept[0] = ITEM
    return kept


def labels(levels) -> list[str]:
    """The printed number of each item, Thai digits, without the dot an item's number takes:
    ["๑", "๑.๑", "๑.๒", "๒"]."""
    out = []
    item = sub = 0
    for level in levels_of(levels):
        if level == SUB_ITEM:
            sub += 1
            out.append(f"{thai.thai_digits(item)}.{thai.thai_digits(sub)}")
        else:
            item, sub = item + 1, 0
            out.append(thai.thai_digits(item))
    return out


def prefix(label: str) -> str:
    """What stands before an item's text: "๑." for an item, "๑.๑" for a sub-item (as people
    write them, and as every reader here reads them back)."""
    return label if "." in label else f"{label}."


def numbered_lines(texts, levels=None) -> str:
    """A list as lines numbered as printed: "๑. …", "๑.๑ …", "๒. …"."""
    texts = list(texts)
    levels = list(levels or [ITEM] * len(texts))
    return "\n".join(
        f"{prefix(label)} {text}" for label, text in zip(labels(levels), texts, strict=True)
    )


def measure_levels(measure: dict, column: str) -> list[int]:
    """The levels of a document measure's list; documents made before sub-items, and lists
    without any, have no "levels" entry: all their items are items."""
    return measure.get("levels", {}).get(column) or [ITEM] * len(measure[column])


def document_levels(lists: dict[str, list[int]]) -> dict | None:
    """The "levels" entry of a document's measure: present only when a list has a sub-item, so
    that a report without any keeps the document it had before sub-items existed."""
    if any(SUB_ITEM in levels for levels in lists.values()):
        return {column: levels_of(lists[column]) for column in LISTS}
    return None


# A line's number: "๑." or "1." (an item), "๑.๑" or "1.2." (a sub-item), at the line's start.
_LINE_NUMBER = re.compile(r"^([๐-๙0-9]{1,3})\.(?:([๐-๙0-9]{1,2})\.?)?(?![๐-๙0-9])\s*")


def line_number(line: str) -> tuple[int, int | None, int] | None:
    """(item number, sub-item number or None, where the text starts) of a numbered line."""
    match = _LINE_NUMBER.match(line)
    if not match:
        return None
    sub = thai.parse_number(match.group(2)) if match.group(2) else None
    return thai.parse_number(match.group(1)), sub, match.end()


def read_numbered_lines(lines: list[str]) -> list[ListItem] | None:
    """Lines numbered as ``numbered_lines`` writes them, read back; None if they are not (a
    number out of its place, an unnumbered line), for the caller to read them otherwise."""
    items: list[ListItem] = []
    item = sub = 0
    for line in lines:
        numbered = line_number(line)
        if numbered is None:
            return None
        number, sub_number, start = numbered
        if sub_number is None and number == item + 1:
            item, sub = number, 0
            items.append(ListItem(line[start:]))
        elif sub_number is not None and item and number == item and sub_number == sub + 1:
            sub = sub_number
            items.append(ListItem(line[start:], SUB_ITEM))
        else:
            return None
    return items
