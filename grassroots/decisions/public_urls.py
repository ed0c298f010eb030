"""Public pages (no login): the portal."""

app_name = "portal_matters"
urlpatterns = []
