from django.urls import path

from . import views

app_name = "relations"
urlpatterns = [
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("floating/", views.floating_list, name="floating_list"),
]
