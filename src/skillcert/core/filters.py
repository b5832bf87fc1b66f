"""django-filter filter sets for core lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.core import crypto, idcard
from skillcert.core.models import AuditEvent, Employee, Organisation, OrgKind, User
from skillcert.core.models.accounts import Role


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或信用代码"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("类型"), empty_label=_("全部类型"))

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(credit_code=value)
        )


class EmployeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名、工号或身份证号"))
    department = django_filters.CharFilter(
        field_name="department__name", lookup_expr="icontains", label=_("部门")
    )
    employment_type = django_filters.ChoiceFilter(
        choices=Employee._meta.get_field("employment_type").choices,
        label=_("用工形式"),
        empty_label=_("全部用工形式"),
    )
    is_active = django_filters.BooleanFilter(
        label=_("在职"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("在职")), ("false", _("离职"))]),
    )

    class Meta:
        model = Employee
        fields = ["q", "department", "employment_type", "is_active"]

    def search(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        value = value.strip()
        # A full ID number is found through its blind index, never by decrypting (S13).
        if idcard.is_valid(value):
            index = crypto.blind_index(idcard.parse(value).number, purpose="id_number")
            return queryset.filter(person__id_number_index=index)
        return queryset.filter(
            Q(person__name__icontains=value) | Q(employee_no__iexact=value) | Q(post__icontains=value)
        )


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("登录名或姓名"))
    role = django_filters.ChoiceFilter(
        field_name="role_assignments__role", choices=Role.choices, label=_("角色"), empty_label=_("全部角色")
    )

    class Meta:
        model = User
        fields = ["q", "role"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("操作（前缀）"))
    actor_name = django_filters.CharFilter(lookup_expr="iexact", label=_("操作人"))
    object_type = django_filters.CharFilter(lookup_expr="iexact", label=_("对象类型"))
    object_id = django_filters.CharFilter(lookup_expr="exact", label=_("对象ID"))
    outcome = django_filters.CharFilter(lookup_expr="exact", label=_("结果"))
    ip = django_filters.CharFilter(lookup_expr="exact", label=_("来源IP"))
    after = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_name", "object_type", "object_id", "outcome", "ip", "after", "before"]
