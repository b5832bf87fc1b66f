"""Pages for eligibility rule sets: the list, each level's conditions in words, and the JSON editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from skillcert.catalog import ruletext, selectors
from skillcert.catalog import services as catalog_services
from skillcert.catalog.filters import RuleSetFilter
from skillcert.catalog.forms import RuleSetForm, rules_text
from skillcert.catalog.models import EligibilityRuleSet
from skillcert.catalog.tables import RuleSetTable
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action, list_page

# A new rule set that starts from nothing: one level, one condition, to be filled in.
BLANK_RULES: dict[str, Any] = {
    "version": 1,
    "levels": {
        "5": {
            "conditions": [
                {
                    "label": "累计从事本职业或相关职业工作1年（含）以上。",
                    "requires": [{"type": "occupation_years", "years": 1}],
                }
            ]
        }
    },
}


def split_error(error: str) -> tuple[str, str]:
    """'levels.4.conditions[0].requires[1].years: 年限须为…' → (path, message)."""
    path, sep, message = error.partition(": ")
    return (path, message) if sep else ("", error)


@login_required
def ruleset_list(request: AuthedRequest) -> HttpResponse:
    if not selectors.is_catalogue_reader(request.user):
        raise Http404
    qs = selectors.rule_set_list(user=request.user).order_by("-template", "enterprise__name", "name")
    actions = (
        [Action(_("新建规则集"), reverse("catalog:ruleset_create"))]
        if selectors.can_create_rule_set(user=request.user)
        else []
    )
    return list_page(
        request,
        title=_("申报条件规则集"),
        queryset=qs,
        filterset_class=RuleSetFilter,
        table_class=RuleSetTable,
        actions=actions,
        intro=_(
            "各等级的申报条件（R3.3：企业按其备案的条件审核）。国家模板随程序发布，不能修改；"
            "企业可“从模板复制”后按本企业备案的评价规范调整。"
        ),
    )


@login_required
def ruleset_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rule_set = selectors.access_rule_set(user=request.user, pk=pk)
    context = {
        "rule_set": rule_set,
        "conditions": ruletext.labelled(rule_set),
        "problems": [split_error(e) for e in ruletext.problems(rule_set)],
        "standards": selectors.standard_list(user=request.user).filter(rule_set=rule_set),
        "rules_json": rules_text(rule_set.rules),
        "can_edit": selectors.can_edit_rule_set(user=request.user, rule_set=rule_set),
        "can_copy": selectors.can_create_rule_set(user=request.user),
    }
    return render(request, "catalog/ruleset_detail.html", context)


def _editor(
    request: AuthedRequest,
    *,
    form: RuleSetForm,
    title: str,
    cancel_url: str,
    path_errors: list[tuple[str, str]],
    copy_from: list[EligibilityRuleSet],
) -> HttpResponse:
    return render(
        request,
        "catalog/ruleset_form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "path_errors": path_errors,
            "copy_from": copy_from,
        },
    )


def _save(
    request: AuthedRequest, form: RuleSetForm, rule_set: EligibilityRuleSet | None
) -> tuple[EligibilityRuleSet | None, list[tuple[str, str]]]:
    data = form.cleaned_data
    try:
        if rule_set is None:
            enterprise = (
                None
                if selectors.can_edit_catalogue(user=request.user)
                else selectors.own_enterprise(user=request.user)
            )
            saved = catalog_services.rule_set_create(
                actor=request.user,
                name=data["name"],
                source=data["source"],
                rules=data["rules"],
                enterprise=enterprise,
            )
        else:
            saved = catalog_services.rule_set_update(
                actor=request.user,
                rule_set=rule_set,
                name=data["name"],
                source=data["source"],
                rules=data["rules"],
            )
    except catalog_services.RuleSetInvalid as exc:
        form.add_error("rules", _("申报条件有 %(n)s 处错误，见上方列表。") % {"n": len(exc.errors)})
        return None, [split_error(e) for e in exc.errors]
    except RuleViolation as exc:
        add_rule_error(form, exc)
        return None, []
    return saved, []


@login_required
def ruleset_create(request: AuthedRequest) -> HttpResponse:
    if not selectors.can_create_rule_set(user=request.user):
        raise Http404
    visible = selectors.rule_set_list(user=request.user)
    initial: dict[str, Any] = {"rules": rules_text(BLANK_RULES)}
    source_id = request.GET.get("from", "")
    if source_id:
        origin = selectors.access_rule_set(user=request.user, pk=source_id)
        enterprise = selectors.own_enterprise(user=request.user)
        prefix = f"{enterprise.short_name or enterprise.name} " if enterprise is not None else ""
        initial = {
            "name": _("%(p)s%(n)s（副本）") % {"p": prefix, "n": origin.name},
            "source": origin.source,
            "rules": rules_text(origin.rules),
        }
    form = RuleSetForm(request.POST or None, initial=initial)
    path_errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        saved, path_errors = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("已创建规则集“%(n)s”。") % {"n": saved.name})
            return redirect(saved)
    return _editor(
        request,
        form=form,
        title=_("新建申报条件规则集"),
        cancel_url=reverse("catalog:ruleset_list"),
        path_errors=path_errors,
        copy_from=list(visible.exclude(template="").order_by("template")),
    )


@login_required
def ruleset_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rule_set = selectors.access_rule_set(user=request.user, pk=pk, for_write=True)
    initial = {"name": rule_set.name, "source": rule_set.source, "rules": rules_text(rule_set.rules)}
    form = RuleSetForm(request.POST or None, initial=initial)
    path_errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        saved, path_errors = _save(request, form, rule_set)
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(saved)
    return _editor(
        request,
        form=form,
        title=_("编辑规则集：%(n)s") % {"n": rule_set.name},
        cancel_url=rule_set.get_absolute_url(),
        path_errors=path_errors,
        copy_from=[],
    )
