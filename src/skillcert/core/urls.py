"""URLs of the core app."""

from django.urls import path

from skillcert.core.views import (
    accounts,
    audit,
    auth,
    calendar,
    documents,
    home,
    jobs,
    notify,
    orgs,
    people,
    tokens,
)

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    # Authentication and account security (S1–S5)
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("otp/setup/", auth.otp_setup, name="otp_setup"),
    path("otp/verify/", auth.otp_verify, name="otp_verify"),
    # Organisations and departments
    path("orgs/", orgs.org_list, name="org_list"),
    path("orgs/new/", orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("orgs/<int:pk>/departments/new/", orgs.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", orgs.department_edit, name="department_edit"),
    # People and employees
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/photo/", people.person_photo, name="person_photo"),
    path("people/<int:pk>/reveal/", people.person_reveal, name="person_reveal"),
    path("employees/<int:pk>/edit/", people.employee_edit, name="employee_edit"),
    # Accounts and roles
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/roles/", accounts.role_grant, name="role_grant"),
    path("accounts/<int:pk>/action/", accounts.account_action, name="account_action"),
    path("accounts/<int:pk>/roles/<int:assignment_id>/revoke/", accounts.role_revoke, name="role_revoke"),
    # Audit ledger (audit admin only, S7)
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.xlsx", audit.audit_export, name="audit_export"),
    # Working-day calendar
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("calendar/years/new/", calendar.calendar_year_create, name="calendar_year_create"),
    # Documents
    path("orgs/<int:pk>/roster.pdf", documents.roster_pdf, name="roster_pdf"),
    path("orgs/<int:pk>/roster.xlsx", documents.roster_xlsx, name="roster_xlsx"),
    path("orgs/<int:pk>/roster.docx", documents.roster_docx, name="roster_docx"),
    path("orgs/<int:pk>/roster/export/", documents.roster_export_start, name="roster_export_start"),
    # Background jobs
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/download/", jobs.job_download, name="job_download"),
    # API tokens
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    # Notifications (the bell)
    path("notifications/", notify.notification_list, name="notifications"),
    path("notifications/read-all/", notify.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/open/", notify.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notify.notification_read, name="notification_read"),
]
