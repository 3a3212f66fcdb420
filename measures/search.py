"""Thai-aware search text: Thai is written without spaces between words, so both the text kept for
searching and what a visitor types are cut into words by pythainlp and joined with spaces.

PostgreSQL's full-text search (``simple`` configuration, prefix matches) and SQLite's substring
match both work on those space-separated words.
"""

import re

from pythainlp.tokenize import word_tokenize

# Characters with a meaning in a tsquery; a word keeps its letters only.
QUERY_SYNTAX = re.compile(r"[&|!():*'\\<>\"\s]+")


def search_words(text: str) -> list[str]:
    # A hyphen joins the words of a slug ("mueang-phalai"), which pythainlp keeps as one.
    words = (
        QUERY_SYNTAX.sub("", word).lower() for word in word_tokenize((text or "").replace("-", " "))
    )
    # A word of punctuation alone ("-", ".") finds nothing and only slows the search.
    return [word for word in words if any(char.isalnum() for char in word)]


def query_words(query: str) -> list[str]:
    """The words a visitor typed, each once: a pasted text repeats its words, and each costs
    the index a scan."""
    return list(dict.fromkeys(search_words(query)))


def search_text(*texts: str) -> str:
    """The texts as one line of space-separated words, each once, in their first order, as kept
    in ``Agency.search_text``."""
    return " ".join(dict.fromkeys(word for text in texts for word in search_words(text)))


def name_text(agency) -> str:
    """Every name people look an agency up by: its Thai full and short names, its romanised or
    English name, its URL slug, district and province, the last two also as people write them
    ("อำเภอบัวลาย"). ``agency`` may be a migration's model."""
    district = f"อำเภอ{agency.district}" if agency.district else ""
    return search_text(
        agency.name,
        agency.short_name,
        agency.name_en,
        agency.slug,
        district,
        f"จังหวัด{agency.province}",
    )


def published_texts(publications) -> list[str]:
    """The words of each report's newest version as the public reads it (titles, methods,
    results, outcomes), from (report id, document) pairs in version order."""
    latest = dict(publications)
    return [
        text
        for document in latest.values()
        for measure in document["measures"]
        for text in (
            measure["title"],
            *measure["methods"],
            *measure["results"],
            *(outcome["text"] for outcome in measure["outcomes"]),
        )
    ]
