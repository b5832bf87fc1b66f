"""The logistics documents: arrangement tables (attachment 4), badges, door lists, sign-in sheets and the
handbook (attachment 5), built from data; who may download them; every download audited (R6.2, R6.5, R6.7)."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib
from datetime import time, timedelta

import pytest
from django.urls import reverse

from skillcert.catalog.models import ModuleKind
from skillcert.core.documents import read_xlsx
from skillcert.core.models import AuditEvent, Organisation, Person
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.logistics import documents as docs
from skillcert.logistics.documents_docx import arrangement_docx, handbook_docx
from skillcert.logistics.models import (
    Delivery,
    ExamSession,
    HouseRules,
    Room,
    RoomKind,
    Seat,
    StaffAssignment,
    StaffPlan,
    StaffPlanStatus,
    StaffRole,
    Ticket,
)
from skillcert.rounds.models import Round
from skillcert.rounds.plans import AssessmentPlan
from tests.base import AccessCase
from tests.enrollment.factories import EnterpriseFactory, OfferingFactory, RoundFactory
from tests.factories import PersonFactory
from tests.logistics.factories import (
    ExamSessionFactory,
    ExamWorld,
    RoomFactory,
    exam_world,
    practical_session,
    theory_session,
)

VIEWERS = ["owner", "staff", "city", "city_admin", "province"]


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def docx_text(data: bytes) -> str:
    from docx import Document

    d = Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def png(width: int = 25, height: int = 35, rgb: tuple[int, int, int] = (90, 120, 160)) -> bytes:
    """A small solid-colour PNG, made here (a staff photo for the badge)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class DocWorld:
    """exam_world plus a theory, a practical and a review session, seats, tickets and a saved staff plan."""

    def __init__(self, enterprise: Organisation) -> None:
        self.w: ExamWorld = exam_world(enterprise, candidates=12)
        w = self.w
        self.round = w.round
        self.room1, self.room2 = w.theory_rooms
        self.review_room = RoomFactory(site=w.site, name="综合评审室", kind=RoomKind.REVIEW, capacity=10)
        self.theory = theory_session(w)
        self.practical = practical_session(w)
        self.review = ExamSessionFactory(
            round=w.round,
            site=w.site,
            module=ModuleKind.REVIEW,
            delivery=Delivery.ONSITE,
            day=w.round.evaluation_starts + timedelta(days=1),
            starts=time(9, 0),
            ends=time(11, 0),
            offerings=[w.offering],
        )
        apps = w.applications
        for i, app in enumerate(apps):
            Ticket.objects.create(application=app, round=w.round, number=f"T2026{i + 1:04d}")
            room = self.room1 if i < 6 else self.room2
            Seat.objects.create(session=self.theory, application=app, room=room, number=i % 6 + 1)
            if i < 10:
                Seat.objects.create(
                    session=self.practical, application=app, room=w.practical_room, number=i + 1
                )
            if i < 4:
                Seat.objects.create(session=self.review, application=app, room=self.review_room, number=i + 1)
        self.plan = StaffPlan.objects.create(round=w.round, status=StaffPlanStatus.SAVED)
        self.people: dict[str, Person] = {}
        site = w.site
        self.add("赵志强", StaffRole.HEAD)
        self.add("钱丽华", StaffRole.PROCTOR, self.theory, self.room1)
        self.add("孙伟", StaffRole.PROCTOR, self.theory, self.room1)
        self.add("李娜", StaffRole.PROCTOR, self.theory, self.room2)
        self.add("周杰", StaffRole.PROCTOR, self.theory, self.room2)
        self.add("吴敏", StaffRole.TALLYER, self.practical, w.practical_room)
        self.add("郑海涛", StaffRole.ASSESSOR, self.practical, w.practical_room, leader=True)
        self.add("王磊", StaffRole.ASSESSOR, self.practical, w.practical_room)
        self.add("冯静", StaffRole.ASSESSOR, self.practical, w.practical_room)
        self.add("陈光明", StaffRole.ASSESSOR, self.review, self.review_room, leader=True)
        self.add("褚文", StaffRole.ASSESSOR, self.review, self.review_room)
        self.add("卫红", StaffRole.ASSESSOR, self.review, self.review_room)
        self.add("蒋芳", StaffRole.TALLYER, self.review, self.review_room)
        StaffAssignment.objects.create(
            plan=self.plan,
            person=self.person("沈国栋"),
            role=StaffRole.SUPERVISOR,
            site=site,
            day=self.theory.day,
        )
        photo = self.people["郑海涛"]
        photo.set_photo(png(), "image/png")
        photo.save(update_fields=["photo_enc", "photo_type"])

    def person(self, name: str) -> Person:
        if name not in self.people:
            self.people[name] = PersonFactory(name=name)
        return self.people[name]

    def add(
        self,
        name: str,
        role: str,
        session: ExamSession | None = None,
        room: Room | None = None,
        *,
        leader: bool = False,
    ) -> None:
        StaffAssignment.objects.create(
            plan=self.plan,
            person=self.person(name),
            role=role,
            site=self.w.site,
            session=session,
            room=room,
            is_leader=leader,
        )

    def full_ids(self) -> list[str]:
        return [a.person.reveal_id_number() for a in self.w.applications]


