from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
    path("screening/", views.screening_list, name="screenings"),
    path("screening/<int:pk>/", views.screening_detail, name="screening"),
    path("screening/<int:pk>/act/", views.screening_act, name="screening_act"),
    path("case/<int:pk>/", views.case_detail, name="case"),
    path("case/<int:pk>/act/", views.case_act, name="case_act"),
    path("case/<int:pk>/print/", views.case_print, name="case_print"),
]
