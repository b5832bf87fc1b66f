"""Writes of rounds and their offerings (R2.1, R1.5); every change is audited.

Date rules a round obeys (each refusal names the field and the rule):

- 报名开始 ≤ 报名截止 ≤ 评价开始 ≤ 评价结束: registration ends before the evaluation it feeds begins;
- 条件核算截止日期 (reference date, optional) is not later than the evaluation start (years that have
  not yet been worked when the evaluation starts cannot count) and not more than a year before
  registration opens (a stale cut-off would shut out recent workers); unset, it is the registration
  closing date (``Round.reference_on``);
- the round's year (年度) is the year registration opens, or the year the evaluation ends;
- the evaluation lasts at most a year.

Offerings must be inside the scope in force on the evaluation start date (R1.5), under a standard the
enterprise may use (a national standard, or its own filed specification) that covers the occupation,
the level and the job type. Publishing re-checks all of that and the completeness of the announcement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog import ruletext
from skillcert.catalog.models import ORDINARY_LEVELS, JobType, Level, Occupation, Standard
from skillcert.catalog.selectors import require_standard_covers
from skillcert.core import audit
from skillcert.core.deadlines import R5_1
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.core.services.deadlines import deadline_open
from skillcert.filings import selectors as filing_selectors
from skillcert.rounds.announcement import cn_date
from skillcert.rounds.models import Round, RoundOffering, RoundStatus

PHONE = re.compile(r"^[0-9０-９+\-－—()（）\s转,，、/]{7,40}$")
NAME_MAX = 80
__all__ = [
    "RoundData",
    "cn_date",
    "offering_add",
    "offering_remove",
    "publish_problems",
    "require_registration_open",
    "round_cancel",
    "round_create",
    "round_publish",
    "round_update",
]
TEXT_MAX = {"schedule_note": 2000, "content_methods": 4000, "registration_method": 2000}


# --- the registration window (used by the apply and import services) -------------------------------


def require_registration_open(*, round: Round, on: date) -> None:
    """Refuse unless `round` is published and `on` falls in its registration window (R2.1)."""
    if round.status != RoundStatus.PUBLISHED:
        state = _("尚未发布") if round.status == RoundStatus.DRAFT else _("已取消")
        raise RuleViolation("R2.1", _("认定批次“%(n)s”%(s)s，不接受报名。") % {"n": round.name, "s": state})
    if not (round.registration_opens <= on <= round.registration_closes):
        raise RuleViolation(
            "R2.1",
            _("报名时间为 %(opens)s 至 %(closes)s，当前不在报名期内")
            % {
                "opens": cn_date(round.registration_opens),
                "closes": cn_date(round.registration_closes),
            },
        )


# --- round data and its checks ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoundData:
    """What an enterprise writes into a round and its announcement."""

    name: str
    year: int
    registration_opens: date
    registration_closes: date
    evaluation_starts: date
    evaluation_ends: date
    reference_date: date | None = None
    schedule_note: str = ""
    content_methods: str = ""
    registration_method: str = ""
    contact_name: str = ""
    contact_phone: str = ""

    def cleaned(self) -> RoundData:
        return replace(
            self,
            name=self.name.strip(),
            schedule_note=self.schedule_note.strip(),
            content_methods=self.content_methods.strip(),
            registration_method=self.registration_method.strip(),
            contact_name=self.contact_name.strip(),
            contact_phone=self.contact_phone.strip(),
        )

    @classmethod
    def of(cls, rnd: Round) -> RoundData:
        """The round's current values (to change a few of them with ``dataclasses.replace``)."""
        return cls(**{f.name: getattr(rnd, f.name) for f in fields(cls)})


FIELDS = tuple(f.name for f in fields(RoundData))


