"""Example retention rules for person records, to be confirmed against local policy before real use.

Each is marked `is_example`. The periods follow published schedules as commonly applied, but which
applies to a record (a force's MoPI grouping, a council's own schedule) is a local decision.
"""

from django.db import migrations

EXAMPLES = [
    {
        "agency_kind": "police",
        "date_field": "updated_at",
        "period_months": 120,
        "action": "review",
        "citation": (
            "Example based on APP Information management (MoPI): records of other sexual, violent or serious "
            "offences (group 2) are reviewed after a 10-year clear period, and group 1 public-protection records "
            "every 10 years. Confirm your force's MoPI grouping for these records."
        ),
    },
    {
        "agency_kind": "childrens_social_care",
        "date_field": "date_of_birth",
        "period_months": 300,
        "action": "review",
        "citation": (
            "Example based on the IRMS Retention Guidelines for Local Authorities: children's social care case "
            "records are kept until the 25th birthday (75 years for a looked-after child: the review checks). "
            "Confirm against the council's retention schedule."
        ),
    },
    {
        "agency_kind": "return_interview_provider",
        "date_field": "updated_at",
        "period_months": 72,
        "action": "delete",
        "citation": (
            "Example: a commissioned provider's records, commonly kept 6 years after last activity under the "
            "commissioning contract. Confirm with the commissioning council."
        ),
    },
    {
        "agency_kind": "",
        "date_field": "updated_at",
        "period_months": 72,
        "action": "review",
        "citation": (
            "Example default for other agencies (health, education, youth offending, care providers): review "
            "6 years after last activity. Confirm against the agency's own retention schedule."
        ),
    },
]


def add_examples(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    RetentionRule = apps.get_model("retention", "RetentionRule")
    person_type, _ = ContentType.objects.get_or_create(app_label="people", model="person")
    for example in EXAMPLES:
        RetentionRule.objects.get_or_create(content_type=person_type, is_example=True, agency=None, **example)


def remove_examples(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.filter(is_example=True, deletions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_examples, remove_examples)]
