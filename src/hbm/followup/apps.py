from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "hbm.followup"
    label = "followup"
