from django.urls import path

from classes import views

app_name = "classes"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("book/", views.book, name="book"),
    path("<str:pk>/", views.class_detail, name="detail"),
    path("<str:pk>/join/", views.join, name="join"),
    path("<str:pk>/leave/", views.leave, name="leave"),
    path("<str:pk>/cancel/", views.cancel, name="cancel"),
]
