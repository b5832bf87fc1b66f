"""Pages of the staff plan: access from every side, generate with progress, move, findings, refused save."""

from __future__ import annotations

from django.urls import reverse

from skillcert.core.models import AuditEvent, JobProgress, JobStatus
from skillcert.filings.models import RelationKind
from skillcert.logistics.models import StaffAssignment, StaffPlan, StaffPlanStatus, StaffRole
from skillcert.logistics.services import staffing as services
from tests.base import AccessCase
from tests.logistics.test_staffing import Staffed, assessor, panel_assessor, relate, staffed_world

READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]


class StaffingCase(AccessCase):
    s: Staffed

    def setUp(self) -> None:
        self.s = staffed_world(self.w.ent_a)
        self.pk = self.s.round.pk

    def url(self, name: str, *args: object) -> str:
        return reverse(f"logistics:{name}", args=args or [self.pk])

    def generated(self) -> StaffPlan:
        return services.staff_plan_generate(actor=self.w.users["owner"], round=self.s.round, time_limit=10)


class TestAccess(StaffingCase):
    def test_page_is_read_by_enterprise_staff_and_authorities_in_jurisdiction(self) -> None:
        self.generated()
        self.check_access(self.url("staffing"), READERS)

    def test_generate_settings_and_save_are_for_managers(self) -> None:
        self.check_access(self.url("staffing_generate"), WRITERS, method="post", ok=(302,))
        data = {
            "recuse_same_department": "on",
            "rotation_rounds": 3,
            "weight_rotation": 10,
            "weight_balance": 3,
            "weight_distance": 2,
        }
        self.check_access(self.url("staffing_settings"), WRITERS, method="post", data=data, ok=(302,))
        self.check_access(self.url("staffing_save"), WRITERS, method="post", ok=(302,))

    def test_edit_page_and_move_are_for_managers(self) -> None:
        plan = self.generated()
        row = panel_assessor(plan, self.s)
        url = self.url("staffing_edit", row.pk)
        self.check_access(url, WRITERS)
        spare = [a.person for a in self.s.assessors if not plan.assignments.filter(person=a.person).exists()]
        for persona in ("outsider", "city", "city_admin", "province", "candidate", "other_city", "sysadmin"):
            assert self.request_as(persona, "post", url, {"person": spare[0].pk}).status_code == 404
        assert self.request_as("anonymous", "post", url, {"person": spare[0].pk}).status_code == 302
        assert StaffAssignment.objects.get(pk=row.pk).person_id == row.person_id
        assert self.request_as("staff", "post", url, {"person": spare[0].pk}).status_code == 302
        assert StaffAssignment.objects.get(pk=row.pk).person_id == spare[0].pk

    def test_remove_is_for_managers(self) -> None:
        plan = self.generated()
        row = plan.assignments.filter(role=StaffRole.PROCTOR).first()
        assert row is not None
        url = self.url("staffing_remove", row.pk)
        for persona in ("outsider", "city", "province", "candidate", "sysadmin"):
            assert self.request_as(persona, "post", url).status_code == 404
        assert self.request_as("anonymous", "post", url).status_code == 302
        assert StaffAssignment.objects.filter(pk=row.pk).exists()
        assert self.request_as("staff", "post", url).status_code == 302
        assert not StaffAssignment.objects.filter(pk=row.pk).exists()

    def test_progress_is_for_the_job_creator(self) -> None:
        response = self.request_as("owner", "post", self.url("staffing_generate"))
        job = JobProgress.objects.get(kind__endswith=f":{self.pk}")
        url = self.url("staffing_progress", self.pk, job.pk)
        self.check_access(url, ["owner"])
        assert response.status_code == 302

    def test_read_only_page_has_no_write_controls(self) -> None:
        self.generated()
        html = self.request_as("city", "get", self.url("staffing")).content.decode()
        assert 'data-testid="staffing-result"' in html
        for testid in ("staffing-generate", "assignment-move", "staffing-save", "settings-save"):
            assert f'data-testid="{testid}"' not in html


