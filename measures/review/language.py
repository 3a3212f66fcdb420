"""Checks on the Thai text itself: unknown words, and one name or phrase spelled two ways.

Both read the text as pythainlp's dictionary tokenizer (newmm) splits it, offline. The wrap
spaces of text copied out of PDFs ("ของ กำนัน") fall between words, so whitespace is ignored when
tokens are joined into phrases; a zero-width space counts as whitespace.

Every step costs time linear in the text: suggestions are the dictionary words one edit away
(pythainlp's spell() also tries two edits, whose cost grows with the square of the word's length
and took a minute and gigabytes for a 30-letter run), and words longer than
limits.REVIEW_WORD_CHARS get none.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pythainlp import thai_letters
from pythainlp.corpus import thai_words
from pythainlp.spell import NorvigSpellChecker
from pythainlp.tokenize import word_tokenize

from itaportal import limits
from measures import thai
from measures.review.base import WARNING, Cell, ReviewInput, check

# Thai letters and marks: what a Thai word is made of (no digits, no ฯ or ๆ).
THAI_WORD = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")
MAX_SUGGESTIONS = 3


@cache
def dictionary() -> frozenset[str]:
    return frozenset(thai_words())


@cache
def _spell_checker() -> NorvigSpellChecker:
    """pythainlp's default spelling dictionary with its word frequencies."""
    return NorvigSpellChecker()


def warm_up() -> None:
    """Load the word lists and build the tokenizer's dictionary, once per process."""
    dictionary()
    _spell_checker()
    word_tokenize("ตรวจ", engine="newmm")


# Texts up to this long are kept tokenized: re-reviewing an unchanged report is cheap, and the
# cache stays in the tens of megabytes (real items are a few hundred characters; a long one is
# tokenized again each time).
CACHED_TEXT_CHARS = 1_000


def tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """(token, start, end) for every token of ``text``, whitespace included."""
    return _cached_tokens(text) if len(text) <= CACHED_TEXT_CHARS else _tokens(text)


def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    spans, position = [], 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        spans.append((token, position, position + len(token)))
        position += len(token)
    return tuple(spans)


_cached_tokens = lru_cache(maxsize=4_096)(_tokens)


def _is_thai_word(token: str) -> bool:
    return THAI_WORD.fullmatch(token) is not None


def _is_blank(token: str) -> bool:
    return not thai.SPACES.sub("", token)


@lru_cache(maxsize=5_000)
def suggestions(word: str) -> tuple[str, ...]:
    """Dictionary words one edit (a letter left out, added, changed or two swapped) from
    ``word``, the most frequent first; none for a word over limits.REVIEW_WORD_CHARS."""
    if len(word) > limits.REVIEW_WORD_CHARS:
        return ()
    checker = _spell_checker()
    found = set(checker.known(_one_edit(word))) - {word}
    return tuple(sorted(found, key=lambda s: (-checker.freq(s), s))[:MAX_SUGGESTIONS])


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits.update(left + right[1] + right[0] + right[2:] for left, right in splits[:-2])
    edits.update(left + c + right[1:] for left, right in splits if right for c in thai_letters)
    edits.update(left + c + right for left, right in splits for c in thai_letters)
    return edits


@check("spelling")
def spelling(review: ReviewInput):
    """Thai words found neither in the dictionary nor among the agency's own words."""
    words = dictionary()
    own = [*review.names, *review.accepted_words]
    for cell in review.cells_in_time("spelling"):
        spans = tokens(cell.text)
        unknown = _clusters(
            spans,
            [
                index
                for index, (token, _start, _end) in enumerate(spans)
                if _is_thai_word(token) and token not in words and not _stands_alone(spans, index)
            ],
        )
        if not unknown:
            continue
        pieces = _pieces(spans)
        covered = _occurrences(cell.text, own)
        for start, end in unknown:
            # Overlap, not containment: the tokenizer may cut across a name's first letter.
            if any(s < end and start < e for s, e in covered):
                continue
            start, end, proposals = _widest_correctable(cell.text, pieces, start, end)
            yield cell.finding(
                "spelling",
                WARNING,
                _("“%(word)s” is not in the dictionary.") % {"word": cell.text[start:end]},
                start,
                end,
                suggestion=" / ".join(proposals),
            )


