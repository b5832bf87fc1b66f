"""The public list of filed evaluating organisations and their scopes (R1.1): no login, no personal data.

Only organisational facts are shown: name, unified social credit code, filing number, date and
authority, and the scope in force today. Contact names, phone numbers and every person-level
record (assessors, relationships) stay behind login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillcert.catalog.models import LEVEL_HEIGHT
from skillcert.filings import selectors
from skillcert.filings.models import Filing, ScopeItem

PER_PAGE = 20
QUERY_MAX = 60


@dataclass
class ScopeGroup:
    """One occupation (job type) of a public scope with its levels, lowest first."""

    code: str
    label: str
    standards: list[str] = field(default_factory=list)
    levels: list[tuple[int, str]] = field(default_factory=list)

    @property
    def level_labels(self) -> list[str]:
        return [label for _v, label in sorted(self.levels, key=lambda lv: LEVEL_HEIGHT[lv[0]])]


def group_scope(items: Iterable[ScopeItem]) -> list[ScopeGroup]:
    groups: dict[tuple[int, int | None], ScopeGroup] = {}
    for item in items:
        key = (item.occupation_id, item.job_type_id)
        group = groups.setdefault(key, ScopeGroup(code=item.occupation.code, label=item.label()))
        group.levels.append((item.level, item.get_level_display()))
        standard = str(item.standard)
        if standard not in group.standards:
            group.standards.append(standard)
    return sorted(groups.values(), key=lambda g: (g.code, g.label))


def _with_groups(filings: Iterable[Filing]) -> list[tuple[Filing, list[ScopeGroup]]]:
    return [(f, group_scope(getattr(f.enterprise, "scope_now", []))) for f in filings]


@require_GET
def filed_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    q = request.GET.get("q", "")[:QUERY_MAX].strip()
    page = Paginator(selectors.public_filing_list(on=today, q=q), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": _with_groups(page.object_list), "q": q, "today": today}
    template = (
        "filings/public/_results.html" if getattr(request, "htmx", False) else "filings/public/list.html"
    )
    return render(request, template, context)


@require_GET
def filed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    filing = selectors.public_filing(pk=pk, on=today)
    context = {
        "filing": filing,
        "groups": group_scope(getattr(filing.enterprise, "scope_now", [])),
        "items": getattr(filing.enterprise, "scope_now", []),
        "today": today,
    }
    return render(request, "filings/public/detail.html", context)
