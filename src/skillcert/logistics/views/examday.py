"""Exam-day pages (R7.1–R7.3), made for a tablet: the hub, checks, check-in, the room log, violations and
rulings, sealing, finishing a session and the supervisor's form.

Enterprise staff who may record exam-day work (selectors.can_record_exam_day) see forms; authority staff
of the jurisdiction read the same pages without forms; everyone else gets 404.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core.documents import render_pdf
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.models.accounts import Role
from skillcert.filings.models import Site
from skillcert.logistics import selectors
from skillcert.logistics import selectors_examday as sel
from skillcert.logistics.examday_models import (
    ROOM_CHECKS,
    SITE_CHECKS,
    CheckKind,
    MaterialKind,
    MaterialSeal,
    Overall,
    RoomLogEntry,
    Ruling,
    SupervisionReport,
    Violation,
)
from skillcert.logistics.forms_examday import (
    CheckForm,
    LogForm,
    RulingForm,
    SealForm,
    SearchForm,
    SupervisionForm,
    ViolationForm,
)
from skillcert.logistics.models import Attendance, ExamSession, Room
from skillcert.logistics.services import examday as services
from skillcert.rounds.models import Round

TEMPLATES = "logistics/examday/"


# --- helpers -------------------------------------------------------------------------------------


def _session_room(
    request: AuthedRequest, pk: int, room_pk: int, *, write: bool = False
) -> tuple[ExamSession, Room]:
    session = sel.access_exam_day_session_read(user=request.user, pk=pk, for_write=write)
    return session, sel.access_session_room(session=session, pk=room_pk)


def _room_context(request: AuthedRequest, session: ExamSession, room: Room, tab: str) -> dict[str, object]:
    return {
        "round": session.round,
        "session": session,
        "room": room,
        "tab": tab,
        "can_record": selectors.can_record_exam_day(user=request.user, round=session.round),
        "rooms": sel.rooms_of_session(session=session),
    }


def _file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    return file_response(data, filename=filename, content_type=content_type, inline=True)


def _site_day(request: AuthedRequest, pk: int, site_pk: int, day: str) -> tuple[Round, Site, date]:
    rnd = sel.access_exam_day_round_read(user=request.user, pk=pk)
    site = sel.site_of_round(round=rnd, pk=site_pk)
    the_day = sel.parse_day(day)
    if not sel.site_day_sessions(round=rnd, site=site, day=the_day):
        raise Http404
    return rnd, site, the_day


# --- the hub -------------------------------------------------------------------------------------


@require_GET
@login_required
def examday(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = sel.access_exam_day_round_read(user=request.user, pk=pk)
    return render(
        request,
        TEMPLATES + "hub.html",
        {
            "round": rnd,
            "days": sel.exam_day_hub(round=rnd),
            "can_record": selectors.can_record_exam_day(user=request.user, round=rnd),
        },
    )


# --- R7.1 checks ---------------------------------------------------------------------------------


@login_required
def checks(request: AuthedRequest, pk: int, site: int, day: str) -> HttpResponse:
    """Site checks for the day and room checks for each session; ?kind=…[&session=…&room=…] opens a form."""
    rnd, the_site, the_day = _site_day(request, pk, site, day)
    can_record = selectors.can_record_exam_day(user=request.user, round=rnd)
    can_supervise = selectors.can_supervise(user=request.user, round=rnd)
    may_practical = can_record and request.user.has_role(Role.ASSESSOR, Role.ENTERPRISE_ADMIN)
    sessions = sel.site_day_sessions(round=rnd, site=the_site, day=the_day)
    records = sel.checks_at(round=rnd, site=the_site, day=the_day)

    def history(kind: str, session_id: int | None, room_id: int | None) -> list[object]:
        return [c for c in records if c.kind == kind and c.session_id == session_id and c.room_id == room_id]

    site_items = [
        {
            "kind": k,
            "label": CheckKind(k).label,
            "history": history(k, None, None),
            "may": can_record and (k != CheckKind.SUPERVISOR_CHECK or can_supervise),
            "query": urlencode({"kind": k}),
        }
        for k in SITE_CHECKS
    ]
    room_items = []
    for s in sessions:
        for room in sel.rooms_of_session(session=s):
            for k in services.room_check_kinds(s):
                room_items.append(
                    {
                        "kind": k,
                        "label": CheckKind(k).label,
                        "session": s,
                        "room": room,
                        "history": history(k, s.pk, room.pk),
                        "may": can_record and (k != CheckKind.PRACTICAL_SETUP or may_practical),
                        "query": urlencode({"kind": k, "session": s.pk, "room": room.pk}),
                    }
                )

    # The open form, if any.
    kind = request.GET.get("kind", "")
    target_session: ExamSession | None = None
    target_room: Room | None = None
    form: CheckForm | None = None
    if kind:
        if not can_record or kind not in (*SITE_CHECKS, *ROOM_CHECKS):
            raise Http404
        if kind in ROOM_CHECKS:
            target_session = next((s for s in sessions if str(s.pk) == request.GET.get("session")), None)
            if target_session is None:
                raise Http404
            target_room = sel.access_session_room(session=target_session, pk=request.GET.get("room"))
        form = CheckForm(request.POST or None, request.FILES or None, kind=kind)
        if request.method == "POST" and form.is_valid():
            try:
                services.check_record(
                    actor=request.user,
                    round=rnd,
                    site=the_site,
                    day=the_day,
                    kind=kind,
                    ok=form.cleaned_data["ok"],
                    note=form.cleaned_data["note"] or "",
                    problems=form.cleaned_data["problems"] or "",
                    count=form.cleaned_data.get("count"),
                    session=target_session,
                    room=target_room,
                    attachment=form.cleaned_data.get("attachment") or None,
                )
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已登记：%(k)s。") % {"k": CheckKind(kind).label})
                return redirect("logistics:checks", pk=rnd.pk, site=the_site.pk, day=the_day.isoformat())
    elif request.method == "POST":
        raise Http404
    seat_count = (
        len(sel.room_seats(session=target_session, room=target_room))
        if target_session and target_room
        else None
    )
    return render(
        request,
        TEMPLATES + "checks.html",
        {
            "round": rnd,
            "site": the_site,
            "day": the_day,
            "site_items": site_items,
            "room_items": room_items,
            "form": form,
            "kind_label": CheckKind(kind).label if kind else "",
            "target_session": target_session,
            "target_room": target_room,
            "seat_count": seat_count,
            "can_record": can_record,
        },
    )


@require_GET
@login_required
def check_attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    check = sel.access_check(user=request.user, pk=pk)
    if not check.attachment:
        raise Http404
    data, content_type = services.check_attachment_read(actor=request.user, check=check)
    ext = content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
    return _file_response(data, content_type, f"{check.get_kind_display()}{check.day}.{ext}")


# --- R7.2 check-in -------------------------------------------------------------------------------


def _checkin_render(
    request: AuthedRequest, session: ExamSession, room: Room, query: str, note: str = "", note_ok: bool = True
) -> HttpResponse:
    ctx = _room_context(request, session, room, "checkin")
    seats = sel.room_seats(session=session, room=room)
    ctx.update(
        {
            "seats": seats,
            "present": sum(s.attendance == Attendance.PRESENT for s in seats),
            "absent": sum(s.attendance == Attendance.ABSENT for s in seats),
            "search_form": SearchForm(initial={"q": query}),
            "query": query,
            "lookup": sel.seat_lookup(session=session, room=room, query=query) if ctx["can_record"] else None,
            "started": timezone.now() >= services.session_start(session),
            "note": note,
            "note_ok": note_ok,
        }
    )
    if getattr(request, "htmx", False):
        part = "_seat_list.html" if request.GET.get("part") == "seats" else "_checkin_panel.html"
        return render(request, TEMPLATES + part, ctx)
    return render(request, TEMPLATES + "checkin.html", ctx)


@login_required
def checkin(request: AuthedRequest, pk: int, room: int) -> HttpResponse:
    if request.method == "POST":
        return _checkin_post(request, pk, room)
    session, the_room = _session_room(request, pk, room)
    return _checkin_render(request, session, the_room, request.GET.get("q", "")[:30])


def _checkin_post(request: AuthedRequest, pk: int, room: int) -> HttpResponse:
    session, the_room = _session_room(request, pk, room, write=True)
    query = request.POST.get("q", "")[:30]
    action = request.POST.get("action")
    try:
        if action == "check_in":
            seat = sel.seat_of_round(session=session, pk=request.POST.get("seat"))
            seat = services.seat_check_in(actor=request.user, seat=seat, session=session, room=the_room)
            note = _("%(n)s（%(s)02d号）已签到。") % {"n": seat.application.name, "s": seat.number}
            query = ""
        elif action == "absent":
            count = services.seats_mark_absent(actor=request.user, session=session, room=the_room)
            note = _("已登记缺考 %(n)s 人。") % {"n": count}
        else:
            raise Http404
    except RuleViolation as exc:
        note, ok = str(exc), False
    else:
        ok = True
    if getattr(request, "htmx", False):
        return _checkin_render(request, session, the_room, query, note, ok)
    (messages.success if ok else messages.error)(request, note)
    url = reverse("logistics:checkin", args=[session.pk, the_room.pk])
    return redirect(url + (f"?{urlencode({'q': query})}" if query else ""))


@require_GET
@login_required
def checkin_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    """The candidate's application photo, to staff who record the exam day (never cached)."""
    seat = sel.access_seat_for_photo(user=request.user, pk=pk)
    app = seat.application
    data, content_type = app.photo_bytes(), app.photo_type
    if data is None:
        data, content_type = app.person.photo_bytes(), app.person.photo_type
    if data is None:
        raise Http404
    return _file_response(data, content_type or "image/jpeg", "photo")


