from django.db import migrations, models

from measures.models import frozen_digest


def fill_digests(apps, schema_editor):
    """Every publication named by its content, as Publication.save names a new one."""
    Publication = apps.get_model("measures", "Publication")
    rows = Publication.objects.only("document", "version", "published_at")
    changed = []
    for row in rows.iterator(chunk_size=500):
        row.digest = frozen_digest(row.document, row.version, row.published_at)
        changed.append(row)
    Publication.objects.bulk_update(changed, ["digest"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("measures", "0012_handins_notifications")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="digest",
            field=models.CharField(
                default="", editable=False, max_length=32, verbose_name="content digest"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
    ]
