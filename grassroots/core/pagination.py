from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None):
    """A page of `queryset` for ?page=N; bad page numbers give the nearest valid page."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
