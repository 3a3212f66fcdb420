"""What the exact text layer costs: render time and file size, plain WeasyPrint vs write_pdf.

    /work/main/.venv/bin/python bench/pdf_text_layer.py [--runs 3] [--portal-only]

Renders the demo report (the seed, as printed) and the same measures repeated to ~100, in the
public (PDF/UA-1) and archival (PDF/A-3a + JSON) variants, each way with the same options, and
prints a Markdown table. Then the same for the portal's own report PDF (reports/pdf.py, its
template and print stylesheet): WeasyPrint's untagged write_pdf, as the portal rendered it
before, beside the public and archival PDFs it renders now. Times are CPU seconds, the median
of --runs renders taken in alternation.
"""

import argparse
import os
import statistics
import sys
import time
from math import ceil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

import weasyprint  # noqa: E402
from django.core.management import call_command  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from bench.run import synthetic  # noqa: E402
from measures.document import report_document  # noqa: E402
from measures.management.commands.load_demo import load_demo  # noqa: E402
from measures.models import Report  # noqa: E402
from reports import pdf as report_pdf  # noqa: E402
from reports.opendata import open_data_document  # noqa: E402
from reports.pdf_text import ARCHIVAL, PUBLIC, report_data_attachment, write_pdf  # noqa: E402
from tests.pdf_samples import report_html  # noqa: E402


def timed(render) -> tuple[float, int]:
    # CPU time of this process: the machine is shared, and wall time measures the neighbours.
    start = time.process_time()
    pdf = render()
    return time.process_time() - start, len(pdf)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--portal-only", action="store_true", help="only the portal's report PDF")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_demo()
    report = Report.objects.get(fiscal_year=2568)
    if not options.portal_only:
        text_layer_table(report_document(report), options.runs)
    portal_table(report.latest_publication(), options.runs)


def text_layer_table(document: dict, runs: int):
    seed_measures = len(document["measures"])
    repeat = ceil(100 / seed_measures)
    cases = [
        (f"seed report ({seed_measures} measures)", report_html(document)),
        (f"{seed_measures * repeat} measures", report_html(document, repeat=repeat)),
    ]

    print("| document | variant | pages | plain s | exact s | time | plain KB | exact KB | size |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, html in cases:
        for variant in (PUBLIC, ARCHIVAL):

            def attachments(variant=variant):
                # An Attachment's source can be read once, so each render gets its own.
                return [report_data_attachment(document)] if variant == ARCHIVAL else []

            def plain(html=html, variant=variant, attachments=attachments):
                return weasyprint.HTML(string=html).write_pdf(
                    pdf_variant=variant, pdf_tags=True, attachments=attachments()
                )

            def exact(html=html, variant=variant, attachments=attachments):
                return write_pdf(
                    weasyprint.HTML(string=html), variant=variant, attachments=attachments()
                )

            times = {"plain": [], "exact": []}
            sizes = {}
            for _ in range(runs):
                for label, render in (("plain", plain), ("exact", exact)):
                    seconds, sizes[label] = timed(render)
                    times[label].append(seconds)
            pages = len(weasyprint.HTML(string=html).render().pages)
            plain_s, exact_s = (statistics.median(times[label]) for label in ("plain", "exact"))
            print(
                f"| {name} | {variant} | {pages} | {plain_s:.2f} | {exact_s:.2f} "
                f"| {exact_s / plain_s - 1:+.1%} | {sizes['plain'] / 1024:.1f} "
                f"| {sizes['exact'] / 1024:.1f} | {sizes['exact'] / sizes['plain'] - 1:+.1%} |"
            )


def portal_table(publication, runs: int):
    """The portal's report PDF before (plain WeasyPrint, untagged), plain WeasyPrint tagged
    PDF/UA-1 (what tagging alone costs), and now (public, archival: text layer and tags)."""

    def before(document):
        fonts = FontConfiguration()
        html = weasyprint.HTML(string=report_pdf.report_pdf_html(document, draft=False))
        return html.write_pdf(stylesheets=[report_pdf.report_stylesheet(fonts)], font_config=fonts)

    def tagged(document):
        fonts = FontConfiguration()
        html = weasyprint.HTML(string=report_pdf.report_pdf_html(document, draft=False))
        return html.write_pdf(
            stylesheets=[report_pdf.report_stylesheet(fonts)],
            font_config=fonts,
            pdf_variant=PUBLIC,
            pdf_tags=True,
        )

    def public(document):
        return report_pdf.render_report_pdf(document)[2]

    def archival(document):
        return report_pdf.render_archival_pdf(document, open_data_document(publication))[2]

    renders = {"before": before, "tagged": tagged, "public": public, "archival": archival}
    print()
    print("| report PDF (reports/pdf.py) | before s | tagged s | public s | archival s ", end="")
    print("| public time | before KB | tagged KB | public KB | archival KB | public size |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for count in (None, 100):
        document = publication.document if count is None else synthetic(publication.document, count)
        name = f"seed report ({len(publication.document['measures'])} measures)"
        times, sizes = {label: [] for label in renders}, {}
        for render in renders.values():  # warm: fonts loaded, caches filled
            render(document)
        for _ in range(runs):
            for label, render in renders.items():
                seconds, sizes[label] = timed(
                    lambda render=render, document=document: render(document)
                )
                times[label].append(seconds)
        median = {label: statistics.median(times[label]) for label in renders}
        print(
            f"| {name if count is None else f'{count} measures'} | {median['before']:.2f} "
            f"| {median['tagged']:.2f} | {median['public']:.2f} | {median['archival']:.2f} "
            f"| {median['public'] / median['before'] - 1:+.1%} | {sizes['before'] / 1024:.1f} "
            f"| {sizes['tagged'] / 1024:.1f} | {sizes['public'] / 1024:.1f} "
            f"| {sizes['archival'] / 1024:.1f} "
            f"| {sizes['public'] / sizes['before'] - 1:+.1%} |"
        )


if __name__ == "__main__":
    main()
