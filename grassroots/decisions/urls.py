from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("export/", views.matter_export, name="matter_export"),
    path("new/", views.matter_create, name="matter_create"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/record/", views.step_record, name="step_record"),
    path("<int:pk>/after-failure/", views.after_failure, name="after_failure"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/close/", views.close, name="close"),
    path("steps/<int:pk>/confirm/", views.step_confirm, name="step_confirm"),
    path("steps/<int:pk>/amend/", views.step_amend, name="step_amend"),
    path("steps/<int:pk>/opinion/", views.step_opinion, name="step_opinion"),
    path("opinions/<int:pk>/answer/", views.opinion_answer, name="opinion_answer"),
    path("villages/<int:pk>/", views.village, name="village"),
    path("oversight/", views.oversight, name="oversight"),
    path("oversight/export/", views.oversight_export, name="oversight_export"),
    path("disclosures/<int:pk>/opinion/", views.disclosure_opinion, name="disclosure_opinion"),
]
