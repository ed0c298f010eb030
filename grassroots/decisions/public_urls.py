"""Public pages (no login): the portal."""

from django.urls import path

from . import public

app_name = "portal_matters"
urlpatterns = [
    path("", public.matter_index, name="index"),
    path("<int:pk>/", public.matter_page, name="detail"),
]
