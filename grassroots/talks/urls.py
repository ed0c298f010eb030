from django.urls import path

from . import views

app_name = "talks"
urlpatterns = [
    path("", views.talk_list, name="talk_list"),
    path("export.xlsx", views.talk_export, name="talk_export"),
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/export.xlsx", views.worklist_export, name="worklist_export"),
    path("coverage/", views.coverage, name="coverage"),
    path("member/<int:pk>/", views.member_talks, name="member_talks"),
    path("member/<int:pk>/new/", views.talk_new, name="talk_new"),
    path("<int:pk>/", views.talk_detail, name="talk_detail"),
    path("<int:pk>/amend/", views.talk_amend, name="talk_amend"),
    path("<int:pk>/follow-up/", views.talk_follow_up, name="talk_follow_up"),
]
