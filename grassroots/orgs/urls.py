from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("new/", views.create, name="create_root"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.create, name="create_child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
]
