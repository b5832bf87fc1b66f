"""Exam-day pages: every page checked from every side, and the tablet flows through plain POST and htmx."""

from __future__ import annotations

from typing import ClassVar

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcert.core.models import AuditEvent, User
from skillcert.core.models.accounts import Role
from skillcert.logistics.examday_models import (
    Check,
    CheckKind,
    LogKind,
    MaterialSeal,
    Overall,
    RoomLogEntry,
    Ruling,
    SupervisionReport,
    Violation,
    ViolationKind,
)
from skillcert.logistics.models import Attendance, ExamSession, Seat, Ticket
from skillcert.logistics.services import examday as svc
from tests.base import AccessCase, login
from tests.factories import UserFactory, grant
from tests.logistics.factories import ExamWorld, exam_world, theory_session

READERS = ["owner", "staff", "city", "city_admin", "province"]
RECORDERS = ["owner", "staff"]
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 20


class ExamDayCase(AccessCase):
    world: ClassVar[ExamWorld]
    session: ClassVar[ExamSession]
    seats: ClassVar[list[Seat]]
    supervisor: ClassVar[User]
    violation: ClassVar[Violation]
    report: ClassVar[SupervisionReport]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ent = cls.w.ent_a
        cls.world = exam_world(ent, candidates=6)
        cls.session = theory_session(cls.world)
        r1, r2 = cls.world.theory_rooms
        cls.seats = [
            Seat.objects.create(
                session=cls.session, application=a, room=r1 if i < 3 else r2, number=i % 3 + 1
            )
            for i, a in enumerate(cls.world.applications)
        ]
        first = cls.world.applications[0]
        first.set_photo(PNG, "image/png")
        first.save(update_fields=["photo_enc", "photo_type"])
        Ticket.objects.create(application=first, round=cls.world.round, number="T0001")
        Ticket.objects.create(application=cls.world.applications[3], round=cls.world.round, number="T0004")
        cls.supervisor = grant(UserFactory(organisation=ent, username="t_supervisor"), Role.SUPERVISOR)
        staff = cls.w.users["staff"]
        cls.violation = svc.violation_record(
            actor=staff,
            session=cls.session,
            room=r1,
            seat=cls.seats[1],
            kind=ViolationKind.DEVICE,
            description="使用手机",
        )
        cls.report = svc.supervision_report_submit(
            actor=cls.supervisor,
            round=cls.world.round,
            site=cls.world.site,
            day=cls.session.day,
            data=svc.SupervisionData(True, True, True, True, True, "", Overall.GOOD, "组织规范。"),
        )

    def setUp(self) -> None:
        # Uploads go to the per-test media root, so they are made here rather than in setUpTestData.
        super().setUp()
        staff = self.w.users["staff"]
        self.evidence = svc.violation_record(
            actor=staff,
            session=self.session,
            room=self.world.theory_rooms[0],
            seat=self.seats[0],
            kind=ViolationKind.DEVICE,
            description="携带手机",
            evidence=SimpleUploadedFile("e.png", PNG),
        )
        self.check = svc.check_record(
            actor=staff,
            round=self.world.round,
            site=self.world.site,
            day=self.session.day,
            kind=CheckKind.BRIEFING,
            ok=True,
            attachment=SimpleUploadedFile("m.pdf", PDF),
        )

    @property
    def room1(self) -> object:
        return self.world.theory_rooms[0]

    def room_url(self, name: str, room: object | None = None) -> str:
        return reverse(f"logistics:{name}", args=[self.session.pk, (room or self.room1).pk])  # type: ignore[attr-defined]

    def site_url(self, name: str) -> str:
        return reverse(
            f"logistics:{name}", args=[self.world.round.pk, self.world.site.pk, self.session.day.isoformat()]
        )

    def as_supervisor(self) -> Client:
        return login(Client(), User.objects.get(pk=self.supervisor.pk))


