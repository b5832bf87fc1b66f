"""Writes of exam sessions (场次): module, delivery, offerings, site, day and time (issue 6, R6.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.catalog.models import ModuleKind
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.filings.models import Site
from skillcert.logistics.models import Attendance, Delivery, ExamSession
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.services_plans import offering_modules

__all__ = [
    "SessionData",
    "allowed_deliveries",
    "exam_session_create",
    "exam_session_delete",
    "exam_session_update",
    "session_problems",
]


@dataclass(frozen=True)
class SessionData:
    module: str
    delivery: str
    offerings: tuple[RoundOffering, ...]
    site: Site
    day: date
    starts: time
    ends: time
    note: str = ""


def allowed_deliveries(module: str) -> tuple[str, ...]:
    """Theory is on paper or by computer; practical assessment and portfolio review happen on site."""
    if module == ModuleKind.THEORY:
        return (Delivery.PAPER, Delivery.CBT)
    return (Delivery.ONSITE,)


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _clashes(*, round: Round, data: SessionData, exclude_pk: int | None) -> list[ExamSession]:
    """Other sessions of the round on the same day, overlapping in time, sharing an offering: their
    candidates would have to sit two sessions at once."""
    ids = [o.pk for o in data.offerings]
    qs = ExamSession.objects.filter(
        round=round, day=data.day, starts__lt=data.ends, ends__gt=data.starts, offerings__in=ids
    ).distinct()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("starts", "pk"))


def session_problems(
    *, round: Round, data: SessionData, exclude_pk: int | None = None
) -> list[RuleViolation]:
    """Every reason the session cannot be saved, each on its field."""
    problems: list[RuleViolation] = []
    if data.module not in ModuleKind.values:
        problems.append(RuleViolation("R6.1", _("请选择考核模块。"), field="module"))
    elif data.delivery not in allowed_deliveries(data.module):
        problems.append(
            RuleViolation(
                "R6.1",
                _("理论知识考试的形式为纸笔或机考；操作技能考核和综合评审的形式为现场。"),
                field="delivery",
            )
        )
    if not data.offerings:
        problems.append(RuleViolation("R6.1", _("请至少选择一个职业（工种）等级。"), field="offerings"))
    foreign = [o for o in data.offerings if o.round_id != round.pk]
    if foreign:
        problems.append(RuleViolation("R6.1", _("所选职业（工种）等级不属于本批次。"), field="offerings"))
    elif data.module in ModuleKind.values:
        missing = [o for o in data.offerings if data.module not in {m.kind for m in offering_modules(o)}]
        if missing:
            problems.append(
                RuleViolation(
                    "R6.1",
                    _("%(o)s 的标准在该等级没有“%(m)s”模块，不能安排在本场次。")
                    % {"o": "、".join(str(o) for o in missing), "m": ModuleKind(data.module).label},
                    field="offerings",
                )
            )
    if data.site.enterprise_id != round.enterprise_id:
        problems.append(RuleViolation("R6.1", _("考点不属于本企业。"), field="site"))
    elif not data.site.is_active:
        problems.append(
            RuleViolation(
                "R6.1", _("考点“%(s)s”已停用，请选择在用的考点。") % {"s": data.site.name}, field="site"
            )
        )
    if not round.evaluation_starts <= data.day <= round.evaluation_ends:
        problems.append(
            RuleViolation(
                "R5.1",
                _(
                    "场次日期须在本批次评价期内（%(a)s 至 %(b)s）；如需调整评价期，请在认定计划中调整评价日期。"
                )
                % {"a": _cn(round.evaluation_starts), "b": _cn(round.evaluation_ends)},
                field="day",
            )
        )
    if data.ends <= data.starts:
        problems.append(RuleViolation("R6.1", _("结束时间须晚于开始时间。"), field="ends"))
    elif data.offerings and not foreign:
        clash = _clashes(round=round, data=data, exclude_pk=exclude_pk)
        if clash:
            other = clash[0]
            problems.append(
                RuleViolation(
                    "R6.1",
                    _(
                        "与场次“%(s)s”时间重叠且有相同的职业（工种）等级，考生不能同时参加两场考试；请调整时间。"
                    )
                    % {"s": str(other)},
                    field="starts",
                )
            )
    return problems


def _check(*, round: Round, data: SessionData, exclude_pk: int | None = None) -> None:
    problems = session_problems(round=round, data=data, exclude_pk=exclude_pk)
    if problems:
        raise problems[0]


def _require_no_check_in(session: ExamSession, what: str) -> None:
    if session.finished_at is not None:
        raise RuleViolation("R7.2", _("该场次已结束，不能%(w)s。") % {"w": what})
    if session.seats.exclude(attendance=Attendance.PENDING).exists():
        raise RuleViolation(
            "R7.2", _("该场次已有考生签到或缺考记录，不能%(w)s；考试当天的记录须保留。") % {"w": what}
        )


def _has_exam_day_records(session: ExamSession) -> bool:
    from skillcert.logistics.examday_models import Check, MaterialSeal, RoomLogEntry, Violation

    return any(
        model.objects.filter(session=session).exists()
        for model in (Check, MaterialSeal, RoomLogEntry, Violation)
    )


def _summary(session: ExamSession, data: SessionData) -> dict[str, object]:
    return {
        "module": data.module,
        "delivery": data.delivery,
        "site": data.site.name,
        "day": data.day.isoformat(),
        "starts": data.starts.strftime("%H:%M"),
        "ends": data.ends.strftime("%H:%M"),
        "offerings": [str(o) for o in data.offerings],
    }


def exam_session_create(*, actor: User, round: Round, data: SessionData) -> ExamSession:
    _check(round=round, data=data)
    with transaction.atomic():
        session = ExamSession.objects.create(
            round=round,
            site=data.site,
            module=data.module,
            delivery=data.delivery,
            day=data.day,
            starts=data.starts,
            ends=data.ends,
            note=data.note.strip(),
        )
        session.offerings.set(list(data.offerings))
        audit.record(
            actor=actor,
            action="exam_session.create",
            obj=session,
            organisation_id=round.enterprise_id,
            summary=_summary(session, data),
        )
    return session


def exam_session_update(*, actor: User, session: ExamSession, data: SessionData) -> ExamSession:
    """Change a session. Moving it in time keeps the seats; another module, delivery, site or set of
    offerings releases them (the rooms no longer fit), which the seating page then asks to rerun."""
    with transaction.atomic():
        session = (
            ExamSession.objects.select_for_update(of=("self",)).select_related("round").get(pk=session.pk)
        )
        _check(round=session.round, data=data, exclude_pk=session.pk)
        _require_no_check_in(session, _("修改"))
        before = {o.pk for o in session.offerings.all()}
        reseat = (
            session.module != data.module
            or session.delivery != data.delivery
            or session.site_id != data.site.pk
            or before != {o.pk for o in data.offerings}
        )
        released = session.seats.all().delete()[0] if reseat else 0
        session.module = data.module
        session.delivery = data.delivery
        session.site = data.site
        session.day = data.day
        session.starts = data.starts
        session.ends = data.ends
        session.note = data.note.strip()
        session.save(update_fields=["module", "delivery", "site", "day", "starts", "ends", "note"])
        session.offerings.set(list(data.offerings))
        audit.record(
            actor=actor,
            action="exam_session.update",
            obj=session,
            organisation_id=session.round.enterprise_id,
            summary={**_summary(session, data), "seats_released": released},
        )
    return session


def exam_session_delete(*, actor: User, session: ExamSession) -> None:
    """Delete a session with its seats; refused once candidates checked in (their records are kept)."""
    with transaction.atomic():
        session = (
            ExamSession.objects.select_for_update(of=("self",))
            .select_related("round", "site")
            .get(pk=session.pk)
        )
        _require_no_check_in(session, _("删除"))
        if _has_exam_day_records(session):
            raise RuleViolation(
                "R7.3", _("该场次已有考场记录、违纪记录、检查或封存记录，不能删除；这些记录须留存归档。")
            )
        summary = {
            "module": session.module,
            "site": session.site.name,
            "day": session.day.isoformat(),
            "starts": session.starts.strftime("%H:%M"),
            "seats": session.seats.count(),
        }
        audit.record(
            actor=actor,
            action="exam_session.delete",
            obj=session,
            organisation_id=session.round.enterprise_id,
            summary=summary,
        )
        session.delete()
