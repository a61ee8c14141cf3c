from django.contrib import admin
from django.urls import include, path, register_converter

from api import pages as api_pages
from learning_platform import views
from learning_platform.converters import ObjectIdConverter

# Before the app URLconfs below are imported: they use <objectid:pk>.
register_converter(ObjectIdConverter, "objectid")

urlpatterns = [
    path("", views.home, name="home"),
    path("livez", views.livez, name="livez"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("classes/", include("classes.urls")),
    path("activities/", include("activities.urls")),
    path("tasks/", include("tasks.urls")),
    path("", include("notifications.urls")),
    path("account/api-token/", api_pages.api_token, name="api_token"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