class DocCase(AccessCase):
    d: DocWorld

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.d = DocWorld(cls.w.ent_a)

    def bare_round(self) -> Round:
        """Another round of enterprise A with one offering and nothing arranged yet."""
        return OfferingFactory(round=RoundFactory(enterprise=self.w.ent_a)).round

    def url(self, name: str, **kw: object) -> str:
        return reverse(f"logistics:{name}", kwargs={"pk": self.d.round.pk, **kw})


# --- attachment 4 ---------------------------------------------------------------------------------


class TestArrangement(DocCase):
    def test_skill_variant_lists_panels_and_theory_proctors(self) -> None:
        doc = docs.arrangement_doc(round=self.d.round, variant="skill")
        assert [b.day for b in doc.blocks] == [self.d.theory.day]
        block = doc.blocks[0]
        assert block.candidates == 12  # every candidate sits theory that day
        assert block.place.startswith(self.d.w.site.name)
        (row,) = block.rows
        assert (row.room, row.leader, row.members, row.tallyer) == (
            "实训车间A区",
            "郑海涛",
            "冯静、王磊",
            "吴敏",
        )
        assert row.time == "13:30—16:30" and row.level == "三级/高级工" and row.candidates == 10
        assert row.occupation == self.d.w.offering.occupation.name
        theory = {r.room: r for r in block.theory_rows}
        assert theory["第1考场"].members == "孙伟、钱丽华" and theory["第2考场"].members == "周杰、李娜"
        assert theory["第1考场"].candidates == 6

        text = pdf_text(docs.arrangement_pdf(doc))
        for word in (
            "技能考核考场安排表",
            "考试地点",
            "参评人数",
            "考评组长",
            "考评员",
            "统分人",
            "监考人员",
        ):
            assert word in text
        for name in ("郑海涛", "王磊", "冯静", "吴敏", "钱丽华", "周杰", "实训车间A区", "第2考场"):
            assert name in text
        assert "评审组长" not in text and "陈光明" not in text

    def test_review_variant_has_review_columns_and_only_review_sessions(self) -> None:
        doc = docs.arrangement_doc(round=self.d.round, variant="review")
        assert [b.day for b in doc.blocks] == [self.d.review.day]
        (row,) = doc.blocks[0].rows
        assert (row.room, row.leader, row.members, row.tallyer) == (
            "综合评审室",
            "陈光明",
            "卫红、褚文",
            "蒋芳",
        )
        assert doc.blocks[0].candidates == 4 and not doc.blocks[0].theory_rows
        text = pdf_text(docs.arrangement_pdf(doc))
        for word in ("综合评审考场安排表", "评审组长", "评审人员", "统分人", "陈光明", "褚文", "蒋芳"):
            assert word in text
        assert "考评组长" not in text and "郑海涛" not in text and "监考人员" not in text

    def test_word_and_excel_carry_the_same_rows(self) -> None:
        skill = docs.arrangement_doc(round=self.d.round, variant="skill")
        review = docs.arrangement_doc(round=self.d.round, variant="review")
        text = docx_text(arrangement_docx(skill))
        for word in (
            "考试地点",
            "考评组长",
            "郑海涛",
            "冯静、王磊",
            "吴敏",
            "孙伟、钱丽华",
            "参评人数",
            "12",
        ):
            assert word in text
        assert "评审组长" in docx_text(arrangement_docx(review))
        rows = read_xlsx(docs.arrangement_xlsx(skill))
        assert rows[0][7:10] == ["考评组长", "考评员", "统分人"]
        assert rows[1][3] == "实训车间A区" and rows[1][7] == "郑海涛" and rows[1][9] == "吴敏"
        theory = read_xlsx(docs.arrangement_xlsx(skill), sheet="理论知识考试")
        assert {r[3]: r[7] for r in theory[1:]} == {"第1考场": "孙伟、钱丽华", "第2考场": "周杰、李娜"}
        assert read_xlsx(docs.arrangement_xlsx(review))[0][7:10] == ["评审组长", "评审人员", "统分人"]

    def test_a_round_without_sessions_still_prints_the_empty_form(self) -> None:
        doc = docs.arrangement_doc(round=self.bare_round(), variant="review")
        assert doc.blocks == ()
        assert "尚未安排综合评审场次" in pdf_text(docs.arrangement_pdf(doc))

    def test_unknown_variant_is_404(self) -> None:
        assert (
            self.request_as("owner", "get", self.url("doc_arrangement_pdf", variant="other")).status_code
            == 404
        )


