"""Render time of the demo report's PDFs (public and archival), as the portal renders them.

    /work/main/.venv/bin/python bench/pdf_demo.py [--runs 7]

Loads the demo report into an in-memory database, renders each PDF once to warm up, then
--runs times in alternation, and prints CPU seconds (median and best) and size: the figure
issue 22's text layer and print layout are held to (within 1.2× of the figure before them).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from measures.management.commands.load_demo import load_demo  # noqa: E402
from measures.models import Report  # noqa: E402
from reports.opendata import open_data_document  # noqa: E402
from reports.pdf import render_archival_pdf, render_report_pdf  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    call_command("migrate", verbosity=0)
    load_demo()
    publication = Report.objects.get(fiscal_year=2568).latest_publication()
    document, data = publication.document, open_data_document(publication)
    renders = {
        "public (PDF/UA-1)": lambda: render_report_pdf(document)[2],
        "archival (PDF/A-3a)": lambda: render_archival_pdf(document, data)[2],
    }
    times, sizes = {name: [] for name in renders}, {}
    for render in renders.values():
        render()
    for _ in range(runs):
        for name, render in renders.items():
            # CPU time of this process: the machine is shared, and wall time measures the others.
            start = time.process_time()
            sizes[name] = len(render())
            times[name].append(time.process_time() - start)
    print(f"| demo report PDF | median CPU s | best CPU s | KB |  (runs: {runs})")
    print("|---|---|---|---|")
    for name, seconds in times.items():
        print(
            f"| {name} | {statistics.median(seconds):.3f} | {min(seconds):.3f} "
            f"| {sizes[name] / 1024:.1f} |"
        )


if __name__ == "__main__":
    main()
