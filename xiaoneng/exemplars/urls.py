from django.urls import path

from xiaoneng.exemplars import views

app_name = "exemplars"
urlpatterns = [
    path("", views.exemplar_list, name="exemplar_list"),
    path("new/", views.exemplar_create, name="exemplar_create"),
    path("<id:pk>/", views.exemplar_detail, name="exemplar_detail"),
    path("<id:pk>/edit/", views.exemplar_edit, name="exemplar_edit"),
    path("<id:pk>/delete/", views.exemplar_delete, name="exemplar_delete"),
    path("<id:pk>/step/<slug:action>/", views.exemplar_step, name="exemplar_step"),
    path("<id:pk>/publish/", views.exemplar_publish, name="exemplar_publish"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
]
