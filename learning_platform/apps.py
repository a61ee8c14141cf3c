from django.apps import AppConfig


class LearningPlatformConfig(AppConfig):
    name = "learning_platform"
    verbose_name = "Learners and staff"