# --- badges ---------------------------------------------------------------------------------------


class TestBadges(DocCase):
    def test_one_badge_per_person_in_their_group_with_the_leader_marked(self) -> None:
        items = docs.badges(round=self.d.round)
        assert len(items) == 14
        by_name = {b.name: b for b in items}
        assert by_name["赵志强"].group == "exam" and by_name["赵志强"].role == "考点负责人"
        assert by_name["钱丽华"].role == "监考人员" and by_name["吴敏"].role == "记分员"
        assert by_name["郑海涛"].group == "assessor" and by_name["郑海涛"].is_leader
        assert not by_name["王磊"].is_leader
        assert by_name["沈国栋"].group == "supervisor" and by_name["沈国栋"].role == "质量督导员"
        assert by_name["郑海涛"].has_photo and by_name["郑海涛"].photo.startswith("data:image/png;base64,")
        assert not by_name["王磊"].has_photo and by_name["王磊"].photo == docs.PLACEHOLDER_PHOTO
        assert [b.group for b in items] == sorted((b.group for b in items), key=docs.GROUPS.index)
        assert {b.colour for b in items} == set(docs.GROUP_COLOUR.values())
        assert {b.name for b in docs.badges(round=self.d.round, group="supervisor")} == {"沈国栋"}

    def test_pdf_has_six_badges_a_page_by_group_with_names_roles_and_the_round(self) -> None:
        pdf = docs.badges_pdf(round=self.d.round, items=docs.badges(round=self.d.round))
        assert pdf_pages(pdf) == 4  # 6 a page, each group on its own sheets: 7 考务, 6 考评, 1 督导
        text = pdf_text(pdf).replace(" ", "")
        for word in (
            "工作证",
            "考务",
            "考评",
            "督导",
            "组长",
            "考点负责人",
            "质量督导员",
            "郑海涛",
            "沈国栋",
            self.d.round.name,
        ):
            assert word in text
        assert self.w.ent_a.name in text

    def test_no_staff_plan_prints_a_sentence_not_an_error(self) -> None:
        other = self.bare_round()
        text = pdf_text(docs.badges_pdf(round=other, items=docs.badges(round=other)))
        assert "尚未编排" in text


# --- door lists and sign-in sheets ----------------------------------------------------------------


