"""Pages of the assessment plan and the certification plan: edit, documents, submit, and the authority's queue."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.filings import selectors as filing_selectors
from skillcert.rounds import plan_documents, selectors
from skillcert.rounds import services_plans as sp
from skillcert.rounds.announcement import cn_date
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from skillcert.rounds.plans import (
    AmendmentKind,
    AssessmentPlan,
    CertificationPlan,
    CertificationPlanStatus,
    EvaluationMethod,
    PlanMethod,
)


def _weight(label: StrOrPromise, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=0, max_value=100, initial=0 if required else None
    )


class PlanForm(Form):
    basis = forms.CharField(label=gettext_lazy("本企业相关文件"), required=False, max_length=300)
    sites = forms.CharField(
        label=gettext_lazy("评价地点（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    schedule = forms.CharField(
        label=gettext_lazy("时间安排"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    process = forms.CharField(
        label=gettext_lazy("评价流程"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    room_setup = forms.CharField(
        label=gettext_lazy("六、考场设置"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    staff_exam = forms.IntegerField(
        label=gettext_lazy("考务人员（人）"), min_value=0, max_value=9999, initial=0
    )
    staff_assessors = forms.IntegerField(
        label=gettext_lazy("考评人员（人）"), min_value=0, max_value=9999, initial=0
    )
    staff_supervisors = forms.IntegerField(
        label=gettext_lazy("质量督导员（人）"), min_value=0, max_value=9999, initial=0
    )
    staff_note = forms.CharField(
        label=gettext_lazy("工作人员安排说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contingency = forms.CharField(
        label=gettext_lazy("八、应急预案"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label=gettext_lazy("九、联系人"), required=False, max_length=40)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), required=False, max_length=40)

    def data_object(self) -> sp.PlanData:
        return sp.PlanData(**{n: self.cleaned_data[n] for n in sp.PLAN_FIELDS})


class MethodForm(Form):
    method = forms.ChoiceField(label=gettext_lazy("评价方式"), choices=EvaluationMethod.choices)
    direct_grounds = forms.CharField(
        label=gettext_lazy("直接认定依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight_theory = _weight(gettext_lazy("理论知识考试权重（%）"), required=False)
    weight_practical = _weight(gettext_lazy("操作技能考核权重（%）"), required=False)
    weight_review = _weight(gettext_lazy("综合评审权重（%）"), required=False)
    weight_ability = _weight(gettext_lazy("职业能力（%）"))
    weight_performance = _weight(gettext_lazy("工作业绩（%）"))
    weight_ethics = _weight(gettext_lazy("职业道德（%）"))
    weight_craftsmanship = _weight(gettext_lazy("工匠精神（%）"))
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, offering: RoundOffering, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        kinds = {m.kind for m in sp.offering_modules(offering)}
        for kind, name in sp.MODULE_FIELDS.items():
            if kind not in kinds:
                del self.fields[name]

    def data_object(self) -> sp.MethodData:
        values = {n: self.cleaned_data.get(n) for n in sp.METHOD_FIELDS}
        for n in ("weight_ability", "weight_performance", "weight_ethics", "weight_craftsmanship"):
            values[n] = values[n] or 0
        for n in ("direct_grounds", "note"):
            values[n] = values[n] or ""
        return sp.MethodData(**values)  # type: ignore[arg-type]


class PledgeForm(Form):
    scan = forms.FileField(label=gettext_lazy("盖章扫描件（PDF、JPG 或 PNG，10MB以内）"))


class ReturnForm(Form):
    reasons = forms.CharField(
        label=gettext_lazy("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DateMoveForm(Form):
    new_start = forms.DateField(
        label=gettext_lazy("新的首场评价日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=gettext_lazy("调整原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("认定计划确认后调整日期须写明原因，作为认定计划变更报人社部门。"),
    )


class AmendmentForm(Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("变更类型"),
        choices=[(k.value, k.label) for k in (AmendmentKind.WITHDRAWAL, AmendmentKind.OTHER)],
    )
    description = forms.CharField(
        label=gettext_lazy("变更说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("考生退出请写明姓名、职业（工种）等级和原因。"),
    )


# --- access --------------------------------------------------------------------------------------


def _can_review(request: AuthedRequest, rnd: Round) -> bool:
    return filing_selectors.can_review(user=request.user, enterprise=rnd.enterprise)


def _round_for_view(request: AuthedRequest, pk: int) -> Round:
    """Staff who manage the round, and authority staff whose jurisdiction covers its enterprise."""
    rnd = selectors.access_round(user=request.user, pk=pk)
    if not (selectors.can_manage_round(user=request.user, round=rnd) or _can_review(request, rnd)):
        raise Http404
    return rnd


def _back(rnd: Round) -> HttpResponse:
    return redirect("rounds:plan_detail", pk=rnd.pk)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return file_response(data, filename=filename, content_type=content_type)


# --- pages ----------------------------------------------------------------------------------------


@require_GET
@login_required
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_view(request, pk)
    today = timezone.localdate()
    cert = CertificationPlan.objects.filter(round=rnd).first()
    can_manage = selectors.can_manage_round(user=request.user, round=rnd)
    editable = can_manage and (cert is None or cert.editable)
    doc = plan_documents.plan_doc(round=rnd, today=today)
    rows = {m.offering_id: m for m in PlanMethod.objects.filter(offering__round=rnd)}
    offerings = [(o, rows.get(o.pk)) for o in selectors.offering_list(user=request.user, round=rnd)]
    deadline: object = None
    try:
        deadline = sp.submission_deadline(sp.first_session_day(rnd))
    except RuleViolation as exc:
        deadline = str(exc)
    return render(
        request,
        "rounds/plans/plan_detail.html",
        {
            "round": rnd,
            "doc": doc,
            "cert": cert,
            "offerings": offerings,
            "problems": sp.plan_problems(round=rnd),
            "can_manage": can_manage,
            "editable": editable,
            "can_review": _can_review(request, rnd)
            and cert is not None
            and cert.status == CertificationPlanStatus.SUBMITTED,
            "deadline": deadline,
            "pledge_form": PledgeForm(),
            "return_form": ReturnForm(),
            "amendments": list(cert.amendments.select_related("created_by")) if cert else [],
            "can_move_date": can_manage
            and rnd.status == RoundStatus.PUBLISHED
            and (cert is None or cert.editable or cert.status == CertificationPlanStatus.CONFIRMED),
            "can_amend": can_manage and cert is not None and cert.status == CertificationPlanStatus.CONFIRMED,
        },
    )


@login_required
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    plan = AssessmentPlan.objects.filter(round=rnd).first()
    initial = (
        sp.PlanData.of(plan).__dict__
        if plan
        else {
            "contact_name": rnd.contact_name,
            "contact_phone": rnd.contact_phone,
        }
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sp.assessment_plan_save(actor=request.user, round=rnd, data=form.data_object())
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return _back(rnd)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("考核方案：%(n)s") % {"n": rnd.name},
            "intro": _(
                "第一、二、五部分由批次、申报条件和审核通过的申报自动生成；此处填写其余部分（R4.1）。"
            ),
            "cancel_url": reverse("rounds:plan_detail", args=[rnd.pk]),
        },
    )


@login_required
def method_edit(request: AuthedRequest, pk: int, offering_pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    offering = access.get_or_404(selectors.offering_list(user=request.user, round=rnd), offering_pk)
    row = PlanMethod.objects.filter(offering=offering).first()
    initial = {n: getattr(row, n) for n in sp.METHOD_FIELDS} if row else {}
    form = MethodForm(request.POST or None, initial=initial, offering=offering)
    if request.method == "POST" and form.is_valid():
        try:
            sp.plan_method_save(actor=request.user, round=rnd, offering=offering, data=form.data_object())
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return _back(rnd)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("评价方式：%(o)s") % {"o": offering},
            "intro": _(
                "考核模块的权重合计须为100%；职业能力、工作业绩、职业道德、工匠精神的权重由企业确定，合计须为100%；"
                "直接认定须写明依据（R4.2）。"
            ),
            "cancel_url": reverse("rounds:plan_detail", args=[rnd.pk]),
        },
    )


@require_GET
@login_required
def plan_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_view(request, pk)
    doc = plan_documents.plan_doc(round=rnd, today=timezone.localdate())
    return _download(
        plan_documents.plan_docx(doc),
        plan_documents.plan_filename(doc, "docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@require_GET
@login_required
def plan_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_view(request, pk)
    doc = plan_documents.plan_doc(round=rnd, today=timezone.localdate())
    return _download(
        plan_documents.plan_pdf(doc), plan_documents.plan_filename(doc, "pdf"), "application/pdf"
    )


def plan_name(rnd: Round) -> str:
    return _("%(e)s%(r)s职业技能等级认定计划") % {"e": rnd.enterprise.name, "r": rnd.name}


@require_GET
@login_required
def pledge_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_view(request, pk)
    data = plan_documents.pledge_pdf(plan_name=plan_name(rnd), enterprise_name=rnd.enterprise.name)
    return _download(data, _("%(n)s审核承诺书.pdf") % {"n": plan_name(rnd)}, "application/pdf")


@require_POST
@login_required
def pledge_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    form = PledgeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择盖章扫描件。"))
        return _back(rnd)
    try:
        sp.pledge_upload(actor=request.user, round=rnd, upload=form.cleaned_data["scan"])
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已上传审核承诺书扫描件。"))
    return _back(rnd)


@require_GET
@login_required
def pledge_scan(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_view(request, pk)
    cert = CertificationPlan.objects.filter(round=rnd).first()
    if cert is None or not cert.pledge_scan:
        raise Http404
    ext = next((e for t, e in sp.PLEDGE_TYPES.values() if t == cert.pledge_scan_type), "bin")
    return _download(
        sp.pledge_scan_bytes(cert),
        f"{plan_name(rnd)}审核承诺书.{ext}",
        cert.pledge_scan_type or "application/octet-stream",
    )


def _earliest_sentence(today: date) -> str:
    try:
        earliest = sp.earliest_first_day(today)
    except RuleViolation as exc:
        return str(exc)
    return _("今天提交，首场评价最早可安排在%(d)s。") % {"d": cn_date(earliest)}


@login_required
def plan_date_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move the evaluation dates: directly before the plan is submitted, as an amendment after confirmation."""
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    cert = CertificationPlan.objects.filter(round=rnd).first()
    confirmed = cert is not None and cert.status == CertificationPlanStatus.CONFIRMED
    today = timezone.localdate()
    form = DateMoveForm(request.POST or None, initial={"new_start": rnd.evaluation_starts})
    if request.method == "POST" and form.is_valid():
        new_start = form.cleaned_data["new_start"]
        try:
            if confirmed:
                sp.evaluation_date_move(
                    actor=request.user,
                    round=rnd,
                    new_start=new_start,
                    new_end=rnd.evaluation_ends + (new_start - rnd.evaluation_starts),
                    reason=form.cleaned_data["description"],
                    today=today,
                )
            else:
                sp.evaluation_date_move_before_submission(
                    actor=request.user, round=rnd, new_start=new_start, today=today
                )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已调整评价日期。"))
            return _back(rnd)
    intro = _(
        "认定计划须在首场评价前至少10个工作日提交备案的人社部门（R5.1）：提交当天计入，评价当天不计入，"
        "周末和法定节假日不计，调休上班日计入。评价结束日期随开始日期顺延相同天数。"
        "现首场评价日期为%(d)s。"
    ) % {"d": cn_date(rnd.evaluation_starts)}
    if confirmed:
        intro += _("认定计划已确认，调整将登记为认定计划变更，报人社部门查看。")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("调整评价日期：%(n)s") % {"n": rnd.name},
            "intro": intro + _earliest_sentence(today),
            "submit_label": _("调整日期"),
            "cancel_url": reverse("rounds:plan_detail", args=[rnd.pk]),
        },
    )


