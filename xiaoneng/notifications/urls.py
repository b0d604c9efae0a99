from django.urls import path

from xiaoneng.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/new/", views.webhook_edit, name="webhook_create"),
    path("webhooks/<id:pk>/", views.webhook_edit, name="webhook_edit"),
    path("webhooks/deliveries/<id:pk>/resend/", views.delivery_resend, name="delivery_resend"),
]