class TestFlow(StaffingCase):
    def test_generate_move_into_recusal_and_see_the_save_refused(self) -> None:
        client = self.client_for("owner")
        response = client.post(self.url("staffing_generate"))
        assert response.status_code == 302 and "?job=" in response["Location"]
        page = client.get(response["Location"])
        html = page.content.decode()
        assert 'data-testid="staffing-progress"' in html and 'data-status="done"' in html
        assert 'data-testid="staffing-result"' in html and 'data-testid="findings-ok"' in html
        plan = StaffPlan.objects.get(round=self.s.round)
        assert f'data-testid="objective">{plan.objective}<' in html
        assert f'data-testid="baseline-objective">{plan.baseline_objective}<' in html
        assert "组长" in html and "考点负责人" in html and 'data-testid="load"' in html

        row = panel_assessor(plan, self.s)
        spare = next(a for a in self.s.assessors if not plan.assignments.filter(person=a.person).exists())
        candidate = self.s.world.applications[0]
        relate(spare.person_id, candidate.person_id, self.w.ent_a, RelationKind.RELATIVE)
        edit = client.get(self.url("staffing_edit", row.pk)).content.decode()
        assert f'value="{spare.person_id}"' in edit and 'data-testid="move-person"' in edit
        moved = client.post(self.url("staffing_edit", row.pk), {"person": spare.person_id}, follow=True)
        html = moved.content.decode()
        assert 'data-testid="findings"' in html and 'data-code="recusal"' in html
        assert spare.person.name in html and "须回避" in html
        plan.refresh_from_db()
        assert plan.status == StaffPlanStatus.DRAFT

        refused = client.post(self.url("staffing_save"))
        assert refused.status_code == 422
        html = refused.content.decode()
        assert 'data-testid="save-error"' in html and "不能保存" in html and spare.person.name in html
        assert AuditEvent.objects.filter(action="staff_plan.save_refused").exists()
        plan.refresh_from_db()
        assert plan.status == StaffPlanStatus.DRAFT

    def test_generate_then_save(self) -> None:
        client = self.client_for("staff")
        client.post(self.url("staffing_generate"))
        response = client.post(self.url("staffing_save"), follow=True)
        assert response.status_code == 200
        assert StaffPlan.objects.get(round=self.s.round).status == StaffPlanStatus.SAVED
        assert 'data-status="saved"' in response.content.decode()

    def test_edit_offers_only_qualified_assessors(self) -> None:
        plan = self.generated()
        low = assessor(self.w.ent_a, self.s.world, level=4)
        row = panel_assessor(plan, self.s)
        html = self.request_as("owner", "get", self.url("staffing_edit", row.pk)).content.decode()
        assert f'value="{low.person_id}"' not in html
        assert f'value="{self.s.exam[0].person_id}"' not in html

    def test_infeasible_explanation_is_shown(self) -> None:
        StaffAssignment.objects.all().delete()
        self.s.assessors[0].delete()
        self.s.assessors[1].delete()
        client = self.client_for("owner")
        response = client.post(self.url("staffing_generate"), follow=True)
        html = response.content.decode()
        assert 'data-testid="explanations"' in html and "实训车间A区" in html and "考评员" in html
        assert 'data-testid="staffing-result"' not in html
        job = JobProgress.objects.get(kind__endswith=f":{self.pk}")
        assert job.status == JobStatus.DONE and job.result["refused"] is True

    def test_progress_partial_refreshes_the_page_when_done(self) -> None:
        client = self.client_for("owner")
        client.post(self.url("staffing_generate"))
        job = JobProgress.objects.get(kind__endswith=f":{self.pk}")
        url = self.url("staffing_progress", self.pk, job.pk)
        response = client.get(url, HTTP_HX_REQUEST="true")
        assert response["HX-Refresh"] == "true" and 'data-status="done"' in response.content.decode()
        JobProgress.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=40)
        running = client.get(url, HTTP_HX_REQUEST="true")
        assert "HX-Refresh" not in running and "hx-trigger" in running.content.decode()
        assert 'width="40%"' in running.content.decode()

    def test_invalid_settings_show_the_error(self) -> None:
        client = self.client_for("owner")
        response = client.post(
            self.url("staffing_settings"),
            {"rotation_rounds": 0, "weight_rotation": 1, "weight_balance": 1, "weight_distance": 1},
        )
        assert response.status_code == 422 and "is-invalid" in response.content.decode()
        assert not AuditEvent.objects.filter(action="staff_plan.settings").exists()

    def test_empty_round_page(self) -> None:
        html = self.request_as("owner", "get", self.url("staffing")).content.decode()
        assert 'data-testid="staffing-empty"' in html and "3 个考场单元" in html


class TestAddByHand(StaffingCase):
    """An empty place (e.g. after a run short of people) is filled by hand, then re-checked."""

    def test_add_page_is_for_managers_and_fills_a_missing_proctor(self) -> None:
        plan = self.generated()
        row = plan.assignments.filter(role=StaffRole.PROCTOR).select_related("session", "room").first()
        assert row is not None
        session, room = row.session, row.room
        assert session is not None and room is not None
        services.staff_assignment_remove(actor=self.w.users["owner"], assignment=row)
        page = self.request_as("owner", "get", self.url("staffing")).content.decode()
        assert 'data-testid="add-to-unit"' in page and "table-danger" in page
        url = f"{self.url('staffing_add')}?session={session.pk}&room={room.pk}"
        self.check_access(url, WRITERS)
        form = self.request_as("staff", "get", url).content.decode()
        assert 'value="proctor"' in form and 'value="assessor"' not in form
        for persona in ("outsider", "city", "province", "candidate", "sysadmin"):
            data = {"role": "proctor", "person": row.person_id}
            assert self.request_as(persona, "post", url, data).status_code == 404
        response = self.request_as("staff", "post", url, {"role": "proctor", "person": row.person_id})
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.assignments.filter(role=StaffRole.PROCTOR, session=session, room=room).count() >= 2
        assert plan.findings == [] and plan.status == StaffPlanStatus.DRAFT
        assert AuditEvent.objects.filter(action="staff_plan.edit").exists()

    def test_a_place_outside_the_round_is_404(self) -> None:
        self.generated()
        base = self.url("staffing_add")
        for query in (
            "",
            "?session=x",
            "?session=999999&room=1",
            "?site=999999",
            f"?site={self.s.world.site.pk}&day=1999-01-01",
        ):
            assert self.request_as("owner", "get", base + query).status_code == 404, query
        assert self.request_as("owner", "get", f"{base}?site={self.s.world.site.pk}").status_code == 200
