from django.urls import path, re_path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("classes/<objectid:pk>/calendar.ics", views.class_calendar, name="class_calendar"),
    # The token is secrets.token_urlsafe's alphabet; anything else is not a feed.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.feed, name="feed"),
]
