"""The assessment plan (考核方案, attachment 2) and the certification plan (认定计划) of a round (R4, R5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcert.core import workflow

__all__ = [
    "CERTIFICATION_PLAN_TRANSITIONS",
    "AmendmentKind",
    "AssessmentPlan",
    "CertificationPlan",
    "CertificationPlanStatus",
    "EvaluationMethod",
    "PlanAmendment",
    "PlanMethod",
]


class EvaluationMethod(models.TextChoices):
    EXAMINATION = "examination", _("考核鉴定")
    COMBINED = "combined", _("考评结合")
    CONTINUOUS = "continuous", _("过程化考核")
    DIRECT = "direct", _("直接认定")


class AssessmentPlan(models.Model):
    """What the enterprise types into attachment 2; the rest (一、二、五) is built from the round's data."""

    round = models.OneToOneField("rounds.Round", on_delete=models.CASCADE, related_name="assessment_plan")
    basis = models.CharField(
        _("本企业相关文件"), max_length=300, blank=True, help_text=_("方案开头“及……要求”中列明的本企业文件")
    )
    sites = models.TextField(_("评价地点"), blank=True, max_length=2000, help_text=_("每行一个地点"))
    schedule = models.TextField(
        _("时间安排"), blank=True, max_length=2000, help_text=_("各职业（工种）等级的具体实施时间")
    )
    process = models.TextField(_("评价流程"), blank=True, max_length=4000)
    room_setup = models.TextField(_("考场设置"), blank=True, max_length=4000)
    staff_exam = models.PositiveSmallIntegerField(_("考务人员（人）"), default=0)
    staff_assessors = models.PositiveSmallIntegerField(_("考评人员（人）"), default=0)
    staff_supervisors = models.PositiveSmallIntegerField(_("质量督导员（人）"), default=0)
    staff_note = models.TextField(_("工作人员安排说明"), blank=True, max_length=2000)
    contingency = models.TextField(_("应急预案"), blank=True, max_length=4000)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return str(_("%(r)s考核方案") % {"r": self.round.name})


class PlanMethod(models.Model):
    """Section 四 for one offering: the method, module weights and the four content areas' weights (R4.2)."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="methods")
    offering = models.OneToOneField(
        "rounds.RoundOffering", on_delete=models.CASCADE, related_name="plan_method"
    )
    method = models.CharField(_("评价方式"), max_length=20, choices=EvaluationMethod.choices)
    direct_grounds = models.TextField(
        _("直接认定依据"), blank=True, max_length=2000, help_text=_("如竞赛获奖、荣誉称号等，直接认定时必填")
    )
    weight_theory = models.PositiveSmallIntegerField(_("理论知识权重（%）"), null=True, blank=True)
    weight_practical = models.PositiveSmallIntegerField(_("操作技能权重（%）"), null=True, blank=True)
    weight_review = models.PositiveSmallIntegerField(_("综合评审权重（%）"), null=True, blank=True)
    weight_ability = models.PositiveSmallIntegerField(_("职业能力（%）"), default=0)
    weight_performance = models.PositiveSmallIntegerField(_("工作业绩（%）"), default=0)
    weight_ethics = models.PositiveSmallIntegerField(_("职业道德（%）"), default=0)
    weight_craftsmanship = models.PositiveSmallIntegerField(_("工匠精神（%）"), default=0)
    note = models.TextField(_("说明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("评价方式")
        verbose_name_plural = _("评价方式")
        ordering = ["plan", "offering__occupation__code", "-offering__level"]

    def __str__(self) -> str:
        return f"{self.offering} {self.get_method_display()}"


class CertificationPlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待确认")
    RETURNED = "returned", _("退回修改")
    CONFIRMED = "confirmed", _("已确认")


_P = CertificationPlanStatus
CERTIFICATION_PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    _P.DRAFT: frozenset({_P.SUBMITTED}),
    _P.SUBMITTED: frozenset({_P.CONFIRMED, _P.RETURNED}),
    _P.RETURNED: frozenset({_P.SUBMITTED}),
    _P.CONFIRMED: frozenset(),
}


class CertificationPlan(models.Model):
    """The round's plan registered with the filing authority: assessment plan, pledge and candidates (R5.1)."""

    round = models.OneToOneField("rounds.Round", on_delete=models.CASCADE, related_name="certification_plan")
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=CertificationPlanStatus.choices,
        default=CertificationPlanStatus.DRAFT,
    )
    pledge_scan = models.FileField(_("审核承诺书（盖章扫描件）"), upload_to="plans/pledges/%Y/", blank=True)
    pledge_scan_type = models.CharField(max_length=40, blank=True)
    pledge_uploaded_at = models.DateTimeField(null=True, blank=True)
    candidate_ids = models.JSONField(_("符合条件人员（申报记录）"), default=list, blank=True)
    candidate_count = models.PositiveIntegerField(_("符合条件人数"), default=0)
    first_day = models.DateField(_("首场评价日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认/退回时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reasons = models.TextField(_("退回原因"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认定计划")
        verbose_name_plural = _("认定计划")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return str(_("%(r)s认定计划") % {"r": self.round.name})

    @property
    def editable(self) -> bool:
        """The enterprise may change the plan while it is a draft or has been returned."""
        return self.status in (CertificationPlanStatus.DRAFT, CertificationPlanStatus.RETURNED)

    def require_transition(self, target: str) -> None:
        workflow.require_transition(
            current=self.status,
            target=target,
            transitions=CERTIFICATION_PLAN_TRANSITIONS,
            labels={k: str(v) for k, v in CertificationPlanStatus.choices},
            rule="R5.2",
        )


class AmendmentKind(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("考生退出")
    DATE_MOVED = "date_moved", _("评价日期调整")
    OTHER = "other", _("其他变更")


class PlanAmendment(models.Model):
    """A change after confirmation that the authority sees (R5): a candidate withdrawn, a date moved."""

    plan = models.ForeignKey(CertificationPlan, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("变更类型"), max_length=20, choices=AmendmentKind.choices)
    description = models.TextField(_("变更说明"), max_length=2000)
    old_date = models.DateField(_("原日期"), null=True, blank=True)
    new_date = models.DateField(_("新日期"), null=True, blank=True)
    application_id = models.PositiveIntegerField(_("申报记录"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("认定计划变更")
        verbose_name_plural = _("认定计划变更")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
