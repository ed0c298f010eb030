from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
]
