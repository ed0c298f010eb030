from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.my, name="my"),
    path("register/", views.register, name="register"),
    path("registrations/<int:pk>/end/", views.end, name="end"),
    path("slots/<int:pk>/claim/", views.claim, name="claim"),
    path("claims/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("hours/report/", views.report_hours, name="report_hours"),
    path("statement/<int:pk>/", views.statement, name="statement"),
    path("desk/", views.desk, name="desk"),
    path("desk/export/", views.desk_export, name="desk_export"),
    path("desk/registrations/<int:pk>/decide/", views.desk_registration, name="desk_registration"),
    path("desk/registrations/<int:pk>/hours/", views.desk_record, name="desk_record"),
    path("desk/registrations/<int:pk>/evaluate/", views.desk_evaluate, name="desk_evaluate"),
    path("desk/hours/<int:pk>/decide/", views.desk_hours, name="desk_hours"),
    path("desk/posts/new/", views.desk_post, name="desk_post"),
    path("desk/posts/<int:pk>/slots/", views.desk_slot, name="desk_slot"),
    path("desk/needs/new/", views.desk_need, name="desk_need"),
    path("desk/needs/<int:pk>/close/", views.desk_close_need, name="desk_close_need"),
    path("desk/offers/<int:pk>/match/", views.desk_match, name="desk_match"),
    path("desk/cap/", views.desk_cap, name="desk_cap"),
    path("unit/", views.unit, name="unit"),
    path("unit/export/", views.unit_export, name="unit_export"),
    path("unit/import/", views.unit_import, name="unit_import"),
    path("unit/template/", views.unit_template, name="unit_template"),
    path("unit/offers/new/", views.unit_offer, name="unit_offer"),
    path("statistics/", views.stats, name="stats"),
    path("statistics/export/", views.stats_export, name="stats_export"),
]
