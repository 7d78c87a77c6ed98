"""Message.seq (place in its conversation) and MessageTally (counts per conversation, sender, day).

Existing messages get their seq from their source order, and the tallies are counted from them,
so nothing imported before this migration needs importing again. (Existing search indexes are
rebuilt in the new layout by 0008.)
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# UPDATE ... FROM: PostgreSQL, and SQLite from 3.33 (2020).
NUMBER_MESSAGES = """
UPDATE evidence_message SET seq = r.rn
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY item_id, conversation ORDER BY source_position) AS rn
    FROM evidence_message
) AS r
WHERE r.id = evidence_message.id
"""


def number_messages(apps, schema_editor):
    schema_editor.execute(NUMBER_MESSAGES)


def count_tallies(apps, schema_editor):
    from zoneinfo import ZoneInfo

    from django.db.models import Count, Max, Min
    from django.db.models.functions import TruncDate

    Message = apps.get_model("evidence", "Message")
    MessageTally = apps.get_model("evidence", "MessageTally")
    rows = (
        Message.objects.annotate(day=TruncDate("sent_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("investigation_id", "item_id", "conversation", "sender", "day")
        .annotate(messages=Count("id"), first_at=Min("sent_at"), last_at=Max("sent_at"))
        .order_by()
    )
    MessageTally.objects.bulk_create((MessageTally(**row) for row in rows.iterator()), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="seq",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_messages, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="message", name="evidence_msg_conv"),
        migrations.RemoveIndex(model_name="message", name="evidence_msg_sender"),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["item", "conversation", "seq"], name="evidence_msg_conv_seq"),
        ),
        migrations.CreateModel(
            name="MessageTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("conversation", models.CharField(max_length=200)),
                ("sender", models.CharField(max_length=200)),
                ("day", models.DateField()),
                ("messages", models.PositiveIntegerField()),
                ("first_at", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
                (
                    "investigation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="evidence.investigation"
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="evidence.evidenceitem",
                    ),
                ),
            ],
            options={
                "ordering": ["item", "conversation", "day", "sender"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "conversation", "sender", "day"), name="evidence_tally_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(count_tallies, migrations.RunPython.noop),
    ]
