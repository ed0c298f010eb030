from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("round/<int:pk>/", views.round_detail, name="round"),
    path("report/<int:pk>/", views.report_detail, name="report"),
]
