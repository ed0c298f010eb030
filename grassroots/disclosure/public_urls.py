"""Public pages (no login): the portal."""

from django.urls import path

from . import public_views as views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:org_pk>/", views.org_page, name="org"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/ask/", views.ask, name="ask"),
    path("items/<int:pk>/verify/", views.verify, name="verify"),
    path("items/<int:pk>/qr.svg", views.qr_svg, name="qr"),
    path("items/<int:pk>/notice/", views.notice, name="notice"),
    path("items/<int:pk>/table.xlsx", views.table_xlsx, name="table_xlsx"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
