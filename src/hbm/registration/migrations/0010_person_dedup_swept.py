"""A sweep's re-checks wait behind new arrivals: ``dedup_swept`` marks the persons a sweep (``hbm dedup
sweep``) put back in the duplicate check's queue, and the queue's index orders by it first, so the
worker takes every person waiting for a first check, or for the check of a change, before them."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crossings", "0001_crossing_points_and_mode_decisions"),
        ("registration", "0009_person_search_sounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_dedup_pending",
        ),
        migrations.AddField(
            model_name="person",
            name="dedup_swept",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("dedup_checked_at__isnull", True)),
                fields=["dedup_swept", "created_at"],
                name="person_dedup_waiting",
            ),
        ),
    ]
