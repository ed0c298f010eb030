from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/table/", views.notice_table, name="notice_table"),
    path("notices/<int:pk>/table.xlsx", views.notice_table_export, name="notice_table_export"),
    path("files/<int:pk>/", views.notice_file, name="notice_file"),
    path("receipts/<int:pk>/sign/", views.receipt_sign, name="receipt_sign"),
    path("receipts/<int:pk>/feedback/", views.receipt_feedback, name="receipt_feedback"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/export.xlsx", views.assignments_export, name="assignments_export"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("interventions/<int:pk>/", views.intervention, name="intervention"),
    path("orgs/<int:pk>/", views.org_history, name="org_history"),
    path("orgs/<int:pk>/lists.xlsx", views.org_history_export, name="org_history_export"),
]
