"""The audit administrator's pages: search, export and chain verification of the ledger (S7, S11)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import access, audit, selectors
from skillcert.core.filters import AuditEventFilter
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.models.accounts import Role
from skillcert.core.tables import AuditEventTable
from skillcert.core.views.common import list_page

EXPORT_LIMIT = 100_000


def _require_auditor(request: AuthedRequest) -> None:
    if not access.is_platform_admin(request.user, Role.AUDIT_ADMIN):
        raise Http404


@login_required
def audit_list(request: AuthedRequest) -> HttpResponse:
    _require_auditor(request)
    report = audit.verify_chain() if request.GET.get("verify") else None
    return list_page(
        request,
        title=_("审计日志"),
        queryset=selectors.audit_event_list(user=request.user),
        filterset_class=AuditEventFilter,
        table_class=AuditEventTable,
        intro=_("审计日志只可追加、不可修改，每条事件含前一事件的哈希。"),
        extra={"chain_report": report, "template_extra": "core/_audit_tools.html"},
    )


@login_required
def audit_export(request: AuthedRequest) -> HttpResponse:
    _require_auditor(request)
    from skillcert.core.documents import Sheet, write_xlsx

    filterset = AuditEventFilter(request.GET or None, queryset=selectors.audit_event_list(user=request.user))
    events = filterset.qs.order_by("seq")[:EXPORT_LIMIT]
    headers = [
        _("序号"),
        _("时间"),
        _("操作人"),
        _("组织ID"),
        _("来源IP"),
        _("请求ID"),
        _("操作"),
        _("对象类型"),
        _("对象ID"),
        _("结果"),
        _("摘要"),
        _("哈希"),
    ]
    rows = [
        [
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.organisation_id,
            e.ip,
            e.request_id,
            e.action,
            e.object_type,
            e.object_id,
            e.outcome,
            str(e.summary),
            e.hash,
        ]
        for e in events
    ]
    data = write_xlsx([Sheet(title=_("审计日志"), headers=headers, rows=rows)])
    audit.record(actor=request.user, action="audit.export", summary={"rows": len(rows)})
    return file_response(
        data,
        filename=f"{_('审计日志')}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