def check_round_data(*, enterprise: Organisation, data: RoundData, exclude_pk: int | None = None) -> None:
    """Raise RuleViolation (with the field) for the first rule the data breaks."""
    if not data.name:
        raise RuleViolation("R2.1", _("请填写批次名称，如“2027年第1批”。"), field="name")
    if len(data.name) > NAME_MAX:
        raise RuleViolation("R2.1", _("批次名称不能超过 %(n)s 个字。") % {"n": NAME_MAX}, field="name")
    same = Round.objects.filter(enterprise=enterprise, name=data.name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise RuleViolation(
            "R2.1", _("本企业已有名为“%(n)s”的认定批次，请换一个名称。") % {"n": data.name}, field="name"
        )
    if data.registration_closes < data.registration_opens:
        raise RuleViolation("R2.1", _("报名截止日期不能早于报名开始日期。"), field="registration_closes")
    if data.evaluation_starts < data.registration_closes:
        raise RuleViolation(
            "R2.1",
            _("评价开始日期不能早于报名截止日期（%(d)s）：先报名、审核，再组织评价。")
            % {"d": cn_date(data.registration_closes)},
            field="evaluation_starts",
        )
    if data.evaluation_ends < data.evaluation_starts:
        raise RuleViolation("R2.1", _("评价结束日期不能早于评价开始日期。"), field="evaluation_ends")
    if data.evaluation_ends - data.evaluation_starts > timedelta(days=366):
        raise RuleViolation("R2.1", _("一个批次的评价期不能超过一年。"), field="evaluation_ends")
    if data.reference_date is not None:
        if data.reference_date > data.evaluation_starts:
            raise RuleViolation(
                "R2.1",
                _("条件核算截止日期不能晚于评价开始日期（%(d)s）：评价开始后的工作年限不能计入申报条件。")
                % {"d": cn_date(data.evaluation_starts)},
                field="reference_date",
            )
        if data.reference_date < data.registration_opens - timedelta(days=366):
            raise RuleViolation(
                "R2.1",
                _("条件核算截止日期不能早于报名开始日期前一年。"),
                field="reference_date",
            )
    if data.year not in (data.registration_opens.year, data.evaluation_ends.year):
        raise RuleViolation(
            "R2.1",
            _("年度应为报名开始的年份（%(a)s）或评价结束的年份（%(b)s）。")
            % {"a": data.registration_opens.year, "b": data.evaluation_ends.year},
            field="year",
        )
    for name, limit in TEXT_MAX.items():
        if len(getattr(data, name)) > limit:
            raise RuleViolation("R2.1", _("不能超过 %(n)s 个字。") % {"n": limit}, field=name)
    if len(data.contact_name) > 40:
        raise RuleViolation("R2.1", _("联系人不能超过 40 个字。"), field="contact_name")
    if data.contact_phone and not PHONE.match(data.contact_phone):
        raise RuleViolation(
            "R2.1",
            _("联系电话格式不正确，如“0531-88880000”或“13800000000”。"),
            field="contact_phone",
        )


def _lock(rnd: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=rnd.pk)


def _require_draft(rnd: Round, what: str) -> None:
    if rnd.status != RoundStatus.DRAFT:
        raise RuleViolation(
            "R2.1",
            _("认定批次“%(n)s”%(s)s，不能%(w)s；如需变更，请取消本批次后另行发布。")
            % {"n": rnd.name, "s": rnd.get_status_display(), "w": what},
        )


# --- rounds ----------------------------------------------------------------------------------------


def round_create(*, actor: User | None, enterprise: Organisation, data: RoundData) -> Round:
    """A draft round of the enterprise; its offerings and announcement are filled in before publishing."""
    if not enterprise.is_enterprise:
        raise RuleViolation("R2.1", _("只有企业可以发布认定批次。"))
    data = data.cleaned()
    with transaction.atomic():
        check_round_data(enterprise=enterprise, data=data)
        rnd = Round.objects.create(
            enterprise=enterprise,
            status=RoundStatus.DRAFT,
            created_by=actor,
            **{name: getattr(data, name) for name in FIELDS},
        )
        audit.record(
            actor=actor,
            action="round.create",
            obj=rnd,
            organisation_id=enterprise.pk,
            summary={"name": rnd.name},
        )
    return rnd


def round_update(*, actor: User | None, round: Round, data: RoundData) -> Round:
    """Change a draft round. Its offerings are re-checked against the scope on the (new) evaluation date."""
    data = data.cleaned()
    with transaction.atomic():
        rnd = _lock(round)
        _require_draft(rnd, _("修改"))
        check_round_data(enterprise=rnd.enterprise, data=data, exclude_pk=rnd.pk)
        changed = [name for name in FIELDS if getattr(rnd, name) != getattr(data, name)]
        if not changed:
            return rnd
        if "evaluation_starts" in changed:
            for offering in _offerings(rnd):
                _require_offering_in_scope(rnd.enterprise, offering, data.evaluation_starts)
        for name in changed:
            setattr(rnd, name, getattr(data, name))
        rnd.save(update_fields=changed)
        audit.record(
            actor=actor,
            action="round.update",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary={"fields": changed},
        )
    return rnd


def publish_problems(*, round: Round, today: date) -> list[str]:
    """What the announcement still lacks or breaks (R2.1, R1.5); empty when it may be published."""
    rnd = round
    missing: list[str] = []
    if not rnd.schedule_note.strip():
        missing.append(_("时间安排"))
    offerings = _offerings(rnd)
    if not offerings:
        missing.append(_("认定职业（工种）等级"))
    if not rnd.content_methods.strip():
        missing.append(_("评价内容和方式"))
    if not rnd.registration_method.strip():
        missing.append(_("报名方式"))
    if not rnd.contact_name.strip():
        missing.append(_("联系人"))
    if not rnd.contact_phone.strip():
        missing.append(_("联系电话"))
    problems: list[str] = []
    if missing:
        problems.append(_("公告内容不完整，尚缺：%(m)s。") % {"m": "、".join(missing)})
    if rnd.registration_closes < today:
        problems.append(
            _("报名截止日期（%(d)s）已过，请修改报名时间后再发布。") % {"d": cn_date(rnd.registration_closes)}
        )
    for offering in offerings:
        try:
            _require_offering_in_scope(rnd.enterprise, offering, rnd.evaluation_starts)
        except RuleViolation as exc:
            problems.append(exc.message)
            continue
        rule_set = offering.standard.rule_set
        if rule_set is None or offering.level not in ruletext.conditions(rule_set):
            problems.append(
                _("%(o)s的评价依据“%(s)s”没有该等级的申报条件，公告无法列明申报条件。")
                % {"o": offering, "s": offering.standard.title}
            )
    return problems


def round_publish(*, actor: User | None, round: Round, today: date) -> Round:
    """Publish the announcement to the enterprise's workers (R2.1); refused, naming every gap, if incomplete."""
    with transaction.atomic():
        rnd = _lock(round)
        rnd.require_transition(RoundStatus.PUBLISHED)
        problems = publish_problems(round=rnd, today=today)
        if problems:
            raise RuleViolation("R2.1", _("不能发布：") + "".join(problems))
        rnd.status = RoundStatus.PUBLISHED
        rnd.published_at = timezone.now()
        rnd.published_by = actor
        rnd.save(update_fields=["status", "published_at", "published_by"])
        audit.record(
            actor=actor,
            action="round.publish",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary={"name": rnd.name, "offerings": len(_offerings(rnd))},
        )
        plan_deadline_track(actor=actor, round=rnd, today=today)
    return rnd


def plan_deadline_track(*, actor: User | None, round: Round, today: date) -> None:
    """Open (or move) the round's R5.1 deadline: the certification plan is due 10 working days before
    the first evaluation day, so reminders come before it is late. Without calendar data for that
    year the deadline cannot be counted (R5.3): it is then opened when the date is moved or the plan
    is submitted, after the year's schedule has been entered."""
    try:
        deadline_open(
            rule=R5_1,
            subject=round,
            organisation=round.enterprise,
            start=round.evaluation_starts,
            today=today,
            title=_("“%(r)s”认定计划报送") % {"r": round.name},
            url=reverse("rounds:plan_detail", args=[round.pk]),
            actor=actor,
        )
    except RuleViolation as exc:
        if exc.rule != "R5.3":
            raise


def round_cancel(*, actor: User | None, round: Round, reason: str = "") -> Round:
    """Cancel a draft or published round; a cancelled round takes no applications and leaves the home page."""
    reason = reason.strip()
    if len(reason) > 500:
        raise RuleViolation("R2.1", _("取消理由不能超过 500 个字。"), field="reason")
    with transaction.atomic():
        rnd = _lock(round)
        rnd.require_transition(RoundStatus.CANCELLED)
        was = rnd.status
        rnd.status = RoundStatus.CANCELLED
        rnd.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="round.cancel",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary={"name": rnd.name, "from": was, "reason": reason},
        )
    return rnd


