"""Search index v3 (no conversation field): every investigation's index is rebuilt from the
database, the record, in the new layout (search_index.SCHEMA_VERSION); older layouts are removed."""

from django.db import migrations


def reindex(apps, schema_editor):
    from harbour.evidence import importer

    Message = apps.get_model("evidence", "Message")
    for investigation_id in Message.objects.values_list("investigation_id", flat=True).distinct().order_by():
        importer.rebuild_index(investigation_id, messages=Message.objects)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0007_identifier_kind_place"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
