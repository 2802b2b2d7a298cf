from django.db import models
from django.utils.translation import gettext_lazy as _


class CrossingKind(models.TextChoices):
    LAND = "land", _("Land")
    SEA = "sea", _("Sea (disembarkation)")
    AIR = "air", _("Air")


class CrossingMode(models.TextChoices):
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")
    RECOVERY = "recovery", _("Recovery")


# normal → emergency → recovery → normal; a recovering post can fall back into emergency when the
# flow surges again, but no post jumps from normal to recovery or from emergency straight to normal
# without the recovery phase in which the backlog is completed.
MODE_TRANSITIONS: dict[CrossingMode, frozenset[CrossingMode]] = {
    CrossingMode.NORMAL: frozenset({CrossingMode.EMERGENCY}),
    CrossingMode.EMERGENCY: frozenset({CrossingMode.RECOVERY}),
    CrossingMode.RECOVERY: frozenset({CrossingMode.NORMAL, CrossingMode.EMERGENCY}),
}
