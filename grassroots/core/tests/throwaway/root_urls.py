"""The project's URL patterns built again after the throwaway app was installed (grassroots/urls.py builds them
once, at import)."""

from grassroots.urls import build_urlpatterns

urlpatterns = build_urlpatterns()