class TestAccess(ExamDayCase):
    def test_read_pages(self) -> None:
        urls = [
            reverse("logistics:examday", args=[self.world.round.pk]),
            self.site_url("checks"),
            self.site_url("supervision"),
            self.room_url("checkin"),
            self.room_url("room_log"),
            self.room_url("violations"),
            self.room_url("seals"),
            reverse("logistics:violation_rule", args=[self.violation.pk]),
            reverse("logistics:violation_evidence", args=[self.evidence.pk]),
            reverse("logistics:check_attachment", args=[self.check.pk]),
            reverse("logistics:supervision_pdf", args=[self.report.pk]),
        ]
        for url in urls:
            self.check_access(url, READERS)

    def test_staff_only_pages(self) -> None:
        self.check_access(reverse("logistics:checkin_photo", args=[self.seats[0].pk]), RECORDERS)
        self.check_access(self.site_url("checks") + "?kind=paper_custody", RECORDERS)

    def test_writes(self) -> None:
        seat = self.seats[0]
        cases = [
            (self.room_url("checkin"), {"action": "check_in", "seat": seat.pk}),
            (self.room_url("room_log"), {"kind": LogKind.EVENT, "text": "考场安静"}),
            (self.room_url("violations"), {"seat": seat.pk, "kind": ViolationKind.OTHER, "description": "x"}),
            (self.room_url("seals"), {"kind": "summary", "count": 1, "seal_no": "1", "handed_over_to": "王"}),
            (self.site_url("checks") + "?kind=paper_custody", {"ok": "1"}),
            (self.site_url("supervision"), {"overall": "good", "evaluation": "x"}),
            (reverse("logistics:violation_rule", args=[self.violation.pk]), {"ruling": "dismissed"}),
            (reverse("logistics:session_finish", args=[self.session.pk]), {}),
        ]
        for url, data in cases:
            self.check_access(url, RECORDERS, method="post", data=data, ok=(200, 302))

    def test_unknown_room_or_day_is_404(self) -> None:
        client = self.client_for("staff")
        assert client.get(self.room_url("checkin", self.world.practical_room)).status_code == 404
        url = reverse("logistics:checks", args=[self.world.round.pk, self.world.site.pk, "2001-01-01"])
        assert client.get(url).status_code == 404
        url = reverse("logistics:checks", args=[self.world.round.pk, self.world.site.pk, "not-a-day"])
        assert client.get(url).status_code == 404

    def test_supervisor_of_the_enterprise_may_record(self) -> None:
        client = self.as_supervisor()
        assert client.get(reverse("logistics:examday", args=[self.world.round.pk])).status_code == 200
        assert client.get(self.room_url("checkin")).status_code == 200


class TestHubAndChecks(ExamDayCase):
    def test_hub_shows_rooms_and_badges(self) -> None:
        response = self.client_for("staff").get(reverse("logistics:examday", args=[self.world.round.pk]))
        html = response.content.decode()
        assert "第1考场" in html and "第2考场" in html
        assert "违纪待认定 2" in html and "签到 0/3" in html
        assert self.room_url("checkin") in html and self.site_url("supervision") in html

    def test_authority_reads_without_forms(self) -> None:
        html = self.client_for("city").get(self.site_url("checks")).content.decode()
        assert "只读" in html and "?kind=" not in html
        html = self.client_for("city").get(self.room_url("checkin")).content.decode()
        assert 'name="q"' not in html and 'data-testid="seat-list"' in html
        html = self.client_for("city").get(self.room_url("room_log")).content.decode()
        assert 'data-testid="add-log"' not in html
        assert (
            'data-testid="add-log"'
            in self.client_for("staff").get(self.room_url("room_log")).content.decode()
        )

    def test_record_envelope_check_needs_problem_when_count_differs(self) -> None:
        client = self.client_for("staff")
        url = self.site_url("checks") + f"?kind=envelopes&session={self.session.pk}&room={self.room1.pk}"  # type: ignore[attr-defined]
        response = client.post(url, {"ok": "1", "count": "5"})
        assert response.status_code == 200 and "与第1考场的考生数3人不一致" in response.content.decode()
        response = client.post(url, {"ok": "1", "count": "3"})
        assert response.status_code == 302
        assert Check.objects.filter(kind=CheckKind.ENVELOPES, count=3, room=self.room1).exists()

    def test_supervisor_check_button_only_for_supervisors(self) -> None:
        html = self.client_for("staff").get(self.site_url("checks")).content.decode()
        assert "kind=supervisor_check" not in html
        assert (
            self.client_for("staff").get(self.site_url("checks") + "?kind=supervisor_check").status_code
            == 200
        )
        html = self.as_supervisor().get(self.site_url("checks")).content.decode()
        assert "kind=supervisor_check" in html
        response = self.client_for("staff").post(
            self.site_url("checks") + "?kind=supervisor_check", {"ok": "1"}
        )
        assert "督导检查只能由内部质量督导员登记" in response.content.decode()

    def test_attachment_is_served_decrypted(self) -> None:
        response = self.client_for("city").get(reverse("logistics:check_attachment", args=[self.check.pk]))
        assert response["Content-Type"] == "application/pdf" and response.content == PDF


