"""Load indicator set 1 (indicator_sets/v1.json).

Each published version has its own migration, pinned to the hash of its content: if the file is
edited after publication the migration refuses to run, because past assessments were scored with
the content as published. To change weights, add v2.json and a migration like this one.
"""

from django.db import migrations

FILE = "v1.json"
CONTENT_HASH = "e60dea3b37805941b03d2c02d2069f85f1e04b1be68c37cfac06d610dbd29850"


def load(apps, schema_editor):
    from harbour.risk import indicators

    indicators.install(apps.get_model("risk", "IndicatorSet"), indicators.read_file(FILE), expected_hash=CONTENT_HASH)


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