# --- offerings -------------------------------------------------------------------------------------


def _offerings(rnd: Round) -> list[RoundOffering]:
    return list(
        RoundOffering.objects.filter(round=rnd).select_related(
            "occupation", "job_type", "standard", "standard__rule_set"
        )
    )


def _require_offering_in_scope(enterprise: Organisation, offering: RoundOffering, on: date) -> None:
    filing_selectors.require_in_scope(
        enterprise=enterprise,
        occupation=offering.occupation,
        job_type=offering.job_type,
        level=offering.level,
        on=on,
    )


def _label(occupation: Occupation, job_type: JobType | None, level: int) -> str:
    name = f"{occupation.name}（{job_type.name}）" if job_type is not None else occupation.name
    return f"“{name}”{Level(level).label if level in Level.values else level}"


def _check_standard(
    *,
    enterprise: Organisation,
    occupation: Occupation,
    job_type: JobType | None,
    level: int,
    standard: Standard,
) -> None:
    if not filing_selectors.standards_for(enterprise=enterprise).filter(pk=standard.pk).exists():
        raise RuleViolation(
            "R1.2",
            _("“%(s)s”不能作为本企业的评价依据：须为现行国家职业技能标准或本企业备案的评价规范。")
            % {"s": standard.title},
            field="standard",
        )
    require_standard_covers(
        standard=standard, occupation=occupation, job_type=job_type, level=level, field="standard"
    )


