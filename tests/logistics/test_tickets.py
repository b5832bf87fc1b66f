"""Admission tickets: R5.2, everyone seated first, stable unique numbers, the PDFs and the home page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.enrollment.models import ApplicationStatus
from skillcert.logistics.models import HouseRules, Ticket
from skillcert.logistics.services.seating import seating_assign
from skillcert.logistics.services.tickets import DEFAULT_ROOM_RULES, ticket_issue_all, ticket_pdf
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, RoundFactory
from tests.logistics.factories import exam_world, practical_session, theory_session
from tests.rounds.helpers import pdf_text

ROUND_READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (413, 579), (200, 40, 40)).save(buf, "JPEG")
    return buf.getvalue()


class TicketCase(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = exam_world(cls.w.ent_a, candidates=6)
        cls.round = cls.world.round
        # The persona `candidate` (person_a) is one of the approved candidates.
        cls.mine = ApplicationFactory(
            offering=cls.world.offering,
            person=cls.w.person_a,
            employee=cls.w.emp_a,
            status=ApplicationStatus.APPROVED,
        )
        cls.mine.set_photo(jpeg(), "image/jpeg")
        cls.mine.save(update_fields=["photo_enc", "photo_type"])
        cls.theory = theory_session(cls.world)
        cls.practical = practical_session(cls.world)
        staff = cls.w.users["staff"]
        seating_assign(actor=staff, session=cls.theory)
        seating_assign(actor=staff, session=cls.practical)


class TestTicketService(TicketCase):
    def test_issue_numbers_unique_and_stable(self) -> None:
        first = ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        assert (first.created, first.kept) == (7, 0)
        numbers = dict(Ticket.objects.filter(round=self.round).values_list("application_id", "number"))
        assert len(set(numbers.values())) == 7
        prefix = f"{self.round.year:04d}{self.round.enterprise_id:04d}"
        assert all(n.startswith(prefix) and len(n) == 13 for n in numbers.values())
        again = ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        assert (again.created, again.kept) == (0, 7)
        assert (
            dict(Ticket.objects.filter(round=self.round).values_list("application_id", "number")) == numbers
        )
        assert AuditEvent.objects.filter(action="ticket.issue").count() == 2

    def test_second_round_of_the_year_continues_the_sequence(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        other = RoundFactory(enterprise=self.w.ent_a, year=self.round.year)
        offering = type(self.world.offering).objects.create(
            round=other,
            occupation=self.world.offering.occupation,
            level=self.world.offering.level,
            standard=self.world.offering.standard,
        )
        app = ApplicationFactory(offering=offering, status=ApplicationStatus.APPROVED)
        CertificationPlan.objects.create(round=other, status=CertificationPlanStatus.CONFIRMED)
        from tests.logistics.factories import ExamSessionFactory

        session = ExamSessionFactory(round=other, site=self.world.site, offerings=[offering])
        seating_assign(actor=self.w.users["staff"], session=session)
        ticket_issue_all(actor=self.w.users["staff"], round=other)
        assert Ticket.objects.get(application=app).number.endswith("00008")

    def test_refused_before_the_plan_is_confirmed(self) -> None:
        CertificationPlan.objects.filter(round=self.round).update(status=CertificationPlanStatus.SUBMITTED)
        with pytest.raises(RuleViolation, match="生成准考证") as exc:
            ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        assert exc.value.rule == "R5.2"
        assert not Ticket.objects.exists()

    def test_refused_while_someone_has_no_seat_and_says_who_and_where(self) -> None:
        late = ApplicationFactory(
            offering=self.world.offering, name="迟到者", status=ApplicationStatus.APPROVED
        )
        with pytest.raises(RuleViolation) as exc:
            ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        assert "迟到者" in str(exc.value) and self.world.site.name in str(exc.value)
        assert "未安排座位" in str(exc.value)
        assert not Ticket.objects.exists()
        late.delete()

    def test_pdf_shows_the_ticket(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        ticket = Ticket.objects.get(application=self.mine)
        text = pdf_text(ticket_pdf(actor=self.w.users["candidate"], ticket=ticket))
        assert "准考证" in text and ticket.number in text
        assert self.mine.name in text and self.w.person_a.id_number_masked in text
        assert self.w.person_a.reveal_id_number() not in text
        assert self.world.offering.occupation.name in text and "三级" in text
        assert self.world.site.address in text and "实训车间A区" in text
        assert "09:00" in text and "13:30" in text
        assert DEFAULT_ROOM_RULES.splitlines()[0][:12] in text
        assert AuditEvent.objects.filter(action="ticket.print", object_id=str(ticket.pk)).exists()

    def test_pdf_uses_the_enterprise_room_rules(self) -> None:
        HouseRules.objects.create(
            enterprise=self.w.ent_a,
            site_requirements="-",
            duties="-",
            procedures="-",
            room_rules="考生须提前30分钟到达考点。",
            violation_rules="-",
            emergency="-",
        )
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        ticket = Ticket.objects.get(application=self.mine)
        text = pdf_text(ticket_pdf(actor=self.w.users["staff"], ticket=ticket))
        assert "考生须提前30分钟到达考点" in text


class TestTicketPages(TicketCase):
    def test_list_access(self) -> None:
        self.check_access(reverse("logistics:tickets", args=[self.round.pk]), ROUND_READERS)

    def test_issue_access(self) -> None:
        url = reverse("logistics:tickets_issue", args=[self.round.pk])
        self.check_access(url, WRITERS, method="post", ok=(302,))
        assert Ticket.objects.filter(round=self.round).count() == 7

    def test_issue_refused_shows_the_reason(self) -> None:
        CertificationPlan.objects.filter(round=self.round).update(status=CertificationPlanStatus.RETURNED)
        response = self.client_for("owner").post(
            reverse("logistics:tickets_issue", args=[self.round.pk]), follow=True
        )
        body = response.content.decode()
        assert "认定计划尚未经人社部门确认，不能生成准考证" in body

    def test_batch_pdf_access_and_pages(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        url = reverse("logistics:tickets_pdf", args=[self.round.pk])
        self.check_access(url, ROUND_READERS)
        response = self.request_as("staff", "get", url)
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert text.count("准考证号") == 7

    def test_ticket_pdf_access(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        ticket = Ticket.objects.get(application=self.mine)
        self.check_access(reverse("logistics:ticket_pdf", args=[ticket.pk]), ROUND_READERS)

    def test_my_ticket_only_for_the_candidate(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        mine = Ticket.objects.get(application=self.mine)
        self.check_access(reverse("logistics:my_ticket_pdf", args=[mine.pk]), ["candidate"])
        someone_else = Ticket.objects.exclude(pk=mine.pk).first()
        assert someone_else is not None
        url = reverse("logistics:my_ticket_pdf", args=[someone_else.pk])
        assert self.request_as("candidate", "get", url).status_code == 404

    def test_home_page_lists_the_candidates_ticket(self) -> None:
        body = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert 'data-testid="candidate-tickets"' not in body  # nothing issued yet
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        mine = Ticket.objects.get(application=self.mine)
        body = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert 'data-testid="candidate-tickets"' in body and mine.number in body
        assert reverse("logistics:my_ticket_pdf", args=[mine.pk]) in body

    def test_withdrawn_candidate_loses_the_ticket_from_view(self) -> None:
        ticket_issue_all(actor=self.w.users["staff"], round=self.round)
        mine = Ticket.objects.get(application=self.mine)
        self.mine.status = ApplicationStatus.WITHDRAWN
        self.mine.save(update_fields=["status"])
        url = reverse("logistics:my_ticket_pdf", args=[mine.pk])
        assert self.request_as("candidate", "get", url).status_code == 404
