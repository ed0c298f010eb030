from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("leads/", views.leads, name="leads"),
    path("leads/export.xlsx", views.leads_export, name="leads_export"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/<int:pk>/", views.lead, name="lead"),
    path("leads/<int:pk>/reveal/", views.lead_reveal, name="lead_reveal"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/report/", views.campaign_report, name="campaign_report"),
    path("campaigns/<int:pk>/report.xlsx", views.campaign_report_export, name="campaign_report_export"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/export.xlsx", views.bodies_export, name="bodies_export"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("photos/<int:pk>/", views.body_photo, name="body_photo"),
    path("burdens/", views.burdens, name="burdens"),
    path("burdens/export.xlsx", views.burdens_export, name="burdens_export"),
    path("burdens/template.xlsx", views.burdens_template, name="burdens_template"),
    path("burdens/import/", views.burdens_import, name="burdens_import"),
    path("burdens/<int:pk>/decide/", views.burden_decide, name="burden_decide"),
    path("generated/", views.generated, name="generated"),
]
