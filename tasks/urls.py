from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("<objectid:pk>/", views.task_detail, name="detail"),
    path("<objectid:pk>/complete/", views.complete, name="complete"),
]
