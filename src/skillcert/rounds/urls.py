"""URLs of the rounds app (mounted at /rounds/)."""

from django.urls import path

from skillcert.rounds import views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/offerings/", views.offering_add, name="offering_add"),
    path("offerings/<int:pk>/remove/", views.offering_remove, name="offering_remove"),
    path("<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("<int:pk>/cancel/", views.round_cancel, name="round_cancel"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
]
