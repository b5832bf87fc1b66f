"""Pages for people and their employment records; personal data masked unless revealed with a reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillcert.core import access, audit, idcard, selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.filters import EmployeeFilter
from skillcert.core.forms import Form, add_rule_error, model_choice
from skillcert.core.http import AuthedRequest
from skillcert.core.models import Department, EmploymentType, Organisation, User
from skillcert.core.services import people as people_services
from skillcert.core.tables import EmployeeTable
from skillcert.core.views.common import Action, list_page

PHOTO_TYPES = {"image/jpeg", "image/png"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024


class PersonForm(Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        max_length=18,
        min_length=15,
        help_text=gettext_lazy("18位居民身份证号码；15位旧号码将自动转换。性别与出生日期由证件号得出。"),
    )
    phone = forms.RegexField(
        label=gettext_lazy("手机号"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": gettext_lazy("手机号应为以1开头的11位数字。")},
    )
    employee_no = forms.CharField(label=gettext_lazy("工号"), max_length=40)
    department = forms.ModelChoiceField(
        label=gettext_lazy("部门"), queryset=Department.objects.none(), required=False
    )
    post = forms.CharField(label=gettext_lazy("岗位"), max_length=80, required=False)
    employment_type = forms.ChoiceField(label=gettext_lazy("用工形式"), choices=EmploymentType.choices)
    hired_on = forms.DateField(
        label=gettext_lazy("入职日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    photo = forms.ImageField(
        label=gettext_lazy("2寸照片"), required=False, help_text=gettext_lazy("JPEG 或 PNG，不超过 2MB。")
    )

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "department").queryset = Department.objects.filter(enterprise=enterprise)

    def clean_id_number(self) -> str:
        try:
            return idcard.parse(self.cleaned_data["id_number"]).number
        except idcard.IdNumberError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo is not None:
            if photo.size > PHOTO_MAX_BYTES:
                raise forms.ValidationError(_("照片不能超过 2MB。"))
            if getattr(photo, "content_type", "") not in PHOTO_TYPES:
                raise forms.ValidationError(_("照片须为 JPEG 或 PNG 格式。"))
        return photo


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    if not (access.is_enterprise_staff(request.user) or access.is_authority_staff(request.user)):
        raise Http404
    qs = selectors.employee_list(user=request.user).order_by("enterprise__name", "employee_no")
    actions = (
        [Action(_("登记人员"), reverse("core:person_create"))]
        if access.is_enterprise_admin(request.user)
        else []
    )
    return list_page(
        request,
        title=_("人员"),
        queryset=qs,
        filterset_class=EmployeeFilter,
        table_class=EmployeeTable,
        actions=actions,
        intro=_("身份证号默认脱敏显示；完整号码须说明理由查看，并记入审计日志。"),
    )


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    if not access.is_enterprise_admin(request.user):
        raise Http404
    user: User = request.user
    enterprise = user.organisation
    assert enterprise is not None
    form = PersonForm(request.POST or None, request.FILES or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person, _created = people_services.person_find_or_create(
                    actor=user, name=data["name"], id_number=data["id_number"], phone=data["phone"]
                )
                people_services.employee_create(
                    actor=user,
                    person=person,
                    enterprise=enterprise,
                    employee_no=data["employee_no"],
                    department=data["department"],
                    post=data["post"],
                    employment_type=data["employment_type"],
                    hired_on=data["hired_on"],
                )
                if data["photo"] is not None:
                    people_services.person_set_photo(
                        actor=user,
                        person=person,
                        data=data["photo"].read(),
                        content_type=data["photo"].content_type,
                    )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记 %(n)s。") % {"n": person.name})
            return redirect("core:person_detail", pk=person.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("登记人员"), "cancel_url": reverse("core:person_list")},
    )


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, pk=pk)
    employments = selectors.employee_list(user=request.user).filter(person=person)
    audit.record(actor=request.user, action="person.view", obj=person)
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "employments": employments,
            "can_edit": selectors.can_edit_person(user=request.user, person=person),
            "can_reveal": selectors.can_reveal_id_number(user=request.user),
        },
    )


class PersonEditForm(Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.RegexField(
        label=gettext_lazy("手机号"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": gettext_lazy("手机号应为以1开头的11位数字。")},
        help_text=gettext_lazy("留空则保留原号码。"),
    )
    clear_phone = forms.BooleanField(label=gettext_lazy("清除手机号"), required=False)


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, pk=pk, for_write=True)
    form = PersonEditForm(request.POST or None, initial={"name": person.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = "" if data["clear_phone"] else (data["phone"] or None)
        people_services.person_update(actor=request.user, person=person, name=data["name"], phone=phone)
        messages.success(request, _("已保存。"))
        return redirect("core:person_detail", pk=person.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("编辑人员：%(n)s") % {"n": person.name},
            "intro": _("当前手机号：%(p)s。") % {"p": person.phone_masked or _("未登记")},
            "cancel_url": reverse("core:person_detail", args=[person.pk]),
        },
    )


@login_required
def person_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, pk=pk)
    data = person.photo_bytes()
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=person.photo_type or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


class RevealForm(Form):
    reason = forms.CharField(label=gettext_lazy("查看理由"), max_length=200, min_length=4)


@require_POST
@login_required
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the full ID number once, for a stated reason, and audit it (S14)."""
    person = selectors.access_person(user=request.user, pk=pk)
    if not selectors.can_reveal_id_number(user=request.user):
        raise Http404
    form = RevealForm(request.POST)
    number = None
    if form.is_valid():
        try:
            number = people_services.person_reveal_id_number(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
    response = render(request, "core/_reveal.html", {"person": person, "number": number, "form": form})
    response["Cache-Control"] = "private, no-store"
    return response


class EmployeeEditForm(Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("部门"), queryset=Department.objects.none(), required=False
    )
    post = forms.CharField(label=gettext_lazy("岗位"), max_length=80, required=False)
    employment_type = forms.ChoiceField(label=gettext_lazy("用工形式"), choices=EmploymentType.choices)
    is_active = forms.BooleanField(label=gettext_lazy("在职"), required=False)

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "department").queryset = Department.objects.filter(enterprise=enterprise)


@login_required
def employee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change an employment record: department, post, employment type, active (enterprise admin only)."""
    employee = selectors.access_employee(user=request.user, pk=pk, for_write=True)
    form = EmployeeEditForm(
        request.POST or None,
        enterprise=employee.enterprise,
        initial={
            "department": employee.department,
            "post": employee.post,
            "employment_type": employee.employment_type,
            "is_active": employee.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            people_services.employee_update(actor=request.user, employee=employee, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("core:person_detail", pk=employee.person_id)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("编辑任职：%(n)s（%(no)s）") % {"n": employee.person.name, "no": employee.employee_no},
            "cancel_url": reverse("core:person_detail", args=[employee.person_id]),
        },
    )
