from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "hbm.field"
    label = "field"
