from django.urls import path

from . import views

app_name = "relations"
urlpatterns = [
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/export/", views.transfer_export, name="transfer_export"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/incoming/", views.transfer_incoming, name="transfer_incoming"),
    path("transfers/members/", views.member_search, name="member_search"),
    path("transfers/destinations/<int:org_pk>/", views.destinations, name="destinations"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/letter/", views.transfer_letter, name="transfer_letter"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/reject/", views.transfer_reject, name="transfer_reject"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:pk>/reissue/", views.transfer_reissue, name="transfer_reissue"),
    path("transfers/<int:pk>/receipt/", views.transfer_receipt, name="transfer_receipt"),
    path("floating/", views.floating_list, name="floating_list"),
    path("floating/export/", views.floating_export, name="floating_export"),
    path("floating/new/", views.floating_new, name="floating_new"),
    path("floating/<int:pk>/", views.floating_detail, name="floating_detail"),
    path("floating/<int:pk>/edit/", views.floating_edit, name="floating_edit"),
    path("floating/<int:pk>/return/", views.floating_return, name="floating_return"),
    path("lost/", views.lost_list, name="lost_list"),
    path("lost/export/", views.lost_export, name="lost_export"),
    path("lost/new/", views.lost_new, name="lost_new"),
    path("lost/<int:pk>/", views.lost_detail, name="lost_detail"),
    path("lost/<int:pk>/search/", views.lost_search, name="lost_search"),
    path("lost/<int:pk>/suspend/", views.lost_suspend, name="lost_suspend"),
    path("lost/<int:pk>/self-left/", views.lost_self_left, name="lost_self_left"),
    path("lost/<int:pk>/restore/", views.lost_restore, name="lost_restore"),
]