def _stands_alone(spans, index: int) -> bool:
    """A single letter between spaces is a word the word list lacks (ณ); one glued to its
    neighbours is a piece of a word the tokenizer could not read."""
    if len(spans[index][0]) > 1:
        return False
    neighbours = spans[max(index - 1, 0) : index] + spans[index + 1 : index + 2]
    return all(_is_blank(token) for token, _start, _end in neighbours)


def _widest_correctable(text: str, pieces: dict[str, dict[int, int]], start: int, end: int):
    """The tokenizer cuts a misspelt word into pieces (ปฏิ|บัต for ปฏิบัต): take in the piece
    before or after when that makes a word one edit from a dictionary word, and suggest it."""
    before, after = pieces["ending"].get(start, start), pieces["starting"].get(end, end)
    for wide_start, wide_end in ((before, end), (start, after), (before, after)):
        word = text[wide_start:wide_end]
        proposals = suggestions(word)
        if proposals and distance(word, proposals[0], 1) <= 1:
            return wide_start, wide_end, proposals
    return start, end, suggestions(text[start:end])


def _pieces(spans) -> dict[str, dict[int, int]]:
    """The non-blank tokens by where they end and where they start: looked up for each unknown
    word, where a scan of the spans would cost the square of a cell's length."""
    solid = [(start, end) for token, start, end in spans if not _is_blank(token)]
    return {
        "ending": {end: start for start, end in solid},
        "starting": {start: end for start, end in solid},
    }


def _clusters(spans, unknown: list[int]) -> list[tuple[int, int]]:
    """Unknown tokens as the spans of text to quote. A misspelt word falls apart into unknown
    letters and short known syllables (ผู้|บ|ริ|หา|น), so unknown tokens separated only by
    pieces of one or two letters make one span."""
    clusters: list[list[int]] = []
    for index in unknown:
        if clusters and all(
            len(token) <= 2 and not _is_blank(token)
            for token, _start, _end in spans[clusters[-1][1] + 1 : index]
        ):
            clusters[-1][1] = index
        else:
            clusters.append([index, index])
    return [(spans[first][1], spans[last][2]) for first, last in clusters]


def _occurrences(text: str, words) -> list[tuple[int, int]]:
    found = []
    for word in words:
        for match in re.finditer(re.escape(word), text):
            found.append((match.start(), match.end()))
    return found


# Letters that sound alike and so get typed for one another; each group maps to its first letter.
_INITIAL_GROUPS = ("ขคฆ", "ฉชฌ", "ซศษส", "ญย", "ดฎ", "ตฏ", "ทฐฑฒถธ", "นณ", "พผภ", "ฟฝ", "ลรฬ", "หฮ")
# At the end of a syllable Thai keeps only four sounds, so far more letters are confused there.
_FINAL_GROUPS = ("กขคฆ", "ดจชซฌฎฏฐฑฒตถทธศษส", "บปพฟภ", "นญณรลฬ")
_INITIAL = {letter: group[0] for group in _INITIAL_GROUPS for letter in group}
_FINAL = {letter: group[0] for group in _FINAL_GROUPS for letter in group}
_MARKS = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"
)
_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
_LEADING_VOWELS = frozenset("เแโใไ")
MAX_PHRASE_TOKENS = 3
MIN_PHRASE_LENGTH = 5
MAX_DIFFERENCE = 2


@lru_cache(maxsize=50_000)
def sound_key(phrase: str) -> str:
    """What the phrase sounds like, roughly: marks dropped, look-alike sounds merged.

    Two spellings with the same key differ only in what a typist confuses: a missing or wrong
    vowel or tone mark (บวลาย/บัวลาย, อนุญาต/อนุญาติ), a final consonant of the same sound
    (กำนัน/กำนัล), ใ for ไ. Marks go first, so that a letter counts as final or initial alike in
    both spellings however their marks differ.
    """
    bare = "".join(char for char in phrase if char not in _MARKS)
    key = []
    for index, char in enumerate(bare):
        if char in _CONSONANTS:
            following = bare[index + 1] if index + 1 < len(bare) else ""
            final = (
                index > 0
                and bare[index - 1] not in _LEADING_VOWELS
                and (not following or following in _CONSONANTS or following in _LEADING_VOWELS)
            )
            key.append((_FINAL if final else _INITIAL).get(char, char))
        else:
            key.append("ไ" if char == "ใ" else char)
    return "".join(key)


