"""The public index for many agencies: filters, Thai search, pages; lists whose query count does
not grow with the data."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures.document import report_document
from measures.models import Agency, Change, Measure, Publication, Report
from measures.search import search_text, search_words
from measures.workflow import report_publish
from reports.views import SEARCH_RESULTS


def published_agencies(count: int, *, province="ขอนแก่น", kind=Agency.Kind.SAO, prefix="บ้าน"):
    """``count`` agencies, each with a published 2568 report, made in a few queries."""
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"องค์การบริหารส่วนตำบล{prefix}{n:04d}",
            short_name=f"อบต.{prefix}{n:04d}",
            kind=kind,
            province=province,
            slug=f"{kind}-{prefix.encode().hex()[:12]}-{n}",
            search_text=search_text(f"องค์การบริหารส่วนตำบล{prefix}{n:04d}"),
            # What Agency.save() keeps from the publication made below, without 1,000 saves.
            latest_public_year=2568,
        )
        for n in range(count)
    )
    reports = Report.objects.bulk_create(Report(agency=a, fiscal_year=2568) for a in agencies)
    Publication.objects.bulk_create(
        Publication(report=r, version=1, published_at=timezone.now(), document={"measures": []})
        for r in reports
    )
    return agencies


def listed(client, query="") -> str:
    return client.get("/" + query).content.decode()


def test_search_text_is_thai_cut_into_words():
    assert search_words("องค์การบริหารส่วนตำบลเมืองพะไล") == [
        "องค์การบริหารส่วนตำบล",
        "เมือง",
        "พะไล",
    ]
    assert search_text("อบต. เมืองพะไล", "Open DATA & (x)") == "อบต. เมือง พะไล open data x"


def test_the_index_filters_by_province(client, demo_report):
    published_agencies(3, province="ขอนแก่น")
    content = listed(client, "?province=นครราชสีมา")
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert "บ้าน0000" not in content
    content = listed(client, "?province=ขอนแก่น")
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" not in content
    assert content.count("บ้าน000") == 3


def test_the_index_filters_by_agency_type(client, demo_report):
    published_agencies(2, kind=Agency.Kind.TOWN_MUNICIPALITY, prefix="เทศ")
    content = listed(client, "?kind=mueang")
    assert "เทศ0001" in content
    assert "เมืองพะไล" not in content
    content = listed(client, "?kind=sao")
    assert "เทศ0001" not in content
    assert "เมืองพะไล" in content


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(client, demo_report):
    content = listed(client, "?province=atlantis")
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert 'class="errorlist' in content


@pytest.mark.parametrize("query", ["เมืองพะไล", "พะไล", "เมือง พะ", "อบต.เมืองพะไล"])
def test_the_search_finds_an_agency_by_a_thai_name_written_without_spaces(
    client, demo_report, query
):
    published_agencies(2)
    content = listed(client, "?q=" + query)
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert "บ้าน0001" not in content


def test_the_search_finds_an_agency_by_a_published_measure_title(client, demo_report):
    published_agencies(2)
    title_words = "ส่งเสริมการรับรู้"
    assert title_words in demo_report.measures.get(number=1).title
    content = listed(client, "?q=" + title_words)
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert "บ้าน0001" not in content


def test_the_search_does_not_find_a_title_that_is_not_published_yet(client, demo_report):
    demo_report.measures.filter(number=1).update(title="มาตรการลับสุดยอดฉบับร่าง")
    demo_report.agency.save()
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" not in listed(client, "?q=ลับสุดยอด")
    report_publish(report=demo_report, acknowledge_warnings=True)
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in listed(client, "?q=ลับสุดยอด")


def test_a_search_that_finds_nothing_says_so(client, demo_report):
    content = listed(client, "?q=ไม่มีหน่วยงานนี้แน่นอน")
    assert "เมืองพะไล" not in content
    assert "ไม่พบหน่วยงานที่ตรงกับการค้นหา" in content


def test_search_syntax_characters_are_taken_as_text(client, demo_report):
    for query in ["'", "&", "พะไล:*|!(", "\\"]:
        assert client.get("/", {"q": query}).status_code == 200


def test_visitors_get_a_kept_index_until_the_next_publication(
    client, demo_report, django_assert_num_queries
):
    first = client.get("/?q=พะไล")
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        assert Client().get("/?q=พะไล").content == first.content
    report_publish(report=demo_report, acknowledge_warnings=True)
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/?q=พะไล").status_code == 200
    assert queries


def test_a_signed_in_visitor_gets_the_index_rendered_for_them(client, demo_report, coordinator):
    client.get("/")
    client.force_login(coordinator)
    response = client.get("/")
    assert "public" not in response.get("Cache-Control", "")
    assert "สมศรี ประสานงาน" in response.content.decode()


def test_the_index_is_shown_in_pages(client, db):
    published_agencies(120)
    first = listed(client)
    assert first.count("บ้าน0") == 50
    assert "?page=2" in first
    third = listed(client, "?page=3")
    assert third.count("บ้าน0") == 20
    assert "หน้า ๓ จาก ๓" in third
    filtered = listed(client, "?province=ขอนแก่น&page=2")
    assert "province=%E0%B8%82" in filtered  # the filter is kept in the page links


def test_the_search_is_served_by_a_gin_index_on_postgresql_only(db):
    published_agencies(3)
    agencies = Agency.objects.search("บ้าน")
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Agency._meta.db_table)
        if connection.vendor == "postgresql":
            assert indexes["agency_search_gin"]["type"] == "gin"
            # Three rows are read faster without any index: ask whether the index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            assert "agency_search_gin" in agencies.explain()
        else:
            assert "agency_search_gin" not in indexes
            assert " LIKE " in str(agencies.query)
    assert agencies.count() == 3


@pytest.mark.parametrize("count", [10, 1000])
def test_the_index_takes_the_same_queries_for_10_or_1000_agencies(
    client, db, django_assert_max_num_queries, count
):
    published_agencies(count)
    with django_assert_max_num_queries(3):
        content = listed(client, "?q=บ้าน&province=ขอนแก่น&kind=sao")
    assert content.count("บ้าน0") == min(count, 50)


def many_measures(report, count: int):
    start = report.measures.count() + 1
    Measure.objects.bulk_create(
        Measure(report=report, number=n, title=f"มาตรการที่ {n}") for n in range(start, start + count)
    )


def many_changes(report, user, count: int):
    Change.objects.bulk_create(
        Change(report=report, user=user, action=Change.Action.EDITED, subject=f"เรื่อง {n}")
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_staff_lists_take_the_same_queries_for_10_or_1000_rows(
    client, demo_report, coordinator, django_assert_max_num_queries, count
):
    many_measures(demo_report, count)
    many_changes(demo_report, coordinator, count)
    client.force_login(coordinator)
    # 19, and three for the year's OIT items without evidence
    with django_assert_max_num_queries(22):
        dashboard = client.get("/staff/2568/").content.decode()
    assert f"มาตรการที่ {count + 6}" in dashboard
    with django_assert_max_num_queries(8):
        history = client.get("/staff/2568/history/").content.decode()
    assert history.count("เรื่อง ") == min(count, 100)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_public_report_takes_the_same_queries_for_10_or_1000_measures(
    client, demo_report, django_assert_max_num_queries, count
):
    many_measures(demo_report, count)
    # Measures with nothing in them would not pass the review: the page is what is measured here.
    Publication.objects.create(
        report=demo_report,
        version=2,
        published_at=timezone.now(),
        document=report_document(demo_report),
    )
    with django_assert_max_num_queries(2):
        content = client.get("/mueang-phalai/2568/").content.decode()
    assert f"มาตรการที่ {count + 6}" in content


def test_the_province_filter_is_kept_until_a_publication(
    demo_report, agency, django_assert_num_queries
):
    from reports.views import _listed_provinces

    with django_assert_num_queries(1):
        provinces = _listed_provinces()
    with django_assert_num_queries(0):
        assert _listed_provinces() == provinces
    assert agency.province not in provinces

    report = Report.objects.create(agency=agency, fiscal_year=2568)
    Publication.objects.create(
        report=report, version=1, published_at=timezone.now(), document=report_document(report)
    )

    assert agency.province in _listed_provinces()


@pytest.mark.parametrize(
    "query", ["นครราชสีมา", "บัวลาย", "Mueang Phalai", "phalai", "mueang-phalai", "อำเภอบัวลาย"]
)
def test_the_search_finds_an_agency_by_its_place_romanised_name_and_slug(
    client, demo_report, query
):
    agency = demo_report.agency
    agency.name_en = "Mueang Phalai Subdistrict Administrative Organization"
    agency.save()
    published_agencies(2, province="ขอนแก่น")
    content = listed(client, "?q=" + query)
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in content
    assert "บ้าน0001" not in content


def test_the_search_finds_a_word_of_a_published_report_body(client, demo_report):
    result = demo_report.measures.get(number=3).results.first()
    result.text = "จัดอบรมหลักธรรมาภิบาลให้พนักงานส่วนตำบล"
    result.save()
    assert "เมืองพะไล" not in listed(client, "?q=ธรรมาภิบาล")
    report_publish(report=demo_report, acknowledge_warnings=True)
    assert "องค์การบริหารส่วนตำบลเมืองพะไล" in listed(client, "?q=ธรรมาภิบาล")


def test_agencies_found_by_name_come_before_those_found_by_their_reports(client, demo_report):
    (named,) = published_agencies(1, prefix="ธรรมาภิบาล")
    Report.objects.filter(agency=named).update(fiscal_year=2567)
    named.save()
    result = demo_report.measures.get(number=3).results.first()
    result.text = "จัดอบรมหลักธรรมาภิบาลให้พนักงานส่วนตำบล"
    result.save()
    report_publish(report=demo_report, acknowledge_warnings=True)
    content = listed(client, "?q=ธรรมาภิบาล")
    assert content.index("ธรรมาภิบาล0000") < content.index("องค์การบริหารส่วนตำบลเมืองพะไล")
    assert listed(client).index("องค์การบริหารส่วนตำบลเมืองพะไล") < listed(client).index(
        "ธรรมาภิบาล0000"
    )


def test_a_search_matching_more_agencies_than_it_lists_says_so_in_thai(client, db):
    published_agencies(SEARCH_RESULTS + 5)
    first = listed(client, "?q=บ้าน")
    second = listed(client, "?q=บ้าน&page=2")
    assert "พบหน่วยงานที่ตรงกันมากกว่า ๑๐๐ หน่วยงาน" in first
    assert first.count("บ้าน0") == second.count("บ้าน0") == 50
    assert "หน้า ๒ จาก ๒" in second
    # The best 100 (here by name): the last five are left for a narrower search.
    assert "บ้าน0099" in second
    assert "บ้าน0100" not in first + second
    # Browsing without a search still reaches every agency.
    assert "หน้า ๓ จาก ๓" in listed(client, "?page=3")


def test_a_search_matching_exactly_as_many_as_it_lists_gives_the_count(client, db):
    published_agencies(SEARCH_RESULTS)
    content = listed(client, "?q=บ้าน")
    assert "มากกว่า" not in content
    assert "๑๐๐ หน่วยงาน" in content


def test_a_word_every_agency_holds_is_searched_through_the_index(db):
    published_agencies(300)
    with CaptureQueriesContext(connection) as captured:
        found = Agency.objects.search("องค์การ").order_by("name").first_found(SEARCH_RESULTS)
    assert len(found) == SEARCH_RESULTS
    if connection.vendor != "postgresql":
        return
    # The same statements again, the last one explained: PostgreSQL reads every agency's
    # vector instead of the index unless the search tells it better.
    *before, search = [query["sql"] for query in captured]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in before:
            cursor.execute(sql)
        cursor.execute("EXPLAIN " + search)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "agency_search_gin" in plan
    assert "Seq Scan on measures_agency" not in plan


def test_the_index_lists_an_agency_by_the_year_of_its_newest_public_report(client, demo_report):
    agency = demo_report.agency
    assert agency.latest_public_year == 2568
    assert "/mueang-phalai/2568/" in listed(client, "?q=พะไล")
    Report.objects.filter(pk=demo_report.pk).update(fiscal_year=2569)
    agency.save()
    agency.refresh_from_db()
    assert agency.latest_public_year == 2569


def test_punctuation_alone_lists_every_agency_as_no_search_does(client, db):
    published_agencies(SEARCH_RESULTS + 5)
    content = listed(client, "?q=%25_%25+-")
    assert "มากกว่า" not in content
    assert "๑๐๕ หน่วยงาน" in content
