"""The occupation catalogue, job types, levels, standards and eligibility rule sets (R1.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Level(models.IntegerChoices):
    """The eight-level ladder. The five numbered levels are those an ordinary round certifies;
    学徒工 sits below them, 特级技师 and 首席技师 above (appointed separately, 鲁人社字〔2023〕57号)."""

    APPRENTICE = 6, _("学徒工")
    L5 = 5, _("五级/初级工")
    L4 = 4, _("四级/中级工")
    L3 = 3, _("三级/高级工")
    L2 = 2, _("二级/技师")
    L1 = 1, _("一级/高级技师")
    SPECIAL = 11, _("特级技师")
    CHIEF = 12, _("首席技师")


ORDINARY_LEVELS: tuple[int, ...] = (5, 4, 3, 2, 1)
# Height on the ladder: a larger number is a higher level.
LEVEL_HEIGHT: dict[int, int] = {6: 0, 5: 1, 4: 2, 3: 3, 2: 4, 1: 5, 11: 6, 12: 7}


def level_at_least(level: int, minimum: int) -> bool:
    """True when `level` is `minimum` or higher on the ladder."""
    return LEVEL_HEIGHT[level] >= LEVEL_HEIGHT[minimum]


class Occupation(models.Model):
    """A node of the national occupational classification (大类-中类-小类-职业); tier 4 is an occupation."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    tier = models.PositiveSmallIntegerField(
        _("层级"), choices=[(1, _("大类")), (2, _("中类")), (3, _("小类")), (4, _("职业"))]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    gbm = models.CharField(_("GB/T 6565 代码"), max_length=10, blank=True)
    edition = models.CharField(_("版本"), max_length=10, default="2022")

    if TYPE_CHECKING:
        job_types: RelatedManager[JobType]

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:occupation_detail", args=[self.pk])


class JobType(models.Model):
    """A named subdivision (工种) of an occupation, with the levels it has (e.g. 焊工/气焊工 五–三级)."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.CASCADE, related_name="job_types"
    )
    name = models.CharField(_("工种名称"), max_length=80)
    code = models.CharField(_("工种编码"), max_length=30, blank=True)
    levels = models.JSONField(_("设有等级"), default=list, help_text=_("如 [5, 4, 3, 2, 1]"))

    class Meta:
        verbose_name = _("工种")
        verbose_name_plural = _("工种")
        ordering = ["occupation__code", "name"]
        constraints = [models.UniqueConstraint(fields=["occupation", "name"], name="jobtype_unique_name")]

    def __str__(self) -> str:
        return f"{self.occupation.name}（{self.name}）"

    def level_labels(self) -> list[str]:
        return [str(Level(v).label) for v in sorted(self.levels, key=lambda v: LEVEL_HEIGHT[v])]


class EligibilityRuleSet(models.Model):
    """Eligibility conditions per level as validated JSON (catalog/eligibility.py reads it)."""

    name = models.CharField(_("名称"), max_length=120)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    template = models.CharField(_("模板"), max_length=10, blank=True, help_text=_("2018 或 2023；自定义为空"))
    rules = models.JSONField(_("规则"), default=dict)
    enterprise = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rule_sets",
        help_text=_("企业自定义的规则集；国家模板为空"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("申报条件规则集")
        verbose_name_plural = _("申报条件规则集")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:ruleset_detail", args=[self.pk])


class StandardKind(models.TextChoices):
    NATIONAL = "national", _("国家职业技能标准")
    SPECIFICATION = "specification", _("企业评价规范")


class Standard(models.Model):
    """A national standard, or an evaluation specification an enterprise filed, for one occupation."""

    kind = models.CharField(
        _("类型"), max_length=20, choices=StandardKind.choices, default=StandardKind.NATIONAL
    )
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.PROTECT, related_name="standards"
    )
    title = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("标准编号"), max_length=60, blank=True)
    edition_year = models.PositiveSmallIntegerField(_("版本年份"))
    issued_by = models.CharField(_("发布单位"), max_length=120, blank=True)
    enterprise = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("制定企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="specifications",
        help_text=_("企业评价规范的制定企业；国家标准为空"),
    )
    job_types = models.ManyToManyField(
        JobType, verbose_name=_("覆盖工种"), blank=True, related_name="standards"
    )
    levels = models.JSONField(_("覆盖等级"), default=list)
    rule_set = models.ForeignKey(
        EligibilityRuleSet,
        verbose_name=_("申报条件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standards",
    )
    # Staffing ratios are per standard, never constants (R6.3, R6.4).
    proctor_ratio = models.PositiveSmallIntegerField(_("考生与监考人员比例（1:N）"), default=15)
    proctor_min = models.PositiveSmallIntegerField(_("每考场最少监考人数"), default=2)
    assessor_ratio = models.PositiveSmallIntegerField(_("考生与考评人员比例（1:N）"), default=5)
    assessor_min = models.PositiveSmallIntegerField(_("每考评组最少考评员（奇数）"), default=3)
    review_panel_min = models.PositiveSmallIntegerField(_("综合评审组最少人数（奇数）"), default=3)
    is_active = models.BooleanField(_("现行有效"), default=True)

    if TYPE_CHECKING:
        modules: RelatedManager[StandardModule]

    class Meta:
        verbose_name = _("标准/评价规范")
        verbose_name_plural = _("标准/评价规范")
        ordering = ["occupation__code", "-edition_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="national", enterprise__isnull=True)
                | models.Q(kind="specification", enterprise__isnull=False),
                name="standard_spec_has_enterprise",
            ),
            models.CheckConstraint(condition=models.Q(proctor_min__gte=2), name="standard_proctor_min_2"),
            models.CheckConstraint(condition=models.Q(assessor_min__gte=3), name="standard_assessor_min_3"),
            models.CheckConstraint(condition=models.Q(review_panel_min__gte=3), name="standard_review_min_3"),
        ]

    def __str__(self) -> str:
        # National titles usually carry the edition already: "国家职业技能标准 焊工（2018年版）".
        return self.title if "年版" in self.title else f"{self.title}（{self.edition_year}年版）"

    def get_absolute_url(self) -> str:
        return reverse("catalog:standard_detail", args=[self.pk])


class ModuleKind(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")
    REVIEW = "review", _("综合评审")


class StandardModule(models.Model):
    """One assessed module of a level under a standard, out of `full_marks` with a pass mark."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="modules")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    kind = models.CharField(_("模块"), max_length=20, choices=ModuleKind.choices)
    full_marks = models.PositiveSmallIntegerField(_("满分"), default=100)
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=60)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=90)

    class Meta:
        verbose_name = _("考核模块")
        verbose_name_plural = _("考核模块")
        ordering = ["standard", "-level", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "level", "kind"], name="module_unique"),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=models.F("full_marks")), name="module_pass_le_full"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_kind_display()}"
