"""Joining a community: the public sign-up, and the staff's invitation codes and residents
(mounted at community/residents/, namespace community_residents)."""

from django.urls import path

from xiaoneng.community import views_residents as views

app_name = "community_residents"
urlpatterns = [
    path("join/", views.join, name="join"),  # public: no login
    path("", views.resident_list, name="residents"),
    path("import/", views.resident_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<id:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
