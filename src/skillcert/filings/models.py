"""Filing, evaluation scope, scope adjustments, sites and the staff pool (R1)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import Level
from skillcert.core.errors import RuleViolation

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Filing(models.Model):
    """An enterprise recorded by an authority as an evaluating organisation (备案, R1.1)."""

    enterprise = models.OneToOneField(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="filing"
    )
    authority = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("备案人社部门"),
        on_delete=models.PROTECT,
        related_name="filings_recorded",
    )
    code = models.CharField(_("备案编号"), max_length=40, unique=True)
    filed_on = models.DateField(_("备案日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["-filed_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("filings:enterprise", args=[self.enterprise_id])


class ScopeItem(models.Model):
    """One (occupation, job type, level) an enterprise may certify, under a standard, over [valid_from, valid_to).

    ``valid_to`` is exclusive: the first day the item is no longer in force (the effective date of
    the adjustment that removed it). Rows are never deleted, so the full history stays.
    An item without a job type covers the whole occupation.
    """

    enterprise = models.ForeignKey(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="scope_items"
    )
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    job_type = models.ForeignKey(
        "catalog.JobType",
        verbose_name=_("工种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    standard = models.ForeignKey(
        "catalog.Standard", verbose_name=_("依据标准"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再有效"))
    added_by = models.ForeignKey(
        "filings.ScopeAdjustment",
        verbose_name=_("增加依据的调整申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="added_items",
        help_text=_("为空表示备案时确定的范围"),
    )
    removed_by = models.ForeignKey(
        "filings.ScopeAdjustment",
        verbose_name=_("减少依据的调整申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removed_items",
    )

    class Meta:
        verbose_name = _("认定范围条目")
        verbose_name_plural = _("认定范围条目")
        ordering = ["occupation__code", "job_type__name", "-level", "valid_from"]
        indexes = [models.Index(fields=["enterprise", "valid_from", "valid_to"], name="scope_in_force_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="scope_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label()} {self.get_level_display()}"

    def label(self) -> str:
        """职业（工种）, the way the guideline writes it."""
        return f"{self.occupation.name}（{self.job_type.name}）" if self.job_type else self.occupation.name


class AdjustmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待审核")
    RETURNED = "returned", _("已退回")
    FORWARDED = "forwarded", _("已报人社部")
    APPROVED = "approved", _("人社部已同意")
    REFUSED = "refused", _("人社部不同意")


# The one table of allowed moves (DESIGN rule 3); every service checks it through require_transition.
ADJUSTMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AdjustmentStatus.DRAFT: frozenset({AdjustmentStatus.SUBMITTED}),
    AdjustmentStatus.SUBMITTED: frozenset({AdjustmentStatus.RETURNED, AdjustmentStatus.FORWARDED}),
    AdjustmentStatus.RETURNED: frozenset({AdjustmentStatus.DRAFT}),
    AdjustmentStatus.FORWARDED: frozenset({AdjustmentStatus.APPROVED, AdjustmentStatus.REFUSED}),
    AdjustmentStatus.APPROVED: frozenset(),
    AdjustmentStatus.REFUSED: frozenset(),
}
# The rule each move enforces, cited when a move is refused.
TRANSITION_RULES: dict[str, str] = {
    AdjustmentStatus.SUBMITTED: "R1.3",
    AdjustmentStatus.RETURNED: "R1.3",
    AdjustmentStatus.DRAFT: "R1.3",
    AdjustmentStatus.FORWARDED: "R1.4",
    AdjustmentStatus.APPROVED: "R1.4",
    AdjustmentStatus.REFUSED: "R1.4",
}
# The move into a status, as a verb for error messages.
TRANSITION_VERBS: dict[str, str | Promise] = {
    AdjustmentStatus.SUBMITTED: _("提交"),
    AdjustmentStatus.RETURNED: _("退回"),
    AdjustmentStatus.DRAFT: _("重新编辑"),
    AdjustmentStatus.FORWARDED: _("报人社部"),
    AdjustmentStatus.APPROVED: _("登记人社部同意"),
    AdjustmentStatus.REFUSED: _("登记人社部不同意"),
}
PENDING_STATUSES = (AdjustmentStatus.SUBMITTED, AdjustmentStatus.FORWARDED)


def _parent_filing_path(instance: ScopeAdjustment, filename: str) -> str:
    # A random name: the uploaded file's own name may carry personal data and is kept in a field instead.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"filings/parent/{uuid.uuid4().hex}.{suffix}"


def _snapshot_path(instance: ScopeAdjustment, filename: str) -> str:
    return f"filings/adjustments/{uuid.uuid4().hex}-{filename}"


class ScopeAdjustment(models.Model):
    """An application to add or remove scope items (R1.3), decided by the Ministry (R1.4)."""

    enterprise = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="scope_adjustments",
    )
    authority = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("受理人社部门"),
        on_delete=models.PROTECT,
        related_name="scope_adjustments_received",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AdjustmentStatus.choices, default=AdjustmentStatus.DRAFT
    )
    reason = models.TextField(_("调整理由"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Submission (R1.3); outside the June/December window the authority sees a warning (R1.4).
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outside_window = models.BooleanField(_("非集中申报期提交"), default=False)
    form_docx = models.FileField(_("调整申请表（提交时生成）"), upload_to=_snapshot_path, blank=True)
    inventory_xlsx = models.FileField(_("范围清单（提交时生成）"), upload_to=_snapshot_path, blank=True)
    # A central-enterprise subsidiary adjusts only after its parent filed with the Ministry (R1.4).
    parent_filing_no = models.CharField(_("集团向人社部备案文号"), max_length=80, blank=True)
    parent_filing_file = models.FileField(
        _("集团备案文件"), upload_to=_parent_filing_path, blank=True, max_length=200
    )
    parent_filing_name = models.CharField(_("文件名"), max_length=200, blank=True)
    parent_filing_type = models.CharField(max_length=60, blank=True)
    # Review by the filing authority.
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    forwarded_at = models.DateTimeField(_("报部时间"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The Ministry's decision as recorded by the authority.
    decided_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ministry_doc_no = models.CharField(_("人社部文号"), max_length=80, blank=True)
    decision_note = models.CharField(_("说明"), max_length=500, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)

    if TYPE_CHECKING:
        items: RelatedManager[AdjustmentItem]

    class Meta:
        verbose_name = _("评价范围调整申请")
        verbose_name_plural = _("评价范围调整申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="adjustment_queue_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("filings:adjustment_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """A number people can quote: TZ-<year>-<id>."""
        year = self.created_at.year if self.created_at else 0
        return f"TZ-{year}-{self.pk or 0:05d}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    def allowed_next(self) -> frozenset[str]:
        return ADJUSTMENT_TRANSITIONS[self.status]

    def require_transition(self, target: str) -> None:
        """Refuse any move the transitions table does not allow, citing the rule of the move."""
        if target in ADJUSTMENT_TRANSITIONS[self.status]:
            return
        allowed = "、".join(str(TRANSITION_VERBS[s]) for s in sorted(ADJUSTMENT_TRANSITIONS[self.status]))
        raise RuleViolation(
            TRANSITION_RULES[target],
            gettext("调整申请当前状态为“%(s)s”，不能%(v)s。%(next)s")
            % {
                "s": self.get_status_display(),
                "v": TRANSITION_VERBS[target],
                "next": gettext("可进行的操作：%(a)s。") % {"a": allowed}
                if allowed
                else gettext("流程已结束。"),
            },
            field="status",
        )


class AdjustmentAction(models.TextChoices):
    ADD = "add", _("增加")
    REMOVE = "remove", _("减少")


class AdjustmentItem(models.Model):
    """One line of an adjustment: add (occupation, job type, level) under a standard, or remove a scope item."""

    adjustment = models.ForeignKey(
        ScopeAdjustment, verbose_name=_("调整申请"), on_delete=models.CASCADE, related_name="items"
    )
    action = models.CharField(_("调整类型"), max_length=10, choices=AdjustmentAction.choices)
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    job_type = models.ForeignKey(
        "catalog.JobType",
        verbose_name=_("工种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    standard = models.ForeignKey(
        "catalog.Standard",
        verbose_name=_("依据标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_item = models.ForeignKey(
        ScopeItem,
        verbose_name=_("拟减少的范围条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("调整事项")
        verbose_name_plural = _("调整事项")
        ordering = ["action", "occupation__code", "job_type__name", "-level", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="add", scope_item__isnull=True)
                | models.Q(action="remove", scope_item__isnull=False),
                name="adjitem_remove_names_scope_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.label()} {self.get_level_display()}"

    def label(self) -> str:
        return f"{self.occupation.name}（{self.job_type.name}）" if self.job_type else self.occupation.name


# --- Sites, equipment and the staff pool (R1.3 item 4; used later for rooms, staffing and recusal) ---


class Site(models.Model):
    """A place where an enterprise holds assessments (评价场地)."""

    enterprise = models.ForeignKey(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(_("场地名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=200)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如面积、工位数、监控情况"))
    head_name = models.CharField(_("考点负责人"), max_length=40, blank=True)
    head_phone = models.CharField(_("负责人电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    if TYPE_CHECKING:
        equipment: RelatedManager[Equipment]

    class Meta:
        verbose_name = _("评价场地")
        verbose_name_plural = _("评价场地")
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="site_unique_name")]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    """Equipment at a site, with how many there are and the occupations it serves (设施设备配置)."""

    site = models.ForeignKey(Site, verbose_name=_("场地"), on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("设备名称"), max_length=80)
    model = models.CharField(_("规格型号"), max_length=80, blank=True)
    count = models.PositiveIntegerField(_("数量"), default=1)
    occupations = models.ManyToManyField(
        "catalog.Occupation", verbose_name=_("适用职业"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("设施设备")
        verbose_name_plural = _("设施设备")
        ordering = ["site", "name", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="equipment_count_ge_1")]

    def __str__(self) -> str:
        return f"{self.name} ×{self.count}"


class PoolRole(models.TextChoices):
    ASSESSOR = "assessor", _("考评员")
    ITEM_WRITER = "item_writer", _("命题人员")
    SUPERVISOR = "supervisor", _("内部质量督导员")
    EXAM_STAFF = "exam_staff", _("考务人员")


class PoolMember(models.Model):
    """A person in an enterprise's staff pool: a qualified assessor, an item writer or a supervisor."""

    enterprise = models.ForeignKey(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="pool_members"
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="pool_memberships"
    )
    role = models.CharField(_("类别"), max_length=20, choices=PoolRole.choices)
    occupation = models.ForeignKey(
        "catalog.Occupation",
        verbose_name=_("职业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("考评员、命题人员须填写；督导员可空"),
    )
    max_level = models.PositiveSmallIntegerField(
        _("最高可考评等级"), choices=Level.choices, null=True, blank=True
    )
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    home_site = models.ForeignKey(
        Site,
        verbose_name=_("常驻考点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("编排时尽量安排在常驻考点"),
    )
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("评价人员库成员")
        verbose_name_plural = _("评价人员库")
        ordering = ["enterprise", "role", "occupation__code", "person__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="assessor")
                | models.Q(occupation__isnull=False, max_level__isnull=False),
                name="pool_assessor_has_occupation_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()}"


class RelationKind(models.TextChoices):
    RELATIVE = "relative", _("近亲属")
    SAME_TEAM = "same_team", _("同一班组")
    SUPERIOR = "superior", _("直接上下级")


class Relationship(models.Model):
    """A declared relationship between two people, used for recusal (回避); symmetric.

    Stored once per pair with ``person_a_id < person_b_id``; selectors answer for either order.
    """

    enterprise = models.ForeignKey(
        "core.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="relationships"
    )
    person_a = models.ForeignKey(
        "core.Person", verbose_name=_("人员甲"), on_delete=models.PROTECT, related_name="+"
    )
    person_b = models.ForeignKey(
        "core.Person", verbose_name=_("人员乙"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("关系"), max_length=20, choices=RelationKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        ordering = ["enterprise", "person_a__name", "person_b__name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="rel_ordered_pair"
            ),
            models.UniqueConstraint(fields=["enterprise", "person_a", "person_b", "kind"], name="rel_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a.name} — {self.person_b.name}（{self.get_kind_display()}）"
