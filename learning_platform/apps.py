from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LearningPlatformConfig(AppConfig):
    name = "learning_platform"
    verbose_name = "Learners and staff"

    def ready(self):
        from learning_platform import checks  # noqa: F401  (registers the deploy checks)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff site as `admin.site`."""

    default = False  # "learning_platform" in INSTALLED_APPS still means LearningPlatformConfig
    default_site = "learning_platform.admin_site.StaffAdminSite"
