from django.urls import path

from . import views

app_name = "guarantees"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("standards/", views.standard_list, name="standards"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaign/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaign/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("conditions/", views.conditions, name="conditions"),
]
