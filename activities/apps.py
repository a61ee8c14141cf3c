from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "User activities"

    def ready(self):
        from activities import signals

        signals.connect()
