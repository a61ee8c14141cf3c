from django.contrib import admin
from django.urls import include, path

from learning_platform import views

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("classes/", include("classes.urls")),
    path("activities/", include("activities.urls")),
    path("tasks/", include("tasks.urls")),
    path("admin/", admin.site.urls),
]
