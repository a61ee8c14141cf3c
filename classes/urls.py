from django.urls import path

from classes import views

app_name = "classes"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("book/", views.book, name="book"),
    path("<objectid:pk>/", views.class_detail, name="detail"),
    path("<objectid:pk>/join/", views.join, name="join"),
    path("<objectid:pk>/leave/", views.leave, name="leave"),
    path("<objectid:pk>/cancel/", views.cancel, name="cancel"),
    path("<objectid:pk>/edit/", views.edit, name="edit"),
    path("<objectid:pk>/waitlist/join/", views.join_waitlist, name="join_waitlist"),
    path("<objectid:pk>/waitlist/leave/", views.leave_waitlist, name="leave_waitlist"),
]
