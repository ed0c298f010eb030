"""All member URLs, one list per concern: the registry pages (views.py), Excel ledgers
(ledger_views.py) and the data-quality audit and statistics (quality_views.py)."""

from . import ledger_views, quality_views, views

app_name = "members"
urlpatterns = [*views.urlpatterns, *ledger_views.urlpatterns, *quality_views.urlpatterns]
