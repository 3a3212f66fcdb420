import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from measures.search import name_text, published_texts, search_text


def fill_search_text(apps, schema_editor):
    """The search now looks in the slug, district, province and every word of the published
    reports too: fill both columns anew from what is already there."""
    Agency = apps.get_model("measures", "Agency")
    Publication = apps.get_model("measures", "Publication")
    for agency in Agency.objects.all():
        publications = Publication.objects.filter(
            report__agency=agency, withdrawn_at__isnull=True
        ).order_by("version")
        texts = published_texts(publications.values_list("report", "document"))
        agency.search_names = name_text(agency)
        agency.search_text = search_text(agency.search_names, *texts)
        agency.save(update_fields=["search_text", "search_names"])


class OnPostgreSQL:
    """The GIN index exists on PostgreSQL only (0010); elsewhere only the state changes."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemoveIndexOnPostgreSQL(OnPostgreSQL, migrations.RemoveIndex):
    pass


class AddIndexOnPostgreSQL(OnPostgreSQL, migrations.AddIndex):
    pass


SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.search.SearchVector("search_text", config="simple"),
    name="agency_search_gin",
)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0016_oit_items_evidence"),
    ]

    # SQLite adds a column by rebuilding the table with every index of the state, and cannot build
    # a GIN index: the index leaves the state while the columns are added.
    operations = [
        RemoveIndexOnPostgreSQL(model_name="agency", name="agency_search_gin"),
        migrations.AddField(
            model_name="agency",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="For example Mueang Phalai Subdistrict Administrative Organization.",
                max_length=200,
                verbose_name="name in English or romanised",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="search_names",
            field=models.TextField(blank=True, editable=False, verbose_name="searched names"),
        ),
        AddIndexOnPostgreSQL(model_name="agency", index=SEARCH_INDEX),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
