"""A certification round (认定批次) and its announcement: what is offered, when, and how to apply (R2.1)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import JobType, Level, Occupation, Standard
from skillcert.core import workflow

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundStatus.DRAFT: frozenset({RoundStatus.PUBLISHED, RoundStatus.CANCELLED}),
    RoundStatus.PUBLISHED: frozenset({RoundStatus.CANCELLED}),
    RoundStatus.CANCELLED: frozenset(),
}


class Round(models.Model):
    """A round of certification an enterprise announces to its workers, per year or per stage."""

    enterprise = models.ForeignKey(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("批次名称"), max_length=80, help_text=_("如“2027年第1批”"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    registration_opens = models.DateField(_("报名开始日期"))
    registration_closes = models.DateField(_("报名截止日期"))
    reference_date = models.DateField(
        _("条件核算截止日期"),
        null=True,
        blank=True,
        help_text=_("计算工作年限等申报条件的基准日；不填则为报名截止日期"),
    )
    evaluation_starts = models.DateField(_("评价开始日期"))
    evaluation_ends = models.DateField(_("评价结束日期"))
    schedule_note = models.TextField(_("时间安排"), blank=True, max_length=2000)
    content_methods = models.TextField(_("评价内容和方式"), blank=True, max_length=4000)
    registration_method = models.TextField(_("报名方式"), blank=True, max_length=2000)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        offerings: RelatedManager[RoundOffering]

    class Meta:
        verbose_name = _("认定批次")
        verbose_name_plural = _("认定批次")
        ordering = ["-year", "-registration_opens", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="round_unique_name"),
            models.CheckConstraint(
                condition=models.Q(registration_closes__gte=models.F("registration_opens")),
                name="round_registration_order",
            ),
            models.CheckConstraint(
                condition=models.Q(evaluation_ends__gte=models.F("evaluation_starts")),
                name="round_evaluation_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.pk])

    @property
    def reference_on(self) -> date:
        """The date eligibility is computed at: the round's cut-off, else registration closing."""
        return self.reference_date or self.registration_closes

    def registration_open_on(self, day: date) -> bool:
        return (
            self.status == RoundStatus.PUBLISHED
            and self.registration_opens <= day <= self.registration_closes
        )

    def require_transition(self, target: str) -> None:
        workflow.require_transition(
            current=self.status,
            target=target,
            transitions=ROUND_TRANSITIONS,
            labels={k: str(v) for k, v in RoundStatus.choices},
            rule="R2.1",
        )


class RoundOffering(models.Model):
    """One (occupation, job type, level) a round offers, under a standard; always inside the scope (R1.5)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="offerings")
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    job_type = models.ForeignKey(
        JobType, verbose_name=_("工种"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    standard = models.ForeignKey(
        Standard, verbose_name=_("标准/评价规范"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveIntegerField(_("计划人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("认定职业（工种）等级")
        verbose_name_plural = _("认定职业（工种）等级")
        ordering = ["round", "occupation__code", "job_type__name", "-level"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "occupation", "job_type", "level"],
                condition=models.Q(job_type__isnull=False),
                name="offering_unique_with_job_type",
            ),
            models.UniqueConstraint(
                fields=["round", "occupation", "level"],
                condition=models.Q(job_type__isnull=True),
                name="offering_unique_without_job_type",
            ),
        ]

    def __str__(self) -> str:
        job = f"（{self.job_type.name}）" if self.job_type is not None else ""
        return f"{self.occupation.name}{job} {self.get_level_display()}"


# The plans live in their own module; importing them here registers them with Django.
from skillcert.rounds.plans import (  # noqa: E402, F401
    AssessmentPlan,
    CertificationPlan,
    PlanAmendment,
    PlanMethod,
)
