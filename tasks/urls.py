from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("<str:pk>/", views.task_detail, name="detail"),
    path("<str:pk>/complete/", views.complete, name="complete"),
]
