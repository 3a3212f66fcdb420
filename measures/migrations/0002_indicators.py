from django.db import migrations

# The ten ITA indicators of the NACC framework (stable since ITA 2564). The project keeps its own
# copy of these facts; see shared/ita/ita_framework.md for their sources.
INDICATORS = [
    (1, "การปฏิบัติหน้าที่", "Performance of duty", "IIT"),
    (2, "การใช้งบประมาณ", "Use of budget", "IIT"),
    (3, "การใช้อำนาจ", "Use of authority", "IIT"),
    (4, "การใช้ทรัพย์สินของราชการ", "Use of government property", "IIT"),
    (5, "การแก้ไขปัญหาการทุจริต", "Corruption problem solving", "IIT"),
    (6, "คุณภาพการดำเนินงาน", "Quality of operation", "EIT"),
    (7, "ประสิทธิภาพการสื่อสาร", "Communication efficiency", "EIT"),
    (8, "การปรับปรุงการทำงาน", "System improvement", "EIT"),
    (9, "การเปิดเผยข้อมูล", "Open data", "OIT"),
    (10, "การป้องกันการทุจริต", "Anti-corruption practice", "OIT"),
]


def load_indicators(apps, schema_editor):
    Indicator = apps.get_model("measures", "Indicator")
    for number, name_th, name_en, group in INDICATORS:
        Indicator.objects.update_or_create(
            number=number, defaults={"name_th": name_th, "name_en": name_en, "group": group}
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load_indicators, migrations.RunPython.noop)]
