from django.contrib import admin
from django.urls import include, path

from .accounts.scoping import is_system_admin
from .api import api

admin.site.site_header = "基层党建工作平台 · 后台管理"
admin.site.site_title = "基层党建工作平台"
# Only system administrators (is_staff together with the admin role, or superusers) get into the admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_staff and is_system_admin(request.user)

urlpatterns = [
    path("", include("grassroots.core.urls")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("orgs/", include("grassroots.orgs.urls")),
    path("members/", include("grassroots.members.urls")),
    path("orglife/", include("grassroots.orglife.urls")),
    path("development/", include("grassroots.development.urls")),
    path("relations/", include("grassroots.relations.urls")),
    path("dues/", include("grassroots.dues.urls")),
    path("points/", include("grassroots.points.urls")),
    path("talks/", include("grassroots.talks.urls")),
    path("decisions/", include("grassroots.decisions.urls")),
    path("disclosure/", include("grassroots.disclosure.urls")),
    # The public portal (no login): disclosures and the matters behind them.
    path("gongkai/", include("grassroots.disclosure.public_urls")),
    path("gongkai/matters/", include("grassroots.decisions.public_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
