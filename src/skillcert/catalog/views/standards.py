"""Pages for national standards and enterprise evaluation specifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from skillcert.catalog import ruletext, selectors
from skillcert.catalog import services as catalog_services
from skillcert.catalog.filters import StandardFilter
from skillcert.catalog.forms import ModuleGridForm, StandardForm
from skillcert.catalog.models import (
    ORDINARY_LEVELS,
    Level,
    ModuleKind,
    Occupation,
    Standard,
    StandardKind,
    StandardModule,
)
from skillcert.catalog.tables import StandardTable
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.models import Organisation
from skillcert.core.views.common import list_page


@login_required
def standard_list(request: AuthedRequest) -> HttpResponse:
    if not selectors.is_catalogue_reader(request.user):
        raise Http404
    qs = selectors.standard_list(user=request.user).order_by("occupation__code", "-edition_year", "pk")
    return list_page(
        request,
        title=_("职业技能标准与评价规范"),
        queryset=qs,
        filterset_class=StandardFilter,
        table_class=StandardTable,
        intro=_(
            "国家职业技能标准对所有用户可见；企业评价规范仅本企业及其监管人社部门可见。新建请先在职业目录中选择职业。"
        ),
    )


@dataclass(frozen=True)
class ModuleRow:
    level: int
    label: str
    cells: list[StandardModule | None]


def module_rows(standard: Standard) -> list[ModuleRow]:
    by_key = {(m.level, m.kind): m for m in standard.modules.all()}
    return [
        ModuleRow(level, str(Level(level).label), [by_key.get((level, kind)) for kind in ModuleKind.values])
        for level in ORDINARY_LEVELS
        if level in standard.levels
    ]


@login_required
def standard_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    standard = selectors.access_standard(user=request.user, pk=pk)
    context = {
        "standard": standard,
        "chain": selectors.occupation_chain(standard.occupation),
        "job_types": standard.job_types.order_by("pk"),
        "module_kinds": ModuleKind.choices,
        "module_rows": module_rows(standard),
        "level_text": catalog_services.level_names(standard.levels),
        "conditions": ruletext.labelled(standard.rule_set) if standard.rule_set else [],
        "can_edit": selectors.can_edit_standard(user=request.user, standard=standard),
    }
    return render(request, "catalog/standard_detail.html", context)


def _standard_form_page(
    request: AuthedRequest,
    *,
    occupation: Occupation,
    enterprise: Organisation | None,
    standard: Standard | None,
) -> HttpResponse:
    rule_sets = selectors.rule_set_choices(user=request.user, enterprise=enterprise)
    form = StandardForm(
        request.POST or None,
        occupation=occupation,
        rule_sets=rule_sets,
        initial=StandardForm.initial_for(standard, occupation),
        prefix="std",
    )
    grid = ModuleGridForm(request.POST or None, initial=ModuleGridForm.initial_for(standard), prefix="mod")
    if standard is None and enterprise is not None:
        form.initial["title"] = _("%(e)s %(o)s评价规范") % {
            "e": enterprise.short_name or enterprise.name,
            "o": occupation.name,
        }
        form.initial["code"] = ""
        form.initial["issued_by"] = enterprise.name
    errors: list[str] = []
    if request.method == "POST":
        valid = form.is_valid()
        if grid.is_valid() and valid:
            data = form.cleaned_data
            common = {
                "title": data["title"],
                "code": data["code"],
                "edition_year": data["edition_year"],
                "issued_by": data["issued_by"],
                "job_types": list(data["job_types"]),
                "rule_set": data["rule_set"],
                "levels": grid.levels(),
                "modules": grid.modules(),
                "staffing": form.staffing(),
                "is_active": data["is_active"],
            }
            try:
                if standard is None:
                    kind = StandardKind.SPECIFICATION if enterprise is not None else StandardKind.NATIONAL
                    saved = catalog_services.standard_create(
                        actor=request.user, occupation=occupation, kind=kind, enterprise=enterprise, **common
                    )
                else:
                    saved = catalog_services.standard_update(actor=request.user, standard=standard, **common)
            except RuleViolation as exc:
                if exc.field in ("levels", "modules"):
                    errors.append(str(exc))
                else:
                    add_rule_error(form, exc)
            else:
                messages.success(request, _("已保存“%(s)s”。") % {"s": saved})
                return redirect(saved)
        errors.extend(grid.all_errors())
    if standard is None:
        title = (
            _("新建企业评价规范 · %(o)s") if enterprise is not None else _("新建国家职业技能标准 · %(o)s")
        ) % {"o": occupation}
        cancel = occupation.get_absolute_url()
    else:
        title = _("编辑：%(s)s") % {"s": standard}
        cancel = standard.get_absolute_url()
    return render(
        request,
        "catalog/standard_form.html",
        {
            "form": form,
            "grid": grid,
            "grid_errors": errors,
            "module_kinds": ModuleKind.choices,
            "title": title,
            "occupation": occupation,
            "cancel_url": cancel,
        },
    )


@login_required
def standard_create(request: AuthedRequest, pk: int) -> HttpResponse:
    occupation = selectors.access_occupation(user=request.user, pk=pk)
    kind = selectors.can_create_standard(user=request.user)
    if kind is None or occupation.tier != 4:
        raise Http404
    enterprise = selectors.own_enterprise(user=request.user) if kind == StandardKind.SPECIFICATION else None
    return _standard_form_page(request, occupation=occupation, enterprise=enterprise, standard=None)


@login_required
def standard_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    standard = selectors.access_standard(user=request.user, pk=pk, for_write=True)
    return _standard_form_page(
        request, occupation=standard.occupation, enterprise=standard.enterprise, standard=standard
    )
