"""Admission tickets (准考证): numbers, issue and the PDFs, one per candidate and a batch (issue 6, R5.2).

Ticket numbers are ``{year:04d}{enterprise pk:04d}{seq:05d}``, e.g. ``2027000700042``: the round's
year, the enterprise and a sequence that runs on across all the enterprise's rounds of that year, so
two rounds never share a number. A candidate keeps their number when tickets are issued again; only
candidates without a ticket get the next numbers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import audit, documents
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.logistics.models import HouseRules, Seat, Ticket
from skillcert.logistics.selectors import candidates_of_round
from skillcert.logistics.selectors_schedule import Missing, ticket_problems, tickets_of_round
from skillcert.rounds.models import Round
from skillcert.rounds.services_plans import require_plan_confirmed

__all__ = [
    "DEFAULT_ROOM_RULES",
    "TicketIssue",
    "missing_sentence",
    "ticket_issue_all",
    "ticket_number",
    "ticket_pdf",
    "tickets_batch_pdf",
]

TEMPLATE = "logistics/tickets/ticket_pdf.html"
MISSING_SHOWN = 20

# Used when the enterprise has not written its own room rules (HouseRules.room_rules).
DEFAULT_ROOM_RULES = (
    "一、考生凭准考证和有效身份证件，按规定时间进入考场，对号入座，并将两证放在桌面左上角备查。\n"
    "二、开考15分钟后不得入场；理论知识考试开考30分钟内不得交卷离场。\n"
    "三、除规定的文具外，不得携带手机、智能手表等通讯、存储设备和资料进入考场。\n"
    "四、考试期间保持安静，不得交头接耳、偷看、夹带、代考或传递答案；服从考务、考评人员管理。\n"
    "五、操作技能考核须按安全操作规程穿戴劳动防护用品，爱护设备、工具和材料。\n"
    "六、违反考场规则的，按《违纪违规行为处理规定》处理。"
)


def ticket_number(*, year: int, enterprise_id: int, seq: int) -> str:
    return f"{year:04d}{enterprise_id:04d}{seq:05d}"


def _next_seq(round: Round) -> int:
    prefix = f"{round.year:04d}{round.enterprise_id:04d}"
    numbers = Ticket.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    seqs = [int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()]
    return max(seqs, default=0) + 1


def missing_sentence(missing: list[Missing]) -> str:
    """A readable list of who is not seated where (shortened after MISSING_SHOWN entries)."""
    parts = []
    for m in missing[:MISSING_SHOWN]:
        if m.session is None:
            parts.append(
                _("%(n)s（%(o)s）没有安排场次") % {"n": m.application.name, "o": m.application.offering}
            )
        else:
            parts.append(
                _("%(n)s 在 %(s)s %(site)s 没有座位")
                % {"n": m.application.name, "s": m.session, "site": m.session.site.name}
            )
    text = "；".join(parts)
    if len(missing) > MISSING_SHOWN:
        text += _("……共%(n)s处") % {"n": len(missing)}
    return text


@dataclass(frozen=True)
class TicketIssue:
    created: int
    kept: int


def ticket_issue_all(*, actor: User, round: Round) -> TicketIssue:
    """Give every approved candidate a ticket; refused before the plan is confirmed (R5.2) or while
    anyone lacks a seat in a session of their offering."""
    require_plan_confirmed(round=round, action=_("生成准考证"))
    with transaction.atomic():
        # One enterprise issues at a time: the sequence runs across its rounds of the year.
        Organisation.objects.select_for_update(of=("self",)).get(pk=round.enterprise_id)
        missing = ticket_problems(round=round)
        if missing:
            raise RuleViolation(
                "R6.1",
                _("还有考生未安排座位，不能生成准考证：%(m)s。请先完成座位编排。")
                % {"m": missing_sentence(missing)},
            )
        have = set(Ticket.objects.filter(round=round).values_list("application_id", flat=True))
        seq = _next_seq(round)
        new: list[Ticket] = []
        for app in candidates_of_round(round=round).order_by("offering_id", "pk"):
            if app.pk in have:
                continue
            new.append(
                Ticket(
                    application=app,
                    round=round,
                    number=ticket_number(year=round.year, enterprise_id=round.enterprise_id, seq=seq),
                )
            )
            seq += 1
        Ticket.objects.bulk_create(new)
        issue = TicketIssue(created=len(new), kept=len(have))
        audit.record(
            actor=actor,
            action="ticket.issue",
            obj=round,
            organisation_id=round.enterprise_id,
            summary={"created": issue.created, "kept": issue.kept},
        )
    return issue


# --- the PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketLine:
    day: str
    time: str
    module: str
    site: str
    address: str
    room: str
    seat: str


def _room_rules(enterprise_id: int) -> str:
    rules = (
        HouseRules.objects.filter(enterprise_id=enterprise_id).values_list("room_rules", flat=True).first()
    )
    return rules.strip() if rules and rules.strip() else DEFAULT_ROOM_RULES


def _context(ticket: Ticket, seats: list[Seat], room_rules: str) -> dict[str, object]:
    app = ticket.application
    offering = app.offering
    photo = app.photo_bytes()
    lines = [
        TicketLine(
            day=f"{s.session.day:%Y年%m月%d日}",
            time=f"{s.session.starts:%H:%M}—{s.session.ends:%H:%M}",
            module=s.session.get_module_display(),
            site=s.session.site.name,
            address=s.session.site.address,
            room=s.room.name,
            seat=f"{s.number:02d}",
        )
        for s in seats
    ]
    return {
        "round": ticket.round,
        "enterprise": ticket.round.enterprise.name,
        "number": ticket.number,
        "name": app.name,
        "sex": app.get_sex_display(),
        "id_masked": app.person.id_number_masked,
        "occupation": offering.occupation.name,
        "job_type": offering.job_type.name if offering.job_type else "",
        "level": offering.get_level_display(),
        "photo": (
            f"data:{app.photo_type or 'image/jpeg'};base64," + base64.b64encode(photo).decode("ascii")
            if photo
            else ""
        ),
        "lines": lines,
        "room_rules": [r for r in room_rules.splitlines() if r.strip()],
        "printed": timezone.localdate(),
    }


def _seats(ticket: Ticket) -> list[Seat]:
    return list(
        Seat.objects.filter(application=ticket.application)
        .select_related("session", "session__site", "room")
        .order_by("session__day", "session__starts", "pk")
    )


def ticket_pdf(*, actor: User, ticket: Ticket) -> bytes:
    """One candidate's ticket; the print is audited (it carries personal data)."""
    ticket = Ticket.objects.select_related(
        "round",
        "round__enterprise",
        "application",
        "application__person",
        "application__offering",
        "application__offering__occupation",
        "application__offering__job_type",
    ).get(pk=ticket.pk)
    data = documents.render_pdf(
        TEMPLATE, _context(ticket, _seats(ticket), _room_rules(ticket.round.enterprise_id))
    )
    audit.record(
        actor=actor,
        action="ticket.print",
        obj=ticket,
        organisation_id=ticket.round.enterprise_id,
        summary={"number": ticket.number, "count": 1},
    )
    return data


def tickets_batch_pdf(*, actor: User, round: Round) -> bytes:
    """All tickets of the round's approved candidates in one PDF, in ticket-number order."""
    require_plan_confirmed(round=round, action=_("打印准考证"))
    tickets = list(tickets_of_round(round=round).select_related("round", "round__enterprise"))
    if not tickets:
        raise RuleViolation("R5.2", _("本批次尚未生成准考证，请先生成。"))
    rules = _room_rules(round.enterprise_id)
    data = documents.render_pdf_batch(
        TEMPLATE, [_context(t, list(t.application.seats.all()), rules) for t in tickets]
    )
    audit.record(
        actor=actor,
        action="ticket.print",
        obj=round,
        organisation_id=round.enterprise_id,
        summary={"count": len(tickets)},
    )
    return data