# --- R7.2 the room log ---------------------------------------------------------------------------


@login_required
def room_log(request: AuthedRequest, pk: int, room: int) -> HttpResponse:
    session, the_room = _session_room(request, pk, room, write=request.method == "POST")
    ctx = _room_context(request, session, room=the_room, tab="log")
    form = LogForm(request.POST or None) if ctx["can_record"] else None
    if form is not None and request.method == "POST" and form.is_valid():
        at: datetime | None = None
        if form.cleaned_data["at"]:
            at = timezone.make_aware(datetime.combine(session.day, form.cleaned_data["at"]))
        try:
            services.room_log_add(
                actor=request.user,
                session=session,
                room=the_room,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                at=at,
                handled_by=form.cleaned_data["handled_by"] or "",
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("logistics:room_log", pk=session.pk, room=the_room.pk)
    ctx["form"] = form
    ctx["entries"] = list(
        RoomLogEntry.objects.filter(session=session, room=the_room)
        .select_related("recorded_by")
        .order_by("at", "pk")
    )
    return render(request, TEMPLATES + "room_log.html", ctx)


# --- R7.2 violations -----------------------------------------------------------------------------


@login_required
def violations(request: AuthedRequest, pk: int, room: int) -> HttpResponse:
    session, the_room = _session_room(request, pk, room, write=request.method == "POST")
    ctx = _room_context(request, session, room=the_room, tab="violations")
    seats = sel.room_seats(session=session, room=the_room)
    form = (
        ViolationForm(request.POST or None, request.FILES or None, seats=seats) if ctx["can_record"] else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.violation_record(
                actor=request.user,
                session=session,
                room=the_room,
                seat=form.cleaned_data["seat"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data.get("evidence") or None,
                evidence_note=form.cleaned_data["evidence_note"] or "",
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已记录违纪，待督导员认定。"))
            return redirect("logistics:violations", pk=session.pk, room=the_room.pk)
    ctx["form"] = form
    ctx["violations"] = list(
        Violation.objects.filter(session=session, room=the_room)
        .select_related("seat", "application", "reported_by", "ruled_by")
        .order_by("reported_at", "pk")
    )
    return render(request, TEMPLATES + "violations.html", ctx)


@login_required
def violation_rule(request: AuthedRequest, pk: int) -> HttpResponse:
    violation = sel.access_violation(user=request.user, pk=pk, for_write=request.method == "POST")
    rnd = violation.session.round
    may_rule = selectors.can_supervise(user=request.user, round=rnd)
    form = RulingForm(request.POST or None) if may_rule and violation.ruling == Ruling.PENDING else None
    if request.method == "POST":
        if form is None:
            if violation.ruling != Ruling.PENDING:
                messages.error(
                    request,
                    _("该违纪已认定为“%(r)s”，不能更改（R7.2）。") % {"r": violation.get_ruling_display()},
                )
            else:
                messages.error(request, _("违纪行为只能由内部质量督导员认定（R7.2）。"))
            return redirect("logistics:violation_rule", pk=violation.pk)
        if form.is_valid():
            try:
                services.violation_rule(
                    actor=request.user,
                    violation=violation,
                    ruling=form.cleaned_data["ruling"],
                    note=form.cleaned_data["note"] or "",
                )
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已认定。"))
                return redirect("logistics:violations", pk=violation.session_id, room=violation.room_id)
    ctx = _room_context(request, violation.session, violation.room, "violations")
    ctx.update({"violation": violation, "form": form, "may_rule": may_rule})
    return render(request, TEMPLATES + "violation_rule.html", ctx)


@require_GET
@login_required
def violation_evidence(request: AuthedRequest, pk: int) -> HttpResponse:
    violation = sel.access_violation(user=request.user, pk=pk)
    if not violation.evidence:
        raise Http404
    data, content_type = services.violation_evidence_read(actor=request.user, violation=violation)
    ext = content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
    return _file_response(data, content_type, f"evidence-{violation.pk}.{ext}")


# --- R7.3 sealing and finishing ------------------------------------------------------------------


@login_required
def seals(request: AuthedRequest, pk: int, room: int) -> HttpResponse:
    session, the_room = _session_room(request, pk, room, write=request.method == "POST")
    ctx = _room_context(request, session, room=the_room, tab="seals")
    rows = list(MaterialSeal.objects.filter(session=session, room=the_room).select_related("sealed_by"))
    sealed = {r.kind for r in rows}
    form = (
        SealForm(request.POST or None, sealed=sealed)
        if ctx["can_record"] and len(sealed) < len(MaterialKind.values)
        else None
    )
    if request.method == "POST" and form is None:
        messages.error(request, _("本考场的材料都已登记密封。"))
        return redirect("logistics:seals", pk=session.pk, room=the_room.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.material_seal(
                actor=request.user,
                session=session,
                room=the_room,
                kind=form.cleaned_data["kind"],
                count=form.cleaned_data["count"],
                seal_no=form.cleaned_data["seal_no"],
                handed_over_to=form.cleaned_data["handed_over_to"],
                note=form.cleaned_data["note"] or "",
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记密封。"))
            return redirect("logistics:seals", pk=session.pk, room=the_room.pk)
    ctx.update(
        {
            "form": form,
            "rows": rows,
            "seat_count": len(sel.room_seats(session=session, room=the_room)),
            "finish_problems": services.finish_problems(session=session)
            if session.finished_at is None
            else [],
        }
    )
    return render(request, TEMPLATES + "seals.html", ctx)


@require_POST
@login_required
def session_finish(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.access_exam_day_session_read(user=request.user, pk=pk, for_write=True)
    try:
        services.exam_session_finish(actor=request.user, session=session)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("场次已确认结束：%(s)s。") % {"s": session})
    back = request.POST.get("room", "")
    room = sel.rooms_of_session(session=session).filter(pk=int(back) if back.isdigit() else 0).first()
    if room is not None:
        return redirect("logistics:seals", pk=session.pk, room=room.pk)
    return redirect("logistics:examday", pk=session.round_id)


# --- R7.3 the quality-supervision form -----------------------------------------------------------


@login_required
def supervision(request: AuthedRequest, pk: int, site: int, day: str) -> HttpResponse:
    rnd, the_site, the_day = _site_day(request, pk, site, day)
    if request.method == "POST" and not selectors.can_record_exam_day(user=request.user, round=rnd):
        raise Http404
    report = (
        SupervisionReport.objects.filter(round=rnd, site=the_site, day=the_day)
        .select_related("author")
        .first()
    )
    may_submit = selectors.can_supervise(user=request.user, round=rnd)
    form = SupervisionForm(request.POST or None) if may_submit and report is None else None
    if request.method == "POST":
        if report is not None:
            messages.error(
                request,
                _("%(s)s %(d)s的质量督导表已提交，每个考点每天只填一份。")
                % {"s": the_site.name, "d": the_day},
            )
            return redirect("logistics:supervision", pk=rnd.pk, site=the_site.pk, day=the_day.isoformat())
        if form is None:
            messages.error(request, _("质量督导表只能由内部质量督导员填写（R6.5）。"))
            return redirect("logistics:examday", pk=rnd.pk)
        if form.is_valid():
            try:
                report = services.supervision_report_submit(
                    actor=request.user, round=rnd, site=the_site, day=the_day, data=form.data_object()
                )
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已提交质量督导表。"))
                return redirect("logistics:supervision", pk=rnd.pk, site=the_site.pk, day=the_day.isoformat())
    return render(
        request,
        TEMPLATES + "supervision.html",
        {
            "round": rnd,
            "site": the_site,
            "day": the_day,
            "report": report,
            "items": _report_items(report) if report else [],
            "form": form,
            "may_submit": may_submit,
        },
    )


def _report_items(report: SupervisionReport) -> list[tuple[str, bool]]:
    names = ("attendance_ok", "briefing_ok", "papers_ok", "rooms_ok", "scoring_ok")
    items = []
    for name in names:
        field = SupervisionReport._meta.get_field(name)
        assert isinstance(field, models.Field)
        items.append((str(field.verbose_name), bool(getattr(report, name))))
    return items


def supervision_pdf_bytes(report: SupervisionReport) -> bytes:
    """The printable quality-supervision form (质量督导表) of a site on a day."""
    sessions = sel.site_day_sessions(round=report.round, site=report.site, day=report.day)
    return render_pdf(
        TEMPLATES + "pdf/supervision.html",
        {
            "report": report,
            "items": _report_items(report),
            "sessions": sessions,
            "round": report.round,
            "overall_choices": Overall.choices,
        },
    )


@require_GET
@login_required
def supervision_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    report = sel.access_report(user=request.user, pk=pk)
    filename = _("质量督导表-%(s)s-%(d)s.pdf") % {"s": report.site.name, "d": report.day.isoformat()}
    return _file_response(supervision_pdf_bytes(report), "application/pdf", filename)


urls: list[URLPattern] = [
    path("rounds/<int:pk>/exam-day/", examday, name="examday"),
    path("rounds/<int:pk>/exam-day/<int:site>/<str:day>/checks/", checks, name="checks"),
    path("rounds/<int:pk>/exam-day/<int:site>/<str:day>/supervision/", supervision, name="supervision"),
    path("exam-day/supervision/<int:pk>.pdf", supervision_pdf, name="supervision_pdf"),
    path("exam-day/checks/<int:pk>/attachment/", check_attachment, name="check_attachment"),
    path("sessions/<int:pk>/rooms/<int:room>/check-in/", checkin, name="checkin"),
    path("sessions/<int:pk>/rooms/<int:room>/log/", room_log, name="room_log"),
    path("sessions/<int:pk>/rooms/<int:room>/violations/", violations, name="violations"),
    path("sessions/<int:pk>/rooms/<int:room>/seals/", seals, name="seals"),
    path("sessions/<int:pk>/finish/", session_finish, name="session_finish"),
    path("exam-day/seats/<int:pk>/photo/", checkin_photo, name="checkin_photo"),
    path("violations/<int:pk>/rule/", violation_rule, name="violation_rule"),
    path("violations/<int:pk>/evidence/", violation_evidence, name="violation_evidence"),
]
