from django.urls import path

from xiaoneng.branches import views

app_name = "branches"
urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("<id:pk>/", views.branch_detail, name="branch_detail"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<id:pk>/end/", views.pairing_end, name="pairing_end"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<id:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<id:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<id:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("photos/<id:pk>/", views.photo_download, name="photo_download"),
]
