from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.board, name="board"),
    path("org/<int:pk>/", views.board_org, name="board_org"),
    path("org/<int:pk>/apply/", views.apply, name="apply"),
    path("org/<int:pk>/export.xlsx", views.export, name="export"),
    path("list/", views.applicant_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("records/<int:pk>/correct/", views.correct, name="correct"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