class TestRoomSheets(DocCase):
    def test_one_sheet_per_room_and_session_with_masked_ids_only(self) -> None:
        sheets = docs.room_sheets(round=self.d.round)
        assert [(s.room, s.module) for s in sheets] == [
            ("第1考场", "理论知识考试"),
            ("第2考场", "理论知识考试"),
            ("实训车间A区", "操作技能考核"),
            ("综合评审室", "综合评审"),
        ]
        first = sheets[0]
        assert first.proctors == ("孙伟", "钱丽华")
        assert [line.number for line in first.lines] == [1, 2, 3, 4, 5, 6]
        apps = self.d.w.applications
        assert first.lines[0].name == apps[0].name and first.lines[0].ticket == "T20260001"
        assert first.lines[0].id_masked == apps[0].person.id_number_masked and "*" in first.lines[0].id_masked

        for pdf in (docs.door_lists_pdf(sheets), docs.sign_in_pdf(sheets)):
            assert pdf_pages(pdf) == 4
            text = pdf_text(pdf)
            for app in apps:
                assert app.name in text and app.person.id_number_masked in text
            for full in self.d.full_ids():
                assert full not in text
        sign = pdf_text(docs.sign_in_pdf(sheets))
        for word in ("考生签到表", "考生签名", "准考证号", "监考人员签名", "T20260001", "应考"):
            assert word in sign
        door = pdf_text(docs.door_lists_pdf(sheets[:1]))
        assert "第1考场" in door and "座位号" in door and "09:00—10:30" in door

    def test_one_session_only_and_withdrawn_candidates_are_left_out(self) -> None:
        gone = self.d.w.applications[0]
        Application.objects.filter(pk=gone.pk).update(status=ApplicationStatus.WITHDRAWN)
        sheets = docs.room_sheets(round=self.d.round, session=self.d.theory)
        assert [s.room for s in sheets] == ["第1考场", "第2考场"]
        assert gone.name not in [line.name for s in sheets for line in s.lines]

    def test_session_downloads_and_a_session_of_another_round_is_404(self) -> None:
        client = self.client_for("staff")
        url = self.url("doc_sign_in_pdf")
        response = client.get(url, {"session": self.d.review.pk})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        # Names and masked IDs of candidates: never kept in a browser or proxy cache.
        assert response["Cache-Control"] == "private, no-store"
        text = pdf_text(response.content)
        assert "综合评审室" in text and "第1考场" not in text
        foreign = theory_session(exam_world(EnterpriseFactory(authority=self.w.city), candidates=1))
        assert client.get(url, {"session": foreign.pk}).status_code == 404
        assert client.get(url, {"session": "x"}).status_code == 404

    def test_no_seats_redirects_with_a_reason(self) -> None:
        other = self.bare_round()
        url = reverse("logistics:doc_door_lists_pdf", args=[other.pk])
        response = self.client_for("owner").get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("logistics:documents", args=[other.pk])
        assert "还没有编排座位" in response.content.decode()
        assert not AuditEvent.objects.filter(action="logistics_document.print").exists()


# --- attachment 5 ---------------------------------------------------------------------------------


