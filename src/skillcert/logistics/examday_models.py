"""Exam-day records: checks before, the room log and violations during, sealed materials and the
supervisor's form after (R7.1–R7.3). Every record is kept for the archive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    PAPER_CUSTODY = "paper_custody", _("试卷保管检查")
    BRIEFING = "briefing", _("考前工作会议（附会议纪要）")
    PROCTOR_TRAINING = "proctor_training", _("监考人员培训")
    CBT_MACHINES = "cbt_machines", _("机考设备和网络检查")
    ENVELOPES = "envelopes", _("试卷袋检查（职业、等级、数量、密封）")
    PRACTICAL_SETUP = "practical_setup", _("实操场地、设备、工具、材料检查")
    SUPERVISOR_CHECK = "supervisor_check", _("督导检查（到岗、会议、试卷）")


# Which checks are made per site, and which per room and session.
SITE_CHECKS = (
    CheckKind.PAPER_CUSTODY,
    CheckKind.BRIEFING,
    CheckKind.PROCTOR_TRAINING,
    CheckKind.SUPERVISOR_CHECK,
)
ROOM_CHECKS = (CheckKind.CBT_MACHINES, CheckKind.ENVELOPES, CheckKind.PRACTICAL_SETUP)


class Check(models.Model):
    """One pre-exam check (R7.1): at a site on a day, or of a room for a session."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="exam_checks")
    site = models.ForeignKey(
        "filings.Site", verbose_name=_("考点"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "logistics.ExamSession",
        verbose_name=_("场次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checks",
    )
    room = models.ForeignKey(
        "logistics.Room",
        verbose_name=_("考场"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("日期"))
    kind = models.CharField(_("检查项目"), max_length=20, choices=CheckKind.choices)
    ok = models.BooleanField(_("检查合格"), default=True)
    count = models.PositiveIntegerField(_("数量"), null=True, blank=True, help_text=_("试卷袋份数等"))
    note = models.TextField(_("检查情况"), blank=True, max_length=2000)
    problems = models.TextField(_("发现的问题及处理"), blank=True, max_length=2000)
    attachment = models.FileField(_("附件（如会议纪要）"), upload_to="examday/checks/%Y/", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(_("检查时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考前检查")
        verbose_name_plural = _("考前检查")
        ordering = ["round", "day", "site", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class LogKind(models.TextChoices):
    EVENT = "event", _("考场情况")
    RULES_READ = "rules_read", _("宣读考场规则")
    PAPERS_OUT = "papers_out", _("发放试卷")
    PAPERS_IN = "papers_in", _("收回试卷")
    EQUIPMENT_FAULT = "equipment_fault", _("设备故障及处理")


class RoomLogEntry(models.Model):
    """One line of a room's log (考场记录) in a session (R7.2)."""

    session = models.ForeignKey("logistics.ExamSession", on_delete=models.CASCADE, related_name="log_entries")
    room = models.ForeignKey(
        "logistics.Room", verbose_name=_("考场"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("类型"), max_length=20, choices=LogKind.choices, default=LogKind.EVENT)
    text = models.TextField(_("记录内容"), max_length=2000)
    handled_by = models.CharField(_("处理人"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考场记录")
        verbose_name_plural = _("考场记录")
        ordering = ["session", "room", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.get_kind_display()}"


class ViolationKind(models.TextChoices):
    DEVICE = "device", _("携带或使用通讯工具、电子设备")
    COPYING = "copying", _("抄袭或协助他人抄袭")
    COMMUNICATION = "communication", _("交头接耳、传递物品")
    IMPERSONATION = "impersonation", _("冒名顶替（替考）")
    MATERIALS = "materials", _("携带规定以外的资料")
    DISORDER = "disorder", _("扰乱考场秩序")
    SAFETY = "safety", _("违反安全操作规程")
    OTHER = "other", _("其他")


class Ruling(models.TextChoices):
    PENDING = "pending", _("待督导认定")
    WARNING = "warning", _("警告，继续考试")
    VOID_MODULE = "void_module", _("取消该科目成绩")
    VOID_ROUND = "void_round", _("取消本批次全部成绩")
    DISMISSED = "dismissed", _("不构成违纪")


class Violation(models.Model):
    """A violation recorded in a room (R7.2): what, the evidence, and the supervisor's ruling."""

    session = models.ForeignKey("logistics.ExamSession", on_delete=models.CASCADE, related_name="violations")
    room = models.ForeignKey(
        "logistics.Room", verbose_name=_("考场"), on_delete=models.PROTECT, related_name="+"
    )
    seat = models.ForeignKey(
        "logistics.Seat",
        verbose_name=_("考生"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    application = models.ForeignKey(
        "enrollment.Application", verbose_name=_("考生"), on_delete=models.PROTECT, related_name="violations"
    )
    kind = models.CharField(_("违纪类型"), max_length=20, choices=ViolationKind.choices)
    description = models.TextField(_("经过"), max_length=2000)
    evidence = models.FileField(_("证据（照片、录像截图等）"), upload_to="examday/evidence/%Y/", blank=True)
    evidence_note = models.CharField(_("证据说明"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    ruling = models.CharField(_("认定"), max_length=20, choices=Ruling.choices, default=Ruling.PENDING)
    ruling_note = models.TextField(_("认定意见"), blank=True, max_length=2000)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ruled_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("违纪记录")
        verbose_name_plural = _("违纪记录")
        ordering = ["session", "room", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_ruling_display()}）"


class MaterialKind(models.TextChoices):
    PAPERS = "papers", _("试卷（答题卡）")
    SCORE_SHEETS = "score_sheets", _("评分记录表")
    SIGN_IN = "sign_in", _("签到表")
    ROOM_LOG = "room_log", _("考场记录")
    SUMMARY = "summary", _("成绩汇总表")


class MaterialSeal(models.Model):
    """Materials of a room collected, counted and sealed after a session (R7.3), with who and when."""

    session = models.ForeignKey("logistics.ExamSession", on_delete=models.CASCADE, related_name="seals")
    room = models.ForeignKey(
        "logistics.Room", verbose_name=_("考场"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("材料"), max_length=20, choices=MaterialKind.choices)
    count = models.PositiveIntegerField(_("份数"))
    seal_no = models.CharField(_("封条编号"), max_length=40, blank=True)
    handed_over_to = models.CharField(_("接收人"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed_at = models.DateTimeField(_("密封时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("材料密封")
        verbose_name_plural = _("材料密封")
        ordering = ["session", "room", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["session", "room", "kind"], name="seal_once_per_room_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ×{self.count}"


class Overall(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    ADEQUATE = "adequate", _("一般")
    POOR = "poor", _("差")


class SupervisionReport(models.Model):
    """The quality supervisor's form (质量督导表) for a site on a day (R7.1, R7.3)."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="supervision_reports")
    site = models.ForeignKey(
        "filings.Site", verbose_name=_("考点"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    attendance_ok = models.BooleanField(_("考务、考评人员按时到岗"), default=True)
    briefing_ok = models.BooleanField(_("考前会议按要求召开"), default=True)
    papers_ok = models.BooleanField(_("试卷保管、启封、回收规范"), default=True)
    rooms_ok = models.BooleanField(_("考场设置、监控符合要求"), default=True)
    scoring_ok = models.BooleanField(_("考评人员按标准评分"), default=True)
    problems = models.TextField(_("发现的问题及处理情况"), blank=True, max_length=4000)
    overall = models.CharField(_("总体评价"), max_length=10, choices=Overall.choices)
    evaluation = models.TextField(_("综合评价意见"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("质量督导表")
        verbose_name_plural = _("质量督导表")
        ordering = ["round", "day", "site"]
        constraints = [
            models.UniqueConstraint(fields=["round", "site", "day"], name="supervision_once_per_site_day"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.day} 质量督导表"
