from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = "基层党建工作平台 · 后台管理"
admin.site.site_title = "基层党建工作平台"

urlpatterns = [
    path("", include("grassroots.core.urls")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("orgs/", include("grassroots.orgs.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