class TestHandbook(DocCase):
    def test_seven_sections_with_plan_sessions_staff_and_edited_house_rules(self) -> None:
        AssessmentPlan.objects.create(
            round=self.d.round,
            process="资格审核、理论考试、技能考核、综合评审、成绩汇总。",
            contingency="雷雨天气时实操考核改在室内进行。",
            contact_name="王老师",
        )
        rules = HouseRules.objects.create(
            enterprise=self.w.ent_a,
            site_requirements="考点设在实训楼。",
            duties="（一）主考职责\n统筹考点全部工作。",
            procedures="监考人员提前40分钟到岗。",
            room_rules="考生须提前20分钟入场，凭证件参加考试。",
            violation_rules="违纪者当场记录，交督导员认定。",
            emergency="停电时启用应急照明。",
        )
        doc = docs.handbook_doc(round=self.d.round, rules=rules, today=self.d.theory.day)
        assert doc.sections == docs.HANDBOOK_SECTIONS and len(doc.sections) == 7
        assert doc.texts["duties"][0].heading and not doc.texts["duties"][1].heading
        assert dict(doc.staff_counts) == {"考务人员": 7, "考评人员": 6, "质量督导员": 1}
        roles = {(s.role, s.name) for s in doc.staff}
        assert (
            ("考评组长", "郑海涛") in roles and ("考评员", "王磊") in roles and ("监考人员", "李娜") in roles
        )

        for text in (pdf_text(docs.handbook_pdf(doc)), docx_text(handbook_docx(doc))):
            compact = text.replace(" ", "")
            for heading in docs.HANDBOOK_SECTIONS:
                assert heading in compact, heading
            for phrase in (
                "考点设在实训楼。",
                "统筹考点全部工作。",
                "监考人员提前40分钟到岗。",
                "考生须提前20分钟入场",
                "违纪者当场记录",
                "停电时启用应急照明。",
                "雷雨天气时实操考核改在室内进行。",
                "资格审核、理论考试",
                "郑海涛",
                "沈国栋",
                "第1考场",
                "综合评审室",
                self.d.w.offering.occupation.name,
            ):
                assert phrase in compact, phrase

    def test_defaults_are_used_until_the_enterprise_edits(self) -> None:
        client = self.client_for("owner")
        response = client.get(self.url("doc_handbook_docx"))
        assert response.status_code == 200
        text = docx_text(response.content)
        assert "考场规则" in text and "考生凭本人有效身份证件和准考证" in text


# --- the page and access --------------------------------------------------------------------------


class TestAccessAndAudit(DocCase):
    def test_every_url_is_for_the_enterprise_and_its_authorities(self) -> None:
        urls = [
            self.url("documents"),
            self.url("doc_arrangement_pdf", variant="skill"),
            self.url("doc_arrangement_docx", variant="review"),
            self.url("doc_arrangement_xlsx", variant="skill"),
            self.url("doc_badges_pdf", group="all"),
            self.url("doc_badges_pdf", group="assessor"),
            self.url("doc_door_lists_pdf"),
            self.url("doc_sign_in_pdf"),
            self.url("doc_handbook_pdf"),
            self.url("doc_handbook_docx"),
        ]
        for url in urls:
            self.check_access(url, VIEWERS)

    def test_posting_to_a_download_is_refused(self) -> None:
        assert self.request_as("owner", "post", self.url("doc_handbook_pdf")).status_code == 405

    def test_each_download_is_audited_with_the_document(self) -> None:
        client = self.client_for("city")
        client.get(self.url("doc_arrangement_xlsx", variant="review"))
        client.get(self.url("doc_badges_pdf", group="exam"))
        client.get(self.url("doc_door_lists_pdf"), {"session": self.d.theory.pk})
        events = list(AuditEvent.objects.filter(action="logistics_document.print").order_by("seq"))
        assert [(e.summary["document"], e.summary["format"]) for e in events] == [
            ("arrangement_review", "xlsx"),
            ("badges_exam", "pdf"),
            ("door_lists", "pdf"),
        ]
        assert events[2].summary["session"] == self.d.theory.pk
        assert {e.object_id for e in events} == {str(self.d.round.pk)}
        assert events[0].actor_id == self.w.users["city"].pk

    def test_page_lists_every_document_and_each_session(self) -> None:
        response = self.client_for("staff").get(self.url("documents"))
        html = response.content.decode()
        for key in ("arrangement_skill", "arrangement_review", "badges", "door_lists", "sign_in", "handbook"):
            assert f'data-doc="{key}"' in html
        for name in ("doc_arrangement_docx", "doc_arrangement_xlsx", "doc_handbook_docx"):
            variant = {"variant": "skill"} if "arrangement" in name else {}
            assert self.url(name, **variant) in html
        assert f"?session={self.d.practical.pk}" in html
        assert "编辑考务手册文本" in html
        assert "查看考务手册文本" in self.client_for("city").get(self.url("documents")).content.decode()
