"""Pages for the occupation browser and job types."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from skillcert.catalog import selectors
from skillcert.catalog import services as catalog_services
from skillcert.catalog.filters import OccupationFilter
from skillcert.catalog.forms import JobTypeForm
from skillcert.catalog.models import Occupation
from skillcert.catalog.tables import OccupationTable
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action, list_page


@login_required
def occupation_list(request: AuthedRequest) -> HttpResponse:
    if not selectors.is_catalogue_reader(request.user):
        raise Http404
    qs = selectors.occupation_browse(user=request.user)
    under = request.GET.get("under", "").strip().rstrip("-")
    chain: list[Occupation] = []
    if under:
        node = selectors.occupation_list(user=request.user).filter(code=under).first()
        if node is not None:
            chain = selectors.occupation_chain(node)
    actions = [
        Action(_("职业技能标准"), reverse("catalog:standard_list"), "outline-primary"),
        Action(_("申报条件规则集"), reverse("catalog:ruleset_list"), "outline-primary"),
    ]
    return list_page(
        request,
        title=_("职业目录"),
        queryset=qs,
        filterset_class=OccupationFilter,
        table_class=OccupationTable,
        actions=actions,
        intro=_("《中华人民共和国职业分类大典（2022年版）》：大类—中类—小类—职业。职业下设工种与等级。"),
        extra={"template_extra": "catalog/_occupation_chain.html", "chain": chain},
    )


@login_required
def occupation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    occupation = selectors.access_occupation(user=request.user, pk=pk)
    children = (
        selectors.occupation_browse(user=request.user).filter(parent=occupation).order_by("code")
        if occupation.tier < 4
        else None
    )
    standards = selectors.standard_list(user=request.user).filter(occupation=occupation)
    kind = selectors.can_create_standard(user=request.user) if occupation.tier == 4 else None
    context = {
        "occupation": occupation,
        "chain": selectors.occupation_chain(occupation),
        "children": children,
        "job_types": occupation.job_types.order_by("pk") if occupation.tier == 4 else None,
        "standards": standards,
        "can_edit": selectors.can_edit_catalogue(user=request.user) and occupation.tier == 4,
        "new_standard_kind": kind,
    }
    return render(request, "catalog/occupation_detail.html", context)


@login_required
def job_type_create(request: AuthedRequest, pk: int) -> HttpResponse:
    occupation = selectors.access_occupation(user=request.user, pk=pk, for_write=True)
    if occupation.tier != 4:
        raise Http404
    form = JobTypeForm(request.POST or None, initial={"levels": [5, 4, 3, 2, 1]})
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.job_type_create(actor=request.user, occupation=occupation, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加工种“%(n)s”。") % {"n": form.cleaned_data["name"]})
            return redirect(occupation)
    return render(
        request,
        "catalog/form.html",
        {
            "form": form,
            "title": _("添加工种 · %(o)s") % {"o": occupation},
            "cancel_url": occupation.get_absolute_url(),
        },
    )


@login_required
def job_type_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    job_type = selectors.access_job_type(user=request.user, pk=pk, for_write=True)
    initial = {"name": job_type.name, "code": job_type.code, "levels": job_type.levels}
    form = JobTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.job_type_update(actor=request.user, job_type=job_type, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(job_type.occupation)
    return render(
        request,
        "catalog/form.html",
        {
            "form": form,
            "title": _("编辑工种：%(n)s") % {"n": job_type},
            "cancel_url": job_type.occupation.get_absolute_url(),
        },
    )