class TestCheckIn(ExamDayCase):
    def test_search_shows_photo_masked_id_and_seat(self) -> None:
        client = self.client_for("staff")
        html = client.get(self.room_url("checkin"), {"q": "T0001"}).content.decode()
        app = self.seats[0].application
        assert app.name in html and app.person.id_number_masked in html
        assert reverse("logistics:checkin_photo", args=[self.seats[0].pk]) in html
        assert app.person.reveal_id_number() not in html
        photo = client.get(reverse("logistics:checkin_photo", args=[self.seats[0].pk]))
        assert photo.content == PNG and photo["Cache-Control"] == "private, no-store"

    def test_search_by_id_number_through_htmx(self) -> None:
        app = self.seats[2].application
        response = self.client_for("staff").get(
            self.room_url("checkin"), {"q": app.person.reveal_id_number()}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert "<html" not in html and 'data-testid="check-in"' in html and app.name in html

    def test_candidate_of_another_room_is_sent_there(self) -> None:
        html = self.client_for("staff").get(self.room_url("checkin"), {"q": "T0004"}).content.decode()
        assert "不在本考场，请到第2考场 01号座位" in html and 'data-testid="check-in"' not in html

    def test_plain_post_checks_in_then_refuses_twice(self) -> None:
        client = self.client_for("staff")
        data = {"action": "check_in", "seat": self.seats[0].pk}
        response = client.post(self.room_url("checkin"), data, follow=True)
        assert "已签到" in response.content.decode()
        seat = Seat.objects.get(pk=self.seats[0].pk)
        assert seat.attendance == Attendance.PRESENT and seat.checked_in_by_id == self.w.users["staff"].pk
        response = self.client_for("owner").post(self.room_url("checkin"), data, follow=True)
        staff = str(self.w.users["staff"])
        assert f"由{staff}签到，无需重复签到" in response.content.decode()

    def test_htmx_post_returns_the_panel(self) -> None:
        response = self.client_for("staff").post(
            self.room_url("checkin"), {"action": "check_in", "seat": self.seats[1].pk}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'data-testid="checkin-note"' in html and "已签到 1/3" in html

    def test_wrong_room_post_is_refused(self) -> None:
        response = self.client_for("staff").post(
            self.room_url("checkin"), {"action": "check_in", "seat": self.seats[4].pk}, follow=True
        )
        assert "该考生不在本考场，请到第2考场" in response.content.decode()
        assert Seat.objects.get(pk=self.seats[4].pk).attendance == Attendance.PENDING

    def test_mark_absent(self) -> None:
        response = self.client_for("staff").post(self.room_url("checkin"), {"action": "absent"}, follow=True)
        # The world's session is days ahead: refused before the start.
        assert "后才能登记缺考" in response.content.decode()
        assert not Seat.objects.filter(attendance=Attendance.ABSENT).exists()


class TestRecords(ExamDayCase):
    def test_room_log_entry(self) -> None:
        client = self.client_for("staff")
        response = client.post(
            self.room_url("room_log"), {"kind": LogKind.PAPERS_OUT, "at": "09:05", "text": "发放试卷"}
        )
        assert response.status_code == 302
        entry = RoomLogEntry.objects.get()
        assert (
            timezone.localtime(entry.at).strftime("%H:%M") == "09:05" and entry.at.date() == self.session.day
        )
        response = client.post(self.room_url("room_log"), {"kind": LogKind.EQUIPMENT_FAULT, "text": "灯坏"})
        assert "设备故障须写明处理人" in response.content.decode()

    def test_violation_with_evidence(self) -> None:
        response = self.client_for("staff").post(
            self.room_url("violations"),
            {
                "seat": self.seats[2].pk,
                "kind": ViolationKind.COPYING,
                "description": "偷看邻座",
                "evidence": SimpleUploadedFile("e.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10),
            },
        )
        assert response.status_code == 302
        v = Violation.objects.get(seat=self.seats[2])
        evidence = self.client_for("city").get(reverse("logistics:violation_evidence", args=[v.pk]))
        assert evidence["Content-Type"] == "image/jpeg"
        # Evidence is the candidate's personal data: every opening is in the ledger, with who opened it.
        seen = AuditEvent.objects.filter(action="violation.evidence_view", object_id=str(v.pk))
        assert seen.count() == 1 and seen.get().actor_id == self.w.users["city"].pk

    def test_seat_of_another_room_is_not_offered(self) -> None:
        response = self.client_for("staff").post(
            self.room_url("violations"), {"seat": self.seats[4].pk, "kind": "other", "description": "x"}
        )
        assert response.status_code == 200 and not Violation.objects.filter(seat=self.seats[4]).exists()

    def test_ruling_by_supervisor_only_and_once(self) -> None:
        url = reverse("logistics:violation_rule", args=[self.violation.pk])
        html = self.client_for("staff").get(url).content.decode()
        assert 'data-testid="rule"' not in html
        response = self.client_for("staff").post(url, {"ruling": "warning", "note": "x"}, follow=True)
        assert "只能由内部质量督导员认定" in response.content.decode()
        client = self.as_supervisor()
        response = client.post(url, {"ruling": "warning"})
        assert "须写明认定意见" in response.content.decode()
        response = client.post(url, {"ruling": "warning", "note": "初犯，警告"})
        assert response.status_code == 302
        response = client.post(url, {"ruling": "dismissed"}, follow=True)
        assert "不能更改" in response.content.decode()
        assert Violation.objects.get(pk=self.violation.pk).ruling == Ruling.WARNING

    def test_seal_over_count_and_finish_refused(self) -> None:
        client = self.client_for("staff")
        response = client.post(
            self.room_url("seals"), {"kind": "papers", "count": 4, "seal_no": "F1", "handed_over_to": "王"}
        )
        assert "超过第1考场的考生数3人" in response.content.decode()
        response = client.post(
            self.room_url("seals"), {"kind": "papers", "count": 3, "seal_no": "F1", "handed_over_to": "王"}
        )
        assert response.status_code == 302 and MaterialSeal.objects.count() == 1
        html = client.get(self.room_url("seals")).content.decode()
        assert "第1考场未登记密封：签到表" in html and "第2考场有3名考生未签到" in html
        response = client.post(
            reverse("logistics:session_finish", args=[self.session.pk]),
            {"room": self.room1.pk},
            follow=True,  # type: ignore[attr-defined]
        )
        assert "场次还不能结束" in response.content.decode()


class TestSupervision(ExamDayCase):
    def test_second_form_is_refused_with_the_first(self) -> None:
        response = self.as_supervisor().post(
            self.site_url("supervision"), {"overall": "good", "evaluation": "再填一份"}, follow=True
        )
        html = response.content.decode()
        assert "已提交，每个考点每天只填一份" in html
        assert reverse("logistics:supervision_pdf", args=[self.report.pk]) in html
        assert SupervisionReport.objects.count() == 1

    def test_pdf(self) -> None:
        response = self.client_for("province").get(
            reverse("logistics:supervision_pdf", args=[self.report.pk])
        )
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


class TestSupervisionForm(AccessCase):
    def test_supervisor_submits_the_form(self) -> None:
        world = exam_world(self.w.ent_a, candidates=2)
        session = theory_session(world)
        sup = grant(UserFactory(organisation=self.w.ent_a), Role.SUPERVISOR)
        client = login(Client(), sup)
        url = reverse("logistics:supervision", args=[world.round.pk, world.site.pk, session.day.isoformat()])
        html = client.get(url).content.decode()
        assert 'data-testid="submit-report"' in html
        data = {k: "1" for k in ("attendance_ok", "briefing_ok", "papers_ok", "rooms_ok")}
        data.update({"scoring_ok": "0", "overall": "fair", "evaluation": "总体规范"})
        assert "须写明发现的问题" in client.post(url, data).content.decode()
        data["problems"] = "一名考评员未按评分记录表逐项记分，已纠正"
        assert client.post(url, data).status_code == 302
        report = SupervisionReport.objects.get(round=world.round)
        assert not report.scoring_ok and report.author == sup
        assert 'data-testid="submit-report"' not in self.client_for("owner").get(url).content.decode()
