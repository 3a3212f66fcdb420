"""Typing slips that a reader sees at once: each rule is a pattern, a reason and a fix."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures import thai
from measures.review.base import WARNING, Cell, ReviewInput, check

# Marks that sit on, above, below or after a consonant and so can never start a word.
THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0e30\u0e32\u0e33\u0e45"


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    message: Promise
    # The corrected text for the match, or None when only a person can tell.
    fix: object = None


def _thai_digits(match: re.Match) -> str:
    return thai.thai_digits(match.group())


RULES = [
    Rule(
        # Digits inside Latin words or codes ("O42", "COVID-19", "E-Service 2") stay Arabic.
        re.compile(r"(?<![A-Za-z0-9\-/.:])[0-9]+(?:[.,][0-9]+)*(?![A-Za-z0-9\-/])"),
        gettext_lazy("Arabic digits in Thai text: the report writes numbers in Thai digits."),
        _thai_digits,
    ),
    Rule(re.compile(r"(?<=\S) {2,}(?=\S)"), gettext_lazy("Doubled space."), lambda m: " "),
    Rule(
        re.compile(rf" +(?=[{THAI_MARKS}])"),
        gettext_lazy("A space before a Thai vowel or tone mark splits the word."),
        lambda m: "",
    ),
    Rule(
        re.compile("\u0e4d\u0e32"),
        gettext_lazy("Sara am typed as nikhahit and sara aa (ํ + า), as text copied from a PDF."),
        lambda m: "\u0e33",
    ),
    Rule(
        re.compile(r"(?<!\.)\.\.(?!\.)|([,;:!?])\1+"),
        gettext_lazy("Doubled punctuation."),
        lambda m: m.group()[0],
    ),
    Rule(
        re.compile(r"(?<=\S)(?<!ฯล)\s+ฯ(?!\s*ล\s*ฯ)"),
        gettext_lazy("Paiyannoi (ฯ) follows the shortened word with no space."),
        lambda m: "ฯ",
    ),
    Rule(
        re.compile(r"ฯ\s+ล\s*ฯ|ฯล\s+ฯ|ฯล(?!ฯ)"),
        gettext_lazy("Write “et cetera” as ฯลฯ, in one piece."),
        lambda m: "ฯลฯ",
    ),
    Rule(
        re.compile(r"(?<=[ก-๙])ฯลฯ"),
        gettext_lazy("Put a space before ฯลฯ."),
        lambda m: " ฯลฯ",
    ),
]

PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’"}


@check("typography")
def typography(review: ReviewInput):
    for cell in review.cells:
        for rule in RULES:
            for match in rule.pattern.finditer(cell.text):
                yield cell.finding(
                    "typography",
                    WARNING,
                    rule.message,
                    match.start(),
                    match.end(),
                    suggestion=rule.fix(match) if rule.fix else "",
                )
        yield from _unbalanced(cell)


def _unbalanced(cell: Cell):
    """An opening bracket or quote never closed, or a closing one never opened."""
    closing = {close: open_ for open_, close in PAIRS.items()}
    stack: list[int] = []
    strays: list[int] = []
    for index, char in enumerate(cell.text):
        if char in PAIRS:
            stack.append(index)
        elif char in closing:
            if stack and cell.text[stack[-1]] == closing[char]:
                stack.pop()
            else:
                strays.append(index)
    quotes = [i for i, char in enumerate(cell.text) if char == '"']
    if len(quotes) % 2:
        strays.append(quotes[-1])
    for index in sorted(strays + stack):
        yield cell.finding(
            "typography",
            WARNING,
            _("Unbalanced “%(char)s”: its partner is missing.") % {"char": cell.text[index]},
            index,
            index + 1,
        )
