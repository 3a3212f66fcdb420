import importlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery

import measures.models

# The GIN index exists on PostgreSQL only; 0017 holds the operations that say so.
search_0017 = importlib.import_module("measures.migrations.0017_search")


def fill_latest_public_year(apps, schema_editor):
    Agency = apps.get_model("measures", "Agency")
    Report = apps.get_model("measures", "Report")
    public = Report.objects.filter(
        agency=OuterRef("pk"),
        publications__kind="report",
        publications__withdrawn_at__isnull=True,
    )
    newest = public.values("agency").annotate(year=Max("fiscal_year")).values("year")
    Agency.objects.update(latest_public_year=Subquery(newest))


class Migration(migrations.Migration):
    """The search reads a vector the database keeps instead of computing one for every agency it
    looks at: the GIN index on the expression to_tsvector('simple', search_text) is lossy for
    prefix queries, so PostgreSQL computed each candidate's vector again from kilobytes of text.
    The index lists agencies by their newest public report's year, kept on the agency too."""

    dependencies = [
        ("measures", "0018_import_mappings"),
    ]

    # SQLite adds a generated column by rebuilding the table with every index of the state, and
    # cannot build a GIN index: the index leaves the state while the columns are added.
    operations = [
        search_0017.RemoveIndexOnPostgreSQL(model_name="agency", name="agency_search_gin"),
        migrations.AddField(
            model_name="agency",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                editable=False,
                expression=measures.models.KeptVector("search_text", config="simple"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="names_vector",
            field=models.GeneratedField(
                db_persist=True,
                editable=False,
                expression=measures.models.KeptVector("search_names", config="simple"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="latest_public_year",
            field=models.PositiveSmallIntegerField(
                editable=False, null=True, verbose_name="newest published fiscal year"
            ),
        ),
        search_0017.AddIndexOnPostgreSQL(
            model_name="agency",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="agency_search_gin"
            ),
        ),
        migrations.RunPython(fill_latest_public_year, migrations.RunPython.noop),
    ]
