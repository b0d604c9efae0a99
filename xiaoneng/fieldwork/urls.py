from django.urls import path

from xiaoneng.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("new/", views.visit_create, name="visit_create"),
    path("stats/", views.visit_stats, name="visit_stats"),
    path("where/", views.visit_where, name="visit_where"),
    path("<id:pk>/", views.visit_detail, name="visit_detail"),
    path("<id:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("<id:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<id:pk>/to-item/", views.finding_to_item, name="finding_to_item"),
]
