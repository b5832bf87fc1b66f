"""Pages for accounts and role assignments."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillcert.core import access, selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.filters import AccountFilter
from skillcert.core.forms import Form, add_rule_error, choice, model_choice
from skillcert.core.http import AuthedRequest
from skillcert.core.models import Organisation, RoleAssignment, User
from skillcert.core.models.accounts import Role
from skillcert.core.services import accounts as account_services
from skillcert.core.services import auth as auth_services
from skillcert.core.tables import AccountTable
from skillcert.core.views.common import Action, list_page


def initial_password() -> str:
    """A one-time initial password that satisfies the policy (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return (
        secrets.choice(string.ascii_uppercase)
        + core
        + secrets.choice(string.digits)
        + "#"
        + secrets.choice(string.ascii_lowercase)
    )


def _can_create_accounts(user: Any) -> bool:
    return (
        access.is_enterprise_admin(user)
        or access.is_platform_admin(user, Role.SYSTEM_ADMIN)
        or (access.is_authority_staff(user) and user.has_role(Role.AUTHORITY_ADMIN))
    )


def grantable_roles(actor: User, target: User) -> list[tuple[str, str]]:
    org = target.organisation
    if org is None:
        return []
    return [
        (role.value, str(role.label))
        for role in Role
        if org.kind in account_services.ROLE_ORG_KINDS[role] and account_services.may_grant(actor, role, org)
    ]


class AccountForm(Form):
    username = forms.RegexField(
        label=gettext_lazy("登录名"),
        regex=r"^[A-Za-z0-9_.@-]{3,40}$",
        error_messages={"invalid": gettext_lazy("登录名为3–40位字母、数字或 _ . @ -。")},
    )
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("所属组织"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if access.is_platform_admin(actor, Role.SYSTEM_ADMIN):
            qs = Organisation.objects.all()
        else:
            qs = Organisation.objects.filter(pk=actor.organisation_id or 0)
        model_choice(self, "organisation").queryset = qs
        self.fields["organisation"].initial = actor.organisation_id


@login_required
def account_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.account_list(user=request.user).order_by("organisation__name", "username").distinct()
    if not (
        _can_create_accounts(request.user) or access.is_platform_admin(request.user, Role.SECURITY_ADMIN)
    ):
        raise Http404
    actions = (
        [Action(_("新建账号"), reverse("core:account_create"))] if _can_create_accounts(request.user) else []
    )
    return list_page(
        request,
        title=_("账号与角色"),
        queryset=qs,
        filterset_class=AccountFilter,
        table_class=AccountTable,
        actions=actions,
    )


@login_required
def account_create(request: AuthedRequest) -> HttpResponse:
    if not _can_create_accounts(request.user):
        raise Http404
    actor: User = request.user
    form = AccountForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        password = initial_password()
        try:
            user = account_services.account_create(actor=actor, password=password, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            # The initial password is shown once and must be changed at first login (S1).
            messages.success(
                request,
                _("已创建账号 %(u)s，初始密码：%(p)s（仅显示一次，首次登录须修改）")
                % {"u": user.username, "p": password},
            )
            return redirect("core:account_detail", pk=user.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("新建账号"), "cancel_url": reverse("core:account_list")},
    )


class RoleForm(Form):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[])


@login_required
def account_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.access_account(user=request.user, pk=pk)
    form = RoleForm()
    roles = grantable_roles(request.user, account)
    choice(form, "role").choices = [("", _("请选择角色")), *roles] if roles else []
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "assignments": selectors.role_assignment_list(user=request.user, account=account),
            "form": form,
            "can_manage": auth_services.may_manage_account(request.user, account),
        },
    )


@require_POST
@login_required
def role_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.access_account(user=request.user, pk=pk)
    role = request.POST.get("role", "")
    try:
        account_services.role_grant(actor=request.user, user=account, role=role)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已授予角色。"))
    return redirect("core:account_detail", pk=account.pk)


@require_POST
@login_required
def role_revoke(request: AuthedRequest, pk: int, assignment_id: int) -> HttpResponse:
    account = selectors.access_account(user=request.user, pk=pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user=account)
    try:
        account_services.role_revoke(actor=request.user, assignment=assignment)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("core:account_detail", pk=account.pk)


ACCOUNT_ACTIONS = {"reset_password", "unlock", "otp_reset", "deactivate", "activate"}


@require_POST
@login_required
def account_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """Administrator actions on an account: one-time password, unlock, authenticator reset, (de)activate."""
    account = selectors.access_account(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in ACCOUNT_ACTIONS or not auth_services.may_manage_account(request.user, account):
        raise Http404
    try:
        if action == "reset_password":
            password = initial_password()
            auth_services.password_reset(actor=request.user, user=account, new_password=password)
            messages.success(
                request,
                _("已重置密码，新的一次性密码：%(p)s（仅显示一次，登录后须立即修改）") % {"p": password},
            )
        elif action == "unlock":
            auth_services.lockout_clear(actor=request.user, user=account)
            messages.success(request, _("已解除登录锁定。"))
        elif action == "otp_reset":
            auth_services.otp_reset(actor=request.user, user=account)
            messages.success(request, _("已重置身份验证器，该账号下次登录时重新绑定。"))
        else:
            account_services.account_set_active(actor=request.user, user=account, active=action == "activate")
            messages.success(request, _("已启用账号。") if action == "activate" else _("已停用账号。"))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("core:account_detail", pk=account.pk)
