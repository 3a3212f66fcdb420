"""Benchmark of the pre-publication review (issue 8), printing its figures.

1. False warnings on a corpus of correct sentences: the seed report's cells with its two known
   errors corrected ("ของ กำนัน" → "ของ กำนัล"; the cover's "บวลาย" is not part of the document)
   and scores stored that agree with its citations. Every finding there is a false one.
   A second corpus, bench/corpus_correct.txt, was written for this benchmark and not used to
   tune the checks.
2. Time of the full review of a 100-measure report: the seed's six measures repeated, every item
   of each copy extended with ten random dictionary words, so that no cache hides the work and
   the report has about as many distinct phrases as a real one. Timed cold (first review in the
   process: pythainlp builds its dictionary trie) and warm.

Run: .venv/bin/python bench/review.py
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from pythainlp.corpus import thai_words  # noqa: E402

from measures import thai  # noqa: E402
from measures.imports.report_text import parse_report_text  # noqa: E402
from measures.management.commands.load_demo import DEMO_AGENCY, DEMO_DIVISIONS  # noqa: E402
from measures.review import review_document  # noqa: E402
from measures.review.language import THAI_WORD, tokens, warm_up  # noqa: E402

INDICATORS = {
    1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 3: "การใช้อำนาจ",
    4: "การใช้ทรัพย์สินของราชการ", 5: "การแก้ไขปัญหาการทุจริต", 6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร", 8: "การปรับปรุงการทำงาน", 9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}  # fmt: skip
# Scores that agree with every citation of the seed: (last year, this year).
SCORES = {6: ("80.00", "80.02"), 7: ("90.00", "90.52"), 8: ("50.00", "84.33"),
          9: (None, "90.00"), 10: (None, "92.50")}  # fmt: skip


def filler(rng: random.Random, vocabulary: list[str]) -> str:
    """Ten dictionary words: each copy of the seed gets its own, so that a big report has as
    many distinct words and phrases as a real one would, not the seed's six measures again."""
    return "".join(rng.choice(vocabulary) for _ in range(10))


def seed_document(copies: int = 1) -> dict:
    text = (ROOT / "measures/demo/report-2568.txt").read_text(encoding="utf-8")
    text = text.replace("ของ กำนัน", "ของ กำนัล")
    parsed = parse_report_text(text, DEMO_DIVISIONS)
    vocabulary = sorted(w for w in thai_words() if THAI_WORD.fullmatch(w))
    rng = random.Random(8)  # noqa: S311 -- reproducible filler text, not a secret
    measures = []
    for copy in range(copies):
        for row in parsed.measures:
            tag = f" {filler(rng, vocabulary)} (ชุดที่ {thai.thai_digits(copy + 1)})" if copy else ""
            measures.append(
                {
                    "number": len(measures) + 1,
                    "title": row.title + tag,
                    "period": {
                        "start_month": row.start_month,
                        "start_year": row.start_year,
                        "end_month": row.end_month,
                        "end_year": row.end_year,
                    },
                    "divisions": row.divisions,
                    "indicators": [],
                    "methods": [t + tag for t in row.methods],
                    "results": [t + tag for t in row.results],
                    "outcomes": [
                        {"text": t + tag, "indicator": n}
                        for t, n in zip(row.outcomes, row.outcome_indicators, strict=True)
                    ],
                }
            )
    return {
        "schema_version": 1,
        "agency": DEMO_AGENCY,
        "fiscal_year": 2568,
        "introduction": parsed.introduction,
        "measures": measures,
        "scores": [
            {"indicator": n, "name_th": INDICATORS[n], "group": "", "score": s, "previous": p}
            for n, (p, s) in SCORES.items()
        ],
    }


def words_in(document: dict) -> int:
    texts = [document["introduction"]]
    for measure in document["measures"]:
        texts += [measure["title"], *measure["methods"], *measure["results"]]
        texts += [outcome["text"] for outcome in measure["outcomes"]]
    return sum(
        1
        for text in texts
        for token, _start, _end in tokens(text)
        if THAI_WORD.fullmatch(token) or token.isalnum()
    )


class Timing:
    """Wall-clock and CPU seconds: on this shared 2-core machine the wall clock also counts the
    time other processes held the CPU; the CPU time is what the review itself costs."""

    def __init__(self, wall: float = 0.0, cpu: float = 0.0):
        self.wall, self.cpu = wall, cpu

    def __add__(self, other: "Timing") -> "Timing":
        return Timing(self.wall + other.wall, self.cpu + other.cpu)

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


def timed(function, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def timed_review(document: dict) -> tuple[Timing, list]:
    return timed(lambda: review_document(document, indicator_names=INDICATORS))


def main():
    translation.activate("th")
    big = seed_document(copies=17)
    big["measures"] = big["measures"][:100]
    loading, _nothing = timed(warm_up)
    first, findings = timed_review(big)
    again, _findings = timed_review(big)
    size = f"{len(big['measures'])}-measure report ({words_in(big)} words)"
    print(f"loading pythainlp's dictionary (once per process, wsgi.py at start): {loading}")
    print(f"full review of a {size}: {first}, {len(findings)} findings")
    print(f"the same from a cold process (dictionary included): {loading + first}")
    print(f"the same text reviewed again (tokens cached): {again}")

    document = seed_document()
    _elapsed, findings = timed_review(document)
    words = words_in(document)
    print(f"corpus of correct sentences: the seed's cells, 2 known errors corrected: {words} words")
    print(f"false findings: {len(findings)} = {1000 * len(findings) / words:.2f} per 1,000 words")
    for finding in findings:
        print("  ", finding.severity, finding.check, finding.location, finding.message)

    lines = (ROOT / "bench/corpus_correct.txt").read_text(encoding="utf-8").splitlines()
    held_out = seed_document()
    held_out["measures"] = held_out["measures"][:1]
    held_out["measures"][0]["results"] = [x for x in lines if x and not x.startswith("#")]
    held_out["measures"][0]["methods"] = held_out["measures"][0]["outcomes"] = []
    held_out["measures"][0]["title"] = "การทดสอบ"
    findings = [f for f in timed_review(held_out)[1] if f.check != "completeness"]
    words = words_in(held_out)
    print(f"held-out corpus (bench/corpus_correct.txt plus the seed's introduction): {words} words")
    print(f"false findings: {len(findings)} = {1000 * len(findings) / words:.2f} per 1,000 words")
    for finding in findings:
        print("  ", finding.severity, finding.check, finding.location, finding.message)


if __name__ == "__main__":
    main()
