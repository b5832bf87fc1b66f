"""Rooms, sessions, seating, admission tickets and the staff plan of a round (R6.1–R6.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import ModuleKind

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class RoomKind(models.TextChoices):
    THEORY = "theory", _("理论考场（纸笔）")
    CBT = "cbt", _("机考考场")
    PRACTICAL = "practical", _("实操考场")
    REVIEW = "review", _("综合评审室")


class Room(models.Model):
    """A room at a site (考场), with its kind, capacity and monitoring (R6.1)."""

    site = models.ForeignKey(
        "filings.Site", verbose_name=_("考点"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("考场名称"), max_length=60, help_text=_("如“第3考场”“焊接实训车间A区”"))
    kind = models.CharField(_("考场类型"), max_length=12, choices=RoomKind.choices)
    capacity = models.PositiveIntegerField(_("容量（座位/工位）"))
    occupations = models.ManyToManyField(
        "catalog.Occupation",
        verbose_name=_("适用职业"),
        related_name="+",
        blank=True,
        help_text=_("实操考场须选择其设备可考核的职业"),
    )
    job_types = models.ManyToManyField(
        "catalog.JobType",
        verbose_name=_("适用工种"),
        related_name="+",
        blank=True,
        help_text=_("不选则适用于所选职业的全部工种"),
    )
    monitored = models.BooleanField(_("电子监控"), default=True)
    alt_record = models.CharField(
        _("无监控时的留痕方式"),
        max_length=200,
        blank=True,
        help_text=_("因安全或保密原因无法监控时，写明其他全程留痕方式（如全程录像、双人记录）"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("考场")
        verbose_name_plural = _("考场")
        ordering = ["site", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="room_unique_name"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity_ge_1"),
            # R6.1: a room without monitoring keeps another record of the whole process.
            models.CheckConstraint(
                condition=models.Q(monitored=True) | ~models.Q(alt_record=""), name="room_monitor_or_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.name}"


class Delivery(models.TextChoices):
    PAPER = "paper", _("纸笔")
    CBT = "cbt", _("机考")
    ONSITE = "onsite", _("现场")


class ExamSession(models.Model):
    """One sitting (场次): a module of one or more offerings, on a day, at a site, from start to end."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="exam_sessions")
    site = models.ForeignKey(
        "filings.Site", verbose_name=_("考点"), on_delete=models.PROTECT, related_name="exam_sessions"
    )
    module = models.CharField(_("考核模块"), max_length=20, choices=ModuleKind.choices)
    delivery = models.CharField(
        _("形式"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.PAPER,
        help_text=_("理论知识考试为纸笔或机考；操作技能考核、综合评审为现场"),
    )
    offerings = models.ManyToManyField(
        "rounds.RoundOffering", verbose_name=_("职业（工种）等级"), related_name="exam_sessions"
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始时间"))
    ends = models.TimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("结束确认时间"), null=True, blank=True)

    if TYPE_CHECKING:
        seats: RelatedManager[Seat]

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["round", "day", "starts", "site", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M} {self.get_module_display()}"

    def room_kinds(self) -> tuple[str, ...]:
        """The room kinds that can host this session (R6.1)."""
        if self.module == ModuleKind.THEORY:
            return (RoomKind.CBT,) if self.delivery == Delivery.CBT else (RoomKind.THEORY, RoomKind.CBT)
        if self.module == ModuleKind.PRACTICAL:
            return (RoomKind.PRACTICAL,)
        return (RoomKind.REVIEW,)


class Attendance(models.TextChoices):
    PENDING = "pending", _("未签到")
    PRESENT = "present", _("已签到")
    ABSENT = "absent", _("缺考")


class Seat(models.Model):
    """A candidate's room and seat in a session; the proctor's check-in marks attendance (R7.2)."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="seats")
    application = models.ForeignKey(
        "enrollment.Application", verbose_name=_("考生"), on_delete=models.CASCADE, related_name="seats"
    )
    room = models.ForeignKey(Room, verbose_name=_("考场"), on_delete=models.PROTECT, related_name="seats")
    number = models.PositiveSmallIntegerField(_("座位号"))
    attendance = models.CharField(
        _("签到"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("座位")
        verbose_name_plural = _("座位")
        ordering = ["session", "room", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="seat_one_per_session"),
            models.UniqueConstraint(fields=["session", "room", "number"], name="seat_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.room.name} {self.number:02d}号"


class Ticket(models.Model):
    """An admission ticket (准考证): one per approved candidate of a round."""

    application = models.OneToOneField(
        "enrollment.Application", verbose_name=_("考生"), on_delete=models.CASCADE, related_name="ticket"
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="tickets")
    number = models.CharField(_("准考证号"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("准考证")
        verbose_name_plural = _("准考证")
        ordering = ["round", "number"]

    def __str__(self) -> str:
        return self.number


# --- the staff plan (R6.3–R6.5) --------------------------------------------------------------------


class StaffRole(models.TextChoices):
    HEAD = "head", _("考点负责人")
    PROCTOR = "proctor", _("监考人员")
    TALLYER = "tallyer", _("记分员")
    ASSESSOR = "assessor", _("考评员")
    SUPERVISOR = "supervisor", _("质量督导员")


# R6.5: within a round a person belongs to one of these groups only.
ROLE_GROUP: dict[str, str] = {
    StaffRole.HEAD: "exam",
    StaffRole.PROCTOR: "exam",
    StaffRole.TALLYER: "exam",
    StaffRole.ASSESSOR: "assessor",
    StaffRole.SUPERVISOR: "supervisor",
}


class StaffPlanStatus(models.TextChoices):
    EMPTY = "empty", _("未编排")
    DRAFT = "draft", _("待保存")
    SAVED = "saved", _("已保存")


class StaffPlan(models.Model):
    """The round's staff plan: settings, the solver's figures and the checker's findings."""

    round = models.OneToOneField("rounds.Round", on_delete=models.CASCADE, related_name="staff_plan")
    status = models.CharField(
        _("状态"), max_length=10, choices=StaffPlanStatus.choices, default=StaffPlanStatus.EMPTY
    )
    recuse_same_department = models.BooleanField(
        _("同部门回避"), default=True, help_text=_("考务、考评人员不监考、不考评本部门的考生")
    )
    rotation_rounds = models.PositiveSmallIntegerField(
        _("轮换期（批次）"), default=3, help_text=_("同一考评员连续考评同一职业超过该批次数时尽量轮换")
    )
    weight_rotation = models.PositiveSmallIntegerField(_("轮换权重"), default=10)
    weight_balance = models.PositiveSmallIntegerField(_("均衡工作量权重"), default=3)
    weight_distance = models.PositiveSmallIntegerField(_("就近安排权重"), default=2)
    objective = models.IntegerField(_("目标值"), null=True, blank=True)
    baseline_objective = models.IntegerField(_("贪心基线目标值"), null=True, blank=True)
    stats = models.JSONField(_("编排统计"), default=dict, blank=True)
    findings = models.JSONField(_("校验结果"), default=list, blank=True)
    generated_at = models.DateTimeField(_("编排时间"), null=True, blank=True)
    saved_at = models.DateTimeField(_("保存时间"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    if TYPE_CHECKING:
        assignments: RelatedManager[StaffAssignment]

    class Meta:
        verbose_name = _("人员编排")
        verbose_name_plural = _("人员编排")

    def __str__(self) -> str:
        return f"{self.round} 人员编排"


class StaffAssignment(models.Model):
    """One person in one role: a site head (site only), a proctor or tallyer of a room in a session,
    an assessor of a room's panel in a session (one of them the leader), a supervisor of a site on a day."""

    plan = models.ForeignKey(StaffPlan, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="staff_assignments"
    )
    role = models.CharField(_("职责"), max_length=12, choices=StaffRole.choices)
    site = models.ForeignKey(
        "filings.Site", verbose_name=_("考点"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        ExamSession,
        verbose_name=_("场次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff",
    )
    room = models.ForeignKey(
        Room, verbose_name=_("考场"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    day = models.DateField(_("日期"), null=True, blank=True, help_text=_("督导员按考点、日期安排"))
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        verbose_name = _("人员安排")
        verbose_name_plural = _("人员安排")
        ordering = ["plan", "site", "session", "room", "role", "-is_leader", "person__name"]
        indexes = [models.Index(fields=["plan", "person"]), models.Index(fields=["plan", "session", "room"])]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()}"


# --- house rules for the handbook (R6.7) -----------------------------------------------------------


class HouseRules(models.Model):
    """The texts of the exam-affairs handbook (attachment 5) an enterprise may edit."""

    enterprise = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="house_rules"
    )
    site_requirements = models.TextField(_("考点考场设置要求"), max_length=6000)
    duties = models.TextField(_("考务、考评、督导人员职责"), max_length=8000)
    procedures = models.TextField(_("考务、考评、督导工作程序"), max_length=8000)
    room_rules = models.TextField(_("考场规则"), max_length=6000)
    violation_rules = models.TextField(_("违纪违规行为处理规定"), max_length=6000)
    emergency = models.TextField(_("突发事件应急处置办法"), max_length=6000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("考务手册文本")
        verbose_name_plural = _("考务手册文本")

    def __str__(self) -> str:
        return f"{self.enterprise} 考务手册文本"


# The exam-day records live in their own module; importing them here registers them with Django.
from skillcert.logistics.examday_models import (  # noqa: E402, F401
    Check,
    MaterialSeal,
    RoomLogEntry,
    SupervisionReport,
    Violation,
)