def offering_add(
    *,
    actor: User | None,
    round: Round,
    occupation: Occupation,
    job_type: JobType | None,
    level: int,
    standard: Standard | None = None,
    quota: int | None = None,
) -> RoundOffering:
    """Offer (occupation, job type, level) in a draft round; it must be in the scope on the evaluation date (R1.5).

    Without a standard, the one the scope item is filed under is used.
    """
    with transaction.atomic():
        rnd = _lock(round)
        _require_draft(rnd, _("增加认定职业（工种）等级"))
        if job_type is not None and job_type.occupation_id != occupation.pk:
            raise RuleViolation(
                "R1.2",
                _("工种“%(j)s”不属于职业“%(o)s”。") % {"j": job_type.name, "o": occupation.name},
                field="job_type",
            )
        if level not in ORDINARY_LEVELS:
            raise RuleViolation("R1.2", _("认定批次只能开展五级至一级的认定。"), field="level")
        if job_type is not None and job_type.levels and level not in job_type.levels:
            raise RuleViolation(
                "R1.2",
                _("工种“%(j)s”未设%(l)s。") % {"j": job_type.name, "l": Level(level).label},
                field="level",
            )
        item = filing_selectors.require_in_scope(
            enterprise=rnd.enterprise,
            occupation=occupation,
            job_type=job_type,
            level=level,
            on=rnd.evaluation_starts,
        )
        standard = standard or item.standard
        _check_standard(
            enterprise=rnd.enterprise,
            occupation=occupation,
            job_type=job_type,
            level=level,
            standard=standard,
        )
        if quota is not None and not (1 <= quota <= 100_000):
            raise RuleViolation("R2.1", _("计划人数须在 1 至 100000 之间。"), field="quota")
        if RoundOffering.objects.filter(
            round=rnd, occupation=occupation, job_type=job_type, level=level
        ).exists():
            raise RuleViolation(
                "R2.1",
                _("本批次已有%(e)s。") % {"e": _label(occupation, job_type, level)},
                field="level",
            )
        offering = RoundOffering.objects.create(
            round=rnd, occupation=occupation, job_type=job_type, level=level, standard=standard, quota=quota
        )
        audit.record(
            actor=actor,
            action="round.offering_add",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary={
                "offering": offering.pk,
                "occupation": occupation.code,
                "job_type": job_type.name if job_type else "",
                "level": level,
                "standard": standard.pk,
            },
        )
    return offering


def offering_remove(*, actor: User | None, offering: RoundOffering) -> None:
    """Take an offering out of a draft round."""
    with transaction.atomic():
        rnd = _lock(offering.round)
        _require_draft(rnd, _("删除认定职业（工种）等级"))
        summary = {
            "offering": offering.pk,
            "occupation": offering.occupation.code,
            "job_type": offering.job_type.name if offering.job_type else "",
            "level": offering.level,
        }
        RoundOffering.objects.filter(pk=offering.pk, round=rnd).delete()
        audit.record(
            actor=actor,
            action="round.offering_remove",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary=summary,
        )
