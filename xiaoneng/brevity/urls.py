from django.urls import path

from xiaoneng.brevity import views

app_name = "brevity"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<id:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<id:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_edit, name="document_create"),
    path("documents/upload/", views.document_upload, name="document_upload"),
    path("documents/<id:pk>/", views.document_detail, name="document_detail"),
    path("documents/<id:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<id:pk>/delete/", views.document_delete, name="document_delete"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("analyze/", views.analyze, name="analyze"),
    path("stats/", views.stats_page, name="stats"),
]
