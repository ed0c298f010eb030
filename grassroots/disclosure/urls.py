from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.manage_list, name="manage_list"),
    path("export/", views.ledger_export, name="ledger_export"),
    path("questions/", views.questions, name="questions"),
    path("table-template.xlsx", views.table_template, name="table_template"),
    path("units/<int:org_pk>/", views.unit, name="unit"),
    path("units/<int:org_pk>/publish/", views.publish, name="publish"),
    path("units/<int:org_pk>/schedule/", views.schedule_set, name="schedule_set"),
    path("items/<int:pk>/", views.detail, name="detail"),
    path("items/<int:pk>/correct/", views.correct, name="correct"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("questions/<int:pk>/hide/", views.question_hide, name="question_hide"),
    path("questions/<int:pk>/unhide/", views.question_unhide, name="question_unhide"),
]