@login_required
def plan_amend(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a change after confirmation (a candidate withdrawn, another change) for the authority."""
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sp.amendment_record(
                actor=request.user,
                round=rnd,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记认定计划变更，人社部门可以看到。"))
            return _back(rnd)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("登记认定计划变更：%(n)s") % {"n": rnd.name},
            "intro": _(
                "认定计划确认后的变更（考生退出等）须登记，报备案的人社部门查看；调整评价日期请使用“调整评价日期”。"
            ),
            "submit_label": _("登记变更"),
            "cancel_url": reverse("rounds:plan_detail", args=[rnd.pk]),
        },
    )


@require_POST
@login_required
def plan_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    try:
        sp.certification_plan_submit(actor=request.user, round=rnd, today=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("认定计划已提交备案的人社部门，请等待确认。"))
    return _back(rnd)


# --- the authority --------------------------------------------------------------------------------


def _plan_for_review(request: AuthedRequest, pk: int) -> CertificationPlan:
    cert = access.get_or_404(
        CertificationPlan.objects.filter(round__in=selectors.round_list(user=request.user)).select_related(
            "round__enterprise"
        ),
        pk,
    )
    if not _can_review(request, cert.round):
        raise Http404
    return cert


@require_GET
@login_required
def plan_queue(request: AuthedRequest) -> HttpResponse:
    if not access.is_authority_staff(request.user):
        raise Http404
    plans = (
        CertificationPlan.objects.filter(round__in=selectors.round_list(user=request.user))
        .exclude(status=CertificationPlanStatus.DRAFT)
        .select_related("round__enterprise")
        .prefetch_related("amendments")
        .order_by("status", "first_day", "pk")
    )
    pending = [p for p in plans if p.status == CertificationPlanStatus.SUBMITTED]
    others = [p for p in plans if p.status != CertificationPlanStatus.SUBMITTED]
    return render(request, "rounds/plans/plan_queue.html", {"pending": pending, "others": others})


@require_POST
@login_required
def plan_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = _plan_for_review(request, pk)
    try:
        sp.certification_plan_confirm(actor=request.user, plan=cert)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已确认认定计划。"))
    return _back(cert.round)


@require_POST
@login_required
def plan_return(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = _plan_for_review(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation("R5.2", _("请写明退回原因，便于企业修改。"), field="reasons")
        sp.certification_plan_return(actor=request.user, plan=cert, reasons=form.cleaned_data["reasons"])
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已退回认定计划。"))
    return _back(cert.round)
