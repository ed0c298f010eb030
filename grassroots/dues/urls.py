from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.home, name="home"),
]
