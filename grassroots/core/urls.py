from django.urls import path

from . import job_views, views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<str:name>/", job_views.job_detail, name="job_detail"),
    path("jobs/<str:name>/run/", job_views.job_run, name="job_run"),
]
