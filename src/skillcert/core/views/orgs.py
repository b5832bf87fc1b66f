"""Pages for organisations and their departments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcert.core import access, selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.filters import OrganisationFilter
from skillcert.core.forms import Form, add_rule_error, choice, model_choice
from skillcert.core.http import AuthedRequest
from skillcert.core.models import Department, Organisation, OrgKind, User
from skillcert.core.models.accounts import Role
from skillcert.core.services import orgs as org_services
from skillcert.core.tables import OrganisationTable
from skillcert.core.views.common import Action, list_page


class OrganisationForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=[])
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    short_name = forms.CharField(label=gettext_lazy("简称"), max_length=40, required=False)
    credit_code = forms.RegexField(
        label=gettext_lazy("统一社会信用代码"),
        regex=r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
        required=False,
        error_messages={
            "invalid": gettext_lazy("统一社会信用代码应为18位（数字或大写字母，不含I、O、Z、S、V）。")
        },
    )
    region_code = forms.RegexField(
        label=gettext_lazy("行政区划代码"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": gettext_lazy("行政区划代码应为6位数字。")},
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级人社部门（市级部门填写）"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    authority = forms.ModelChoiceField(
        label=gettext_lazy("备案人社部门（企业填写）"), queryset=Organisation.objects.none(), required=False
    )
    is_central_subsidiary = forms.BooleanField(
        label=gettext_lazy("中央企业在鲁子公司或分支机构"), required=False
    )
    parent_company = forms.CharField(label=gettext_lazy("集团总部名称"), max_length=120, required=False)
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=40, required=False)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authorities = selectors.organisation_list(user=user).filter(kind__in=[OrgKind.PROVINCE, OrgKind.CITY])
        model_choice(self, "authority").queryset = authorities
        model_choice(self, "parent").queryset = authorities.filter(kind=OrgKind.PROVINCE)
        if access.is_platform_admin(user, Role.SYSTEM_ADMIN):
            kinds = [(k, label) for k, label in OrgKind.choices]
        else:
            kinds = [(OrgKind.ENTERPRISE.value, OrgKind.ENTERPRISE.label)]
        choice(self, "kind").choices = kinds
        if editing:
            for name in ("kind", "parent", "authority"):
                del self.fields[name]


def _can_create(user: Any) -> bool:
    return access.is_platform_admin(user, Role.SYSTEM_ADMIN) or (
        access.is_authority_staff(user) and user.has_role(Role.AUTHORITY_ADMIN)
    )


@login_required
def org_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.organisation_list(user=request.user)
    if not (
        access.is_authority_staff(request.user)
        or access.is_enterprise_staff(request.user)
        or access.is_platform_admin(request.user)
    ):
        raise Http404
    actions = [Action(_("新建组织"), reverse("core:org_create"))] if _can_create(request.user) else []
    return list_page(
        request,
        title=_("组织"),
        queryset=qs,
        filterset_class=OrganisationFilter,
        table_class=OrganisationTable,
        actions=actions,
    )


@login_required
def org_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = selectors.access_organisation(user=request.user, pk=pk)
    departments = selectors.department_list(user=request.user, enterprise=org) if org.is_enterprise else None
    context = {
        "org": org,
        "departments": departments,
        "can_manage": selectors.can_manage_organisation(user=request.user, org=org),
        "employee_count": selectors.employee_list(user=request.user).filter(enterprise=org).count()
        if org.is_enterprise
        else None,
        "can_export": org.is_enterprise
        and (access.is_enterprise_staff(request.user) or access.is_authority_staff(request.user)),
    }
    return render(request, "core/org_detail.html", context)


@login_required
def org_create(request: AuthedRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise Http404
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind, name = data.pop("kind"), data.pop("name")
        parent, authority = data.pop("parent"), data.pop("authority")
        try:
            org = org_services.organisation_create(
                actor=request.user,
                kind=kind,
                name=name,
                parent=parent,
                authority=authority,
                **data,
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已创建组织“%(n)s”。") % {"n": org.name})
            return redirect(org)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("新建组织"), "cancel_url": reverse("core:org_list")},
    )


@login_required
def org_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    org = selectors.access_organisation(user=request.user, pk=pk, for_write=True)
    initial = {f: getattr(org, f) for f in org_services.ORG_FIELDS}
    form = OrganisationForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.organisation_update(actor=request.user, org=org, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(org)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("编辑组织：%(n)s") % {"n": org.name}, "cancel_url": org.get_absolute_url()},
    )


class DepartmentForm(Form):
    name = forms.CharField(label=gettext_lazy("部门名称"), max_length=80)
    code = forms.CharField(label=gettext_lazy("部门编码"), max_length=40, required=False)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级部门"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "parent").queryset = Department.objects.filter(enterprise=enterprise)


@login_required
def department_create(request: AuthedRequest, pk: int) -> HttpResponse:
    org = selectors.access_organisation(user=request.user, pk=pk, for_write=True)
    if not org.is_enterprise:
        raise Http404
    form = DepartmentForm(request.POST or None, enterprise=org)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.department_create(actor=request.user, enterprise=org, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加部门。"))
            return redirect(org)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("添加部门 · %(n)s") % {"n": org.name},
            "cancel_url": org.get_absolute_url(),
        },
    )


@login_required
def department_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    dept = selectors.access_department(user=request.user, pk=pk, for_write=True)
    form = DepartmentForm(
        request.POST or None,
        enterprise=dept.enterprise,
        initial={"name": dept.name, "code": dept.code, "parent": dept.parent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org_services.department_update(actor=request.user, department=dept, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(dept.enterprise)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("编辑部门：%(n)s") % {"n": dept.name},
            "cancel_url": dept.enterprise.get_absolute_url(),
        },
    )
