"""URLs of the rounds app (mounted at /rounds/)."""

from django.urls import path

from skillcert.rounds import views, views_dashboard, views_plans

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
    # Assessment plan and certification plan (R4, R5)
    path("<int:pk>/plan/", views_plans.plan_detail, name="plan_detail"),
    path("<int:pk>/plan/edit/", views_plans.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/offerings/<int:offering_pk>/", views_plans.method_edit, name="plan_method_edit"),
    path("<int:pk>/plan.docx", views_plans.plan_docx, name="plan_docx"),
    path("<int:pk>/plan.pdf", views_plans.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan/pledge.pdf", views_plans.pledge_pdf, name="pledge_pdf"),
    path("<int:pk>/plan/pledge/", views_plans.pledge_upload, name="pledge_upload"),
    path("<int:pk>/plan/pledge/scan/", views_plans.pledge_scan, name="pledge_scan"),
    path("<int:pk>/plan/submit/", views_plans.plan_submit, name="plan_submit"),
    path("<int:pk>/plan/date/", views_plans.plan_date_move, name="plan_date_move"),
    path("<int:pk>/plan/amend/", views_plans.plan_amend, name="plan_amend"),
    path("plans/", views_plans.plan_queue, name="plan_queue"),
    path("plans/<int:pk>/confirm/", views_plans.plan_confirm, name="plan_confirm"),
    path("plans/<int:pk>/return/", views_plans.plan_return, name="plan_return"),
]

# The authority's dashboard (issue 5)
urlpatterns += [path("dashboard/", views_dashboard.authority_dashboard, name="authority_dashboard")]
