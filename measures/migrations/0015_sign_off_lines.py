from django.db import migrations, models


class AddColumnInPlace(migrations.AddField):
    """SQLite adds a NOT NULL column by rebuilding the table, and the rebuild would create
    agency_search_gin, which only PostgreSQL can have (0010): there the column is added in
    place, with the empty default every existing agency gets."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        schema_editor.execute(
            'ALTER TABLE "measures_agency" ADD COLUMN "sign_off_lines" text NOT NULL DEFAULT \'\''
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        schema_editor.execute('ALTER TABLE "measures_agency" DROP COLUMN "sign_off_lines"')


class Migration(migrations.Migration):
    dependencies = [("measures", "0014_ita_results_and_plan")]

    operations = [
        AddColumnInPlace(
            model_name="agency",
            name="sign_off_lines",
            field=models.TextField(
                blank=True,
                help_text=(
                    "One role a line, each printed under a signature line. Empty: the preparer, "
                    "the checker and the approver."
                ),
                verbose_name="sign-off lines",
            ),
        ),
    ]
