from django.contrib.auth import views as auth_views
from django.urls import path

from xiaoneng.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("members/", views.members, name="members"),
    path("users/new/", views.user_form, name="user_create"),
    path("users/export.xlsx", views.user_export, name="user_export"),
    path("users/import/", views.user_import, name="user_import"),
    path("users/import/template.xlsx", views.user_import_template, name="user_import_template"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/edit/", views.user_form, name="user_edit"),
    path("users/<id:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<id:pk>/delete/", views.user_delete, name="user_delete"),
    path("users/<id:pk>/revoke-tokens/", views.user_revoke_tokens, name="user_revoke_tokens"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
