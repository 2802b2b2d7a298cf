from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "hbm.assessments"
    label = "assessments"
