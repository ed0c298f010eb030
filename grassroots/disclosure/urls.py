from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.manage_list, name="manage_list"),
]
