"""Public pages (no login): the portal."""

from django.urls import path

from . import public

app_name = "portal_matters"
urlpatterns = [
    path("<int:pk>/", public.matter_page, name="detail"),
]
