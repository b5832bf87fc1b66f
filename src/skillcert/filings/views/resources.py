"""Pages for an enterprise's sites and equipment, staff pool and declared relationships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action, list_page
from skillcert.filings import selectors
from skillcert.filings.filters import PoolFilter
from skillcert.filings.forms import EquipmentForm, PoolMemberForm, RelationshipForm, SiteForm
from skillcert.filings.services import resources as services
from skillcert.filings.tables import EditablePoolTable, PoolTable
from skillcert.filings.views.common import form_page

# --- sites and equipment ------------------------------------------------------------------------


@login_required
def site_list(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.access_enterprise(user=request.user, pk=pk)
    return render(
        request,
        "filings/sites.html",
        {
            "enterprise": enterprise,
            "sites": selectors.site_list(user=request.user, enterprise=enterprise),
            "can_manage": selectors.can_manage(user=request.user, enterprise=enterprise),
        },
    )


@login_required
def site_create(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.access_enterprise(user=request.user, pk=pk, for_write=True)
    form = SiteForm(request.POST or None)
    del form.fields["is_active"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.site_create(
                actor=request.user,
                enterprise=enterprise,
                name=data["name"],
                address=data["address"],
                note=data["note"],
                head_name=data["head_name"],
                head_phone=data["head_phone"],
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加场地。"))
            return redirect("filings:sites", pk=enterprise.pk)
    return form_page(
        request, form, title=_("添加评价场地"), cancel_url=reverse("filings:sites", args=[enterprise.pk])
    )


@login_required
def site_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.access_site(user=request.user, pk=pk, for_write=True)
    initial = {
        "name": site.name,
        "address": site.address,
        "note": site.note,
        "head_name": site.head_name,
        "head_phone": site.head_phone,
        "is_active": site.is_active,
    }
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(actor=request.user, site=site, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("filings:sites", pk=site.enterprise_id)
    return form_page(
        request,
        form,
        title=_("编辑场地：%(n)s") % {"n": site.name},
        cancel_url=reverse("filings:sites", args=[site.enterprise_id]),
    )


@login_required
def equipment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.access_site(user=request.user, pk=pk, for_write=True)
    form = EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_create(actor=request.user, site=site, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加设施设备。"))
            return redirect("filings:sites", pk=site.enterprise_id)
    return form_page(
        request,
        form,
        title=_("添加设施设备 · %(n)s") % {"n": site.name},
        cancel_url=reverse("filings:sites", args=[site.enterprise_id]),
    )


@login_required
def equipment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_equipment(user=request.user, pk=pk, for_write=True)
    initial = {
        "name": item.name,
        "model": item.model,
        "count": item.count,
        "occupations": item.occupations.all(),
    }
    form = EquipmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_update(actor=request.user, equipment=item, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("filings:sites", pk=item.site.enterprise_id)
    return form_page(
        request,
        form,
        title=_("编辑设施设备：%(n)s") % {"n": item.name},
        cancel_url=reverse("filings:sites", args=[item.site.enterprise_id]),
    )


@require_POST
@login_required
def equipment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_equipment(user=request.user, pk=pk, for_write=True)
    enterprise_id = item.site.enterprise_id
    services.equipment_delete(actor=request.user, equipment=item)
    messages.success(request, _("已删除设施设备。"))
    return redirect("filings:sites", pk=enterprise_id)


# --- the staff pool -----------------------------------------------------------------------------


@login_required
def pool_list(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.access_enterprise(user=request.user, pk=pk)
    can_manage = selectors.can_manage(user=request.user, enterprise=enterprise)
    actions = [
        Action(_("回避关系"), reverse("filings:relationships", args=[enterprise.pk]), "outline-primary")
    ]
    if can_manage:
        actions.insert(0, Action(_("登记人员"), reverse("filings:pool_create", args=[enterprise.pk])))
    return list_page(
        request,
        title=_("评价人员库 · %(n)s") % {"n": enterprise.name},
        queryset=selectors.pool_list(user=request.user, enterprise=enterprise),
        filterset_class=PoolFilter,
        table_class=EditablePoolTable if can_manage else PoolTable,
        actions=actions,
        intro=_(
            "考评员（含最高可考评等级和证书有效期）、命题人员和内部质量督导员。考评员须证书有效方可计入调整申请的考评人员清单。"
        ),
    )


@login_required
def pool_create(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.access_enterprise(user=request.user, pk=pk, for_write=True)
    form = PoolMemberForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_member_create(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("filings:pool", pk=enterprise.pk)
    return form_page(
        request, form, title=_("登记评价人员"), cancel_url=reverse("filings:pool", args=[enterprise.pk])
    )


@login_required
def pool_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.access_pool_member(user=request.user, pk=pk, for_write=True)
    initial = {
        "role": member.role,
        "occupation": member.occupation,
        "max_level": member.max_level,
        "certificate_no": member.certificate_no,
        "valid_until": member.valid_until,
        "home_site": member.home_site,
        "is_active": member.is_active,
    }
    form = PoolMemberForm(request.POST or None, enterprise=member.enterprise, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_member_update(actor=request.user, member=member, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("filings:pool", pk=member.enterprise_id)
    return form_page(
        request,
        form,
        title=_("编辑评价人员：%(n)s") % {"n": member.person.name},
        cancel_url=reverse("filings:pool", args=[member.enterprise_id]),
    )


# --- relationships --------------------------------------------------------------------------------


@login_required
def relationship_list(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.access_enterprise(user=request.user, pk=pk)
    can_manage = selectors.can_manage(user=request.user, enterprise=enterprise)
    form = RelationshipForm(request.POST or None, enterprise=enterprise) if can_manage else None
    if request.method == "POST":
        if form is None:
            return redirect("filings:relationships", pk=enterprise.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.relationship_create(
                    actor=request.user,
                    enterprise=enterprise,
                    a=data["person_a"],
                    b=data["person_b"],
                    kind=data["kind"],
                    note=data["note"],
                )
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已登记回避关系。"))
                return redirect("filings:relationships", pk=enterprise.pk)
    return render(
        request,
        "filings/relationships.html",
        {
            "enterprise": enterprise,
            "relationships": selectors.relationship_list(user=request.user, enterprise=enterprise),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@login_required
def relationship_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    rel = selectors.access_relationship(user=request.user, pk=pk, for_write=True)
    enterprise_id = rel.enterprise_id
    services.relationship_delete(actor=request.user, relationship=rel)
    messages.success(request, _("已删除。"))
    return redirect("filings:relationships", pk=enterprise_id)
