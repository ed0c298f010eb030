from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("overdue/", views.overdue, name="overdue"),
    path("list/<int:pk>/", views.list_detail, name="list"),
    path("list/<int:pk>/export/", views.list_export, name="list_export"),
    path("list/<int:pk>/add/", views.task_add, name="task_add"),
    path("task/<int:pk>/", views.task_detail, name="task"),
    path("task/<int:pk>/report/", views.task_report, name="task_report"),
    path("task/<int:pk>/act/", views.task_act, name="task_act"),
    path("file/<int:pk>/", views.file_download, name="file"),
]