def distance(a: str, b: str, limit: int = MAX_DIFFERENCE) -> int:
    """Levenshtein distance, giving up (limit + 1) as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass
class Phrase:
    text: str
    size: int  # in tokens
    occurrences: list[tuple[int, int, int]]  # (cell index, start, end)
    authoritative: bool = False

    def rank(self, words: frozenset[str]) -> tuple:
        """Which of two spellings to keep: the agency's own, then the more frequent, then the
        dictionary's, then the one the tokenizer read as fewer, longer words (หรือ|ของกำนัล
        rather than หรือ|ของ|กำนัน); the first seen breaks the remaining ties."""
        first = min(self.occurrences, default=(0, 0, 0))
        return (
            self.authoritative,
            len(self.occurrences),
            self.text in words,
            -self.size,
            [-n for n in first],
        )


def phrases(texts: Iterable[str]) -> dict[str, Phrase]:
    """Every run of one to three Thai words, joined with whitespace removed, and where it is."""
    found: dict[str, Phrase] = {}
    for index, text in enumerate(texts):
        words = [(t, s, e, _is_thai_word(t)) for t, s, e in tokens(text) if not _is_blank(t)]
        for first, (_token, start, _end, thai_word) in enumerate(words):
            if not thai_word:
                continue
            joined = ""
            for size, (token, _start, end, thai_word) in enumerate(
                words[first : first + MAX_PHRASE_TOKENS], start=1
            ):
                if not thai_word:
                    break
                joined += token
                if len(joined) >= MIN_PHRASE_LENGTH:
                    phrase = found.get(joined) or found.setdefault(joined, Phrase(joined, size, []))
                    phrase.occurrences.append((index, start, end))
    return found


@check("variants")
def variants(review: ReviewInput):
    """The same name or phrase spelled two ways in one report; the agency's names count."""
    words = dictionary()
    found = phrases(cell.text for cell in review.cells_in_time("variants"))
    for name, phrase in phrases(review.names).items():
        found.setdefault(name, Phrase(name, phrase.size, [])).authoritative = True
    by_sound: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in found.values():
        by_sound[sound_key(phrase.text)].append(phrase)
    candidates = []
    for group in by_sound.values():
        if len(group) < 2:
            continue
        preferred = max(group, key=lambda p: p.rank(words))
        for phrase in group:
            if phrase is preferred or distance(phrase.text, preferred.text) > MAX_DIFFERENCE:
                continue
            # Two dictionary words that sound alike (กำนัน, กำนัล) are both right somewhere;
            # only the words around them (ของกำนัน) show which one was meant.
            if phrase.size == preferred.size == 1 and {phrase.text, preferred.text} <= words:
                continue
            candidates.extend((occurrence, preferred) for occurrence in phrase.occurrences)
    yield from _shortest_first(review.cells, candidates)


def _shortest_first(cells: list[Cell], candidates):
    """One finding per spot: of overlapping spans, the shortest says most precisely what differs."""
    covered: dict[int, set[int]] = defaultdict(set)
    for (index, start, end), preferred in sorted(
        candidates, key=lambda c: (c[0][0], c[0][2] - c[0][1], c[0][1])
    ):
        # The characters already quoted, per cell: a phrase is at most three words, so the
        # test costs its length however many findings the cell has.
        if any(position in covered[index] for position in range(start, end)):
            continue
        covered[index].update(range(start, end))
        count = len(preferred.occurrences)
        if preferred.authoritative:
            message = _("Spelled differently from the agency's own “%(preferred)s”.")
        else:
            message = ngettext(
                "Spelled “%(preferred)s” once elsewhere in this report.",
                "Spelled “%(preferred)s” %(count)s times elsewhere in this report.",
                count,
            )
        yield cells[index].finding(
            "variants",
            WARNING,
            message % {"preferred": preferred.text, "count": thai.thai_digits(count)},
            start,
            end,
            suggestion=preferred.text,
        )
