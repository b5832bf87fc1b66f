"""Pages of the logistics documents (R6.2, R6.5, R6.7) and the enterprise's editable handbook texts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.models import Organisation
from skillcert.enrollment.models import ApplicationStatus
from skillcert.logistics import documents as docs
from skillcert.logistics.documents_docx import arrangement_docx, handbook_docx
from skillcert.logistics.forms_documents import HouseRulesForm
from skillcert.logistics.house_rules_default import DEFAULTS
from skillcert.logistics.models import ExamSession, HouseRules
from skillcert.logistics.selectors import access_logistics_round, can_manage, staff_plan_of
from skillcert.logistics.selectors_documents import (
    access_house_rules_enterprise,
    can_edit_house_rules,
    house_rules_of,
)
from skillcert.logistics.services.house_rules import (
    HOUSE_RULE_FIELDS,
    HouseRulesData,
    house_rules_restore_default,
    house_rules_save,
    text_field,
)
from skillcert.rounds.models import Round

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VARIANT_LABEL = {"skill": "技能考核", "review": "综合评审"}
GROUP_TITLE = {"all": "全部", "exam": "考务", "assessor": "考评", "supervisor": "督导"}


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return file_response(data, filename=filename, content_type=content_type)


def _session_of(request: AuthedRequest, rnd: Round) -> ExamSession | None:
    value = request.GET.get("session")
    if not value:
        return None
    return access.get_or_404(ExamSession.objects.filter(round=rnd), value)


# --- the documents page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    description: str
    links: tuple[Link, ...]


def _entries(rnd: Round) -> list[Entry]:
    def url(name: str, **kw: object) -> str:
        return reverse(f"logistics:{name}", kwargs={"pk": rnd.pk, **kw})

    arrangement = [
        Entry(
            f"arrangement_{v}",
            _("考场安排表（%(v)s）") % {"v": VARIANT_LABEL[v]},
            _(
                "附件4（一）：考场、职业（工种）、等级、考试具体时间、考评组长、考评员、统分人；理论考场列出监考人员。"
            )
            if v == "skill"
            else _("附件4（二）：考场、职业（工种）、等级、考试具体时间、评审组长、评审人员、统分人。"),
            (
                Link("PDF", url("doc_arrangement_pdf", variant=v)),
                Link("Word", url("doc_arrangement_docx", variant=v)),
                Link("Excel", url("doc_arrangement_xlsx", variant=v)),
            ),
        )
        for v in docs.VARIANTS
    ]
    return [
        *arrangement,
        Entry(
            "badges",
            _("工作证"),
            _("按考务、考评、督导分色，含姓名、照片、职责、批次；A4纸每页6张，沿虚线裁切。"),
            tuple(Link(GROUP_TITLE[g], url("doc_badges_pdf", group=g)) for g in ("all", *docs.GROUPS)),
        ),
        Entry(
            "door_lists",
            _("考场门贴（全部场次）"),
            _("每个考场每个场次一页：考场、时间、职业（工种）等级、座位号与考生姓名、脱敏身份证号，大字号。"),
            (Link("PDF", url("doc_door_lists_pdf")),),
        ),
        Entry(
            "sign_in",
            _("考生签到表（全部场次）"),
            _("每个考场每个场次一份：座位号、准考证号、姓名、脱敏身份证号、考生签名栏，底部监考人员签名。"),
            (Link("PDF", url("doc_sign_in_pdf")),),
        ),
        Entry(
            "handbook",
            _("考务手册"),
            _(
                "附件5：考核方案、考点考务安排和要求、工作职责、工作流程、考场规则、违纪违规处理规则、突发事件处理办法。"
            ),
            (Link("PDF", url("doc_handbook_pdf")), Link("Word", url("doc_handbook_docx"))),
        ),
    ]


@require_GET
@login_required
def documents(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    live = Q(seats__application__status=ApplicationStatus.APPROVED)
    sessions = (
        ExamSession.objects.filter(round=rnd)
        .select_related("site")
        .annotate(seated=Count("seats", filter=live), rooms=Count("seats__room", filter=live, distinct=True))
        .order_by("day", "starts", "site__name", "pk")
    )
    plan = staff_plan_of(round=rnd)
    base_door = reverse("logistics:doc_door_lists_pdf", args=[rnd.pk])
    base_sign = reverse("logistics:doc_sign_in_pdf", args=[rnd.pk])
    rows = [
        (
            s,
            f"{base_door}?{urlencode({'session': s.pk})}",
            f"{base_sign}?{urlencode({'session': s.pk})}",
        )
        for s in sessions
    ]
    return render(
        request,
        "logistics/documents/documents.html",
        {
            "round": rnd,
            "entries": _entries(rnd),
            "sessions": rows,
            "has_seats": any(s.seated for s, _d, _s in rows),
            "staff_count": plan.assignments.count() if plan is not None else 0,
            "can_manage": can_manage(user=request.user, round=rnd),
            "house_rules_url": f"{reverse('logistics:house_rules')}?{urlencode({'enterprise': rnd.enterprise_id})}",
        },
    )


# --- the downloads --------------------------------------------------------------------------------


def _variant(variant: str) -> str:
    if variant not in docs.VARIANTS:
        raise Http404
    return variant


@require_GET
@login_required
def doc_arrangement(request: AuthedRequest, pk: int, variant: str, fmt: str) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    doc = docs.arrangement_doc(round=rnd, variant=_variant(variant))
    docs.document_print_record(actor=request.user, round=rnd, document=f"arrangement_{variant}", fmt=fmt)
    name = _("%(r)s考场安排表（%(v)s）") % {"r": rnd.name, "v": VARIANT_LABEL[variant]}
    if fmt == "docx":
        return _download(arrangement_docx(doc), f"{name}.docx", DOCX)
    if fmt == "xlsx":
        return _download(docs.arrangement_xlsx(doc), f"{name}.xlsx", XLSX)
    return _download(docs.arrangement_pdf(doc), f"{name}.pdf", PDF)


@require_GET
@login_required
def doc_badges_pdf(request: AuthedRequest, pk: int, group: str) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    if group not in GROUP_TITLE:
        raise Http404
    items = docs.badges(round=rnd, group=group)
    docs.document_print_record(actor=request.user, round=rnd, document=f"badges_{group}", fmt="pdf")
    name = _("%(r)s工作证（%(g)s）.pdf") % {"r": rnd.name, "g": GROUP_TITLE[group]}
    return _download(docs.badges_pdf(round=rnd, items=items), name, PDF)


def _room_sheets_download(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    session = _session_of(request, rnd)
    sheets = docs.room_sheets(round=rnd, session=session)
    title = _("考场门贴") if kind == "door_lists" else _("考生签到表")
    if not sheets:
        messages.error(
            request,
            _("没有可打印的%(t)s：所选场次还没有编排座位。请先在“座位编排”中为考生编排考场和座位。")
            % {"t": title},
        )
        return redirect("logistics:documents", pk=rnd.pk)
    docs.document_print_record(actor=request.user, round=rnd, document=kind, fmt="pdf", session=session)
    data = docs.door_lists_pdf(sheets) if kind == "door_lists" else docs.sign_in_pdf(sheets)
    when = f"{session.day:%m%d}{session.starts:%H%M}" if session is not None else _("全部场次")
    return _download(data, f"{rnd.name}{title}（{when}）.pdf", PDF)


@require_GET
@login_required
def doc_door_lists_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _room_sheets_download(request, pk, "door_lists")


@require_GET
@login_required
def doc_sign_in_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _room_sheets_download(request, pk, "sign_in")


@require_GET
@login_required
def doc_handbook(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    doc = docs.handbook_doc(
        round=rnd, rules=house_rules_of(enterprise=rnd.enterprise), today=timezone.localdate()
    )
    docs.document_print_record(actor=request.user, round=rnd, document="handbook", fmt=fmt)
    name = _("%(r)s考务手册") % {"r": rnd.name}
    if fmt == "docx":
        return _download(handbook_docx(doc), f"{name}.docx", DOCX)
    return _download(docs.handbook_pdf(doc), f"{name}.pdf", PDF)


# --- the house rules ------------------------------------------------------------------------------


def _house_rules_url(enterprise: Organisation, request: AuthedRequest) -> str:
    url = reverse("logistics:house_rules")
    return f"{url}?{urlencode({'enterprise': enterprise.pk})}" if request.GET.get("enterprise") else url


@login_required
def house_rules(request: AuthedRequest) -> HttpResponse:
    """Enterprise staff open their own texts (admin and exam staff edit); authorities pick an enterprise."""
    pk = request.GET.get("enterprise")
    if not pk and access.is_authority_staff(request.user):
        if request.method != "GET":
            raise Http404
        enterprises = access.enterprises_for(request.user).order_by("name")
        return render(request, "logistics/documents/house_rules_pick.html", {"enterprises": enterprises})
    enterprise = access_house_rules_enterprise(user=request.user, pk=pk)
    editable = can_edit_house_rules(user=request.user, enterprise=enterprise)
    if request.method not in ("GET", "HEAD") and not (request.method == "POST" and editable):
        raise Http404
    rules = house_rules_of(enterprise=enterprise)
    form = HouseRulesForm(request.POST or None, initial=HouseRulesData.of(rules).__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            house_rules_save(actor=request.user, enterprise=enterprise, data=form.data_object())
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存考务手册文本，之后生成的考务手册将使用新文本。"))
            return redirect(_house_rules_url(enterprise, request))
    # The six texts are sections 二 to 七 of the handbook; section 一 is the assessment plan.
    fields = [
        (form[name], _is_default(rules, name), reverse("logistics:house_rules_restore", args=[name]), numeral)
        for name, numeral in zip(HOUSE_RULE_FIELDS, "二三四五六七", strict=True)
    ]
    return render(
        request,
        "logistics/documents/house_rules.html",
        {
            "enterprise": enterprise,
            "form": form,
            "fields": fields,
            "rules": rules,
            "saved": rules.pk is not None,
            "editable": editable,
        },
    )


def _is_default(rules: HouseRules, name: str) -> bool:
    return bool(getattr(rules, name) == DEFAULTS[name])


@require_POST
@login_required
def house_rules_restore(request: AuthedRequest, field: str) -> HttpResponse:
    enterprise = access_house_rules_enterprise(user=request.user, for_write=True)
    if field not in HOUSE_RULE_FIELDS:
        raise Http404
    try:
        house_rules_restore_default(actor=request.user, enterprise=enterprise, field=field)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        label = text_field(field).verbose_name
        messages.success(request, _("“%(f)s”已恢复为默认文本。") % {"f": label})
    return redirect("logistics:house_rules")


_DOCS = "rounds/<int:pk>/documents/"

urls: list[URLPattern] = [
    path(_DOCS, documents, name="documents"),
    path(
        f"{_DOCS}arrangement-<slug:variant>.pdf", doc_arrangement, {"fmt": "pdf"}, name="doc_arrangement_pdf"
    ),
    path(
        f"{_DOCS}arrangement-<slug:variant>.docx",
        doc_arrangement,
        {"fmt": "docx"},
        name="doc_arrangement_docx",
    ),
    path(
        f"{_DOCS}arrangement-<slug:variant>.xlsx",
        doc_arrangement,
        {"fmt": "xlsx"},
        name="doc_arrangement_xlsx",
    ),
    path(f"{_DOCS}badges-<slug:group>.pdf", doc_badges_pdf, name="doc_badges_pdf"),
    path(f"{_DOCS}door-lists.pdf", doc_door_lists_pdf, name="doc_door_lists_pdf"),
    path(f"{_DOCS}sign-in.pdf", doc_sign_in_pdf, name="doc_sign_in_pdf"),
    path(f"{_DOCS}handbook.pdf", doc_handbook, {"fmt": "pdf"}, name="doc_handbook_pdf"),
    path(f"{_DOCS}handbook.docx", doc_handbook, {"fmt": "docx"}, name="doc_handbook_docx"),
    path("house-rules/", house_rules, name="house_rules"),
    path("house-rules/restore/<slug:field>/", house_rules_restore, name="house_rules_restore"),
]
