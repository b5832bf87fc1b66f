"""The logistics API: sessions with rooms and seat counts, and the staff plan, from every side."""

from __future__ import annotations

from django.test import Client

from skillcert.core.models import Person
from skillcert.filings.models import RelationKind
from skillcert.logistics.services import staffing as services
from tests.core.test_api import API, ApiCase
from tests.logistics.test_staffing import Staffed, panel_assessor, relate, staffed_world

READERS = ["owner", "staff", "city", "city_admin", "province"]


class LogisticsApiCase(ApiCase):
    s: Staffed

    def setUp(self) -> None:
        self.s = staffed_world(self.w.ent_a)
        self.pk = self.s.round.pk


class TestAccess(LogisticsApiCase):
    def test_sessions_and_staff_plan_are_read_by_staff_and_authorities(self) -> None:
        for path in (f"/logistics/rounds/{self.pk}/sessions", f"/logistics/rounds/{self.pk}/staff-plan"):
            self.check_access(f"{API}{path}", READERS, anonymous=(401,))

    def test_tokens_see_their_own_tenancy(self) -> None:
        for path in (f"/logistics/rounds/{self.pk}/sessions", f"/logistics/rounds/{self.pk}/staff-plan"):
            assert self.get(path, self.raw_a).status_code == 200
            assert self.get(path, self.raw_city).status_code == 200
            assert self.get(path, self.raw_b).status_code == 404

    def test_missing_and_foreign_answer_alike(self) -> None:
        missing = self.get("/logistics/rounds/999999/staff-plan", self.raw_a)
        foreign = self.get(f"/logistics/rounds/{self.pk}/staff-plan", self.raw_b)
        assert missing.status_code == foreign.status_code == 404
        assert missing.json() == foreign.json()
        assert self.get("/logistics/rounds/0/sessions", self.raw_a).status_code == 422


class TestContent(LogisticsApiCase):
    def test_sessions_list_rooms_with_seat_counts(self) -> None:
        body = self.get(f"/logistics/rounds/{self.pk}/sessions", self.raw_a).json()
        assert body["count"] == 2
        theory, practical = body["items"]
        assert theory["id"] == self.s.theory.pk and theory["module"] == "theory"
        assert [(r["name"], r["seats"]) for r in theory["rooms"]] == [("第1考场", 5), ("第2考场", 5)]
        assert practical["rooms"] == [
            {
                "id": self.s.world.practical_room.pk,
                "name": "实训车间A区",
                "kind": "practical",
                "capacity": 10,
                "seats": 10,
            }
        ]
        assert practical["offerings"] == [str(self.s.world.offering)]

    def test_staff_plan_before_and_after_generation(self) -> None:
        empty = self.get(f"/logistics/rounds/{self.pk}/staff-plan", self.raw_a).json()
        assert empty["status"] == "empty" and empty["assignments"] == [] and empty["findings"] == []
        plan = services.staff_plan_generate(actor=self.w.users["owner"], round=self.s.round, time_limit=10)
        body = self.get(f"/logistics/rounds/{self.pk}/staff-plan", self.raw_city).json()
        assert body["status"] == "draft" and body["objective"] == plan.objective
        assert body["baseline_objective"] == plan.baseline_objective
        assert len(body["assignments"]) == plan.assignments.count()
        leader = [a for a in body["assignments"] if a["is_leader"]]
        assert (
            len(leader) == 1 and leader[0]["role"] == "assessor" and leader[0]["room_name"] == "实训车间A区"
        )
        first = body["assignments"][0]
        assert first["name"] == Person.objects.get(pk=first["person_id"]).name
        raw = str(body)
        for person in Person.objects.filter(pk__in=[a["person_id"] for a in body["assignments"]]):
            assert person.id_number_masked not in raw  # names only, no ID numbers
        assert not any(k.startswith("id_number") for a in body["assignments"] for k in a)

    def test_findings_and_explanations(self) -> None:
        plan = services.staff_plan_generate(actor=self.w.users["owner"], round=self.s.round, time_limit=10)
        spare = next(a for a in self.s.assessors if not plan.assignments.filter(person=a.person).exists())
        relate(spare.person_id, self.s.world.applications[0].person_id, self.w.ent_a, RelationKind.SAME_TEAM)
        services.staff_assignment_move(
            actor=self.w.users["owner"], assignment=panel_assessor(plan, self.s), person=spare.person
        )
        body = self.get(f"/logistics/rounds/{self.pk}/staff-plan", self.raw_a).json()
        finding = next(f for f in body["findings"] if f["code"] == "recusal")
        assert finding["rule"] == "R6.4" and finding["person_id"] == spare.person_id
        assert finding["unit_key"] == f"{self.s.practical.pk}:{self.s.world.practical_room.pk}"
        assert body["explanations"] == []

    def test_infeasible_explanations(self) -> None:
        for member in self.s.assessors[1:]:
            member.delete()
        services.staff_plan_generate(actor=self.w.users["owner"], round=self.s.round, time_limit=10)
        body = self.get(f"/logistics/rounds/{self.pk}/staff-plan", self.raw_a).json()
        assert body["status"] == "empty" and body["explanations"]
        assert any("考评员" in e for e in body["explanations"])


class TestSchema(ApiCase):
    def test_operations_are_documented(self) -> None:
        schema = Client().get(f"{API}/openapi.json").json()
        for path in ("/rounds/{id}/sessions", "/rounds/{id}/staff-plan"):
            op = schema["paths"][f"{API}/logistics{path}"]["get"]
            assert op["summary"] and op["description"]
            assert {"200", "401", "404"} <= set(op["responses"])
        for name in ("SessionOut", "RoomSeatsOut", "StaffPlanOut", "AssignmentOut", "FindingOut"):
            props = schema["components"]["schemas"][name]["properties"]
            assert all(spec.get("description") for spec in props.values()), name
        assert "id_number" not in schema["components"]["schemas"]["AssignmentOut"]["properties"]
