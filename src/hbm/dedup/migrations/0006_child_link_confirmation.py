"""A child's records linked on two judgements (decision 0031): who confirmed a link, and when; the
status of a link waiting for a second adjudicator.

Links made before stay in force. Migrating back puts the links still waiting back in the queue
(open): the code of before knows no such status, and would otherwise show them nowhere; linking
them on one judgement is what the decision exists to prevent.
"""

import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def waiting_links_reopen(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    candidate = apps.get_model("dedup", "MatchCandidate")
    candidate.objects.filter(status="confirm").update(status="open")


class Migration(migrations.Migration):
    dependencies = [
        ("dedup", "0005_recheck_persons_with_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="adjudication",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="adjudication",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="matchcandidate",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "waiting for adjudication"),
                    ("confirm", "same person: waiting for a second adjudicator"),
                    ("same", "decided: same person"),
                    ("distinct", "decided: distinct people"),
                ],
                default="open",
                max_length=10,
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, waiting_links_reopen),
    ]
