"""Public pages (no login): the report form (问题线索举报), the reporter's look-up by number and code, and 通报."""

from django.urls import path

from . import public_views as views

app_name = "jubao"
urlpatterns = [
    path("", views.report, name="report"),
    path("chaxun/", views.lookup, name="lookup"),
    path("tongbao/", views.bulletins, name="bulletins"),
    path("tongbao/<int:pk>/", views.bulletin, name="bulletin"),
]
