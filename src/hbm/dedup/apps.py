from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "hbm.dedup"
    label = "dedup"
