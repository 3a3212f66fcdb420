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
    words = (QUERY_SYNTAX.sub("", word).lower() for word in word_tokenize(text or ""))
    return [word for word in words if word]


def search_text(*texts: str) -> str:
    """The texts as one line of space-separated words, as kept in ``Agency.search_text``."""
    return " ".join(word for text in texts for word in search_words(text))


def published_titles(publications) -> list[str]:
    """The measure titles of each report's newest version, from (report id, document) pairs in
    version order."""
    latest = dict(publications)
    return [measure["title"] for document in latest.values() for measure in document["measures"]]
