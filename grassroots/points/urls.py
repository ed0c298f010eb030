from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("org/<int:pk>/", views.org, name="org"),
    path("org/<int:pk>/rules/", views.rule_edit, name="rules"),
    path("org/<int:pk>/recompute/", views.recompute, name="recompute"),
    path("org/<int:pk>/rate/", views.rate, name="rate"),
    path("org/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("org/<int:pk>/export.xlsx", views.export, name="export"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/entry/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/decide/", views.entry_decide, name="entry_decide"),
]
