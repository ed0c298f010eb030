from django.urls import path

from . import views

app_name = "orglife"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/confirm/", views.meeting_confirm, name="meeting_confirm"),
    path("<int:pk>/amend/", views.meeting_amend, name="meeting_amend"),
    path("org/<int:pk>/plan/", views.meeting_plan, name="meeting_plan"),
    path("org/<int:pk>/record/", views.meeting_record_new, name="meeting_record_new"),
    path("compliance/", views.compliance_home, name="compliance_home"),
    path("compliance/<int:pk>/", views.compliance_matrix, name="compliance"),
    path("compliance/<int:pk>/export.xlsx", views.compliance_export, name="compliance_export"),
    path("ledger/<int:pk>/", views.ledger, name="ledger"),
    path("ledger/<int:pk>/export.xlsx", views.ledger_export, name="ledger_export"),
    path("six-months/<int:pk>/", views.six_months, name="six_months"),
    path("attendance/<int:pk>/", views.attendance, name="attendance"),
    path("six-months/<int:pk>/export.xlsx", views.six_months_export, name="six_months_export"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("appraisals/summary/", views.appraisal_summary_home, name="appraisal_summary_home"),
    path("appraisals/summary/<int:pk>/", views.appraisal_summary, name="appraisal_summary"),
    path("appraisals/summary/<int:pk>/export.xlsx", views.appraisal_summary_export, name="appraisal_summary_export"),
    path("appraisals/", views.appraisal_list, name="appraisal_list"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:pk>/vote/", views.appraisal_vote, name="appraisal_vote"),
    path("appraisals/org/<int:pk>/open/", views.appraisal_open, name="appraisal_open"),
    path("appraisals/results/<int:pk>/follow-up/", views.appraisal_follow_up, name="appraisal_follow_up"),
]
