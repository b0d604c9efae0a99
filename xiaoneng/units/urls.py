from django.urls import path

from xiaoneng.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("search/", views.unit_search, name="search"),
    path("<id:pk>/", views.unit_detail, name="detail"),
    path("<id:pk>/edit/", views.unit_edit, name="edit"),
    path("<id:pk>/delete/", views.unit_delete, name="delete"),
]
