"""The worker's online application as the candidate persona: start, draft, uploads, submit, return, withdraw."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any, ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.enrollment.models import Application, ApplicationDocument, ApplicationStatus
from skillcert.enrollment.services import applications as services
from skillcert.rounds.models import Round, RoundOffering
from tests.base import AccessCase
from tests.enrollment.factories import OccupationFactory, OfferingFactory, RoundFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(size: tuple[int, int] = (413, 579), fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(out, format=fmt)
    return out.getvalue()


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


class ApplyCase(AccessCase):
    """Enterprise A has a published round open today offering 车工 四级 (inside its scope)."""

    rnd: ClassVar[Round]
    offering: ClassVar[RoundOffering]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rnd = RoundFactory(enterprise=cls.w.ent_a)
        cls.offering = OfferingFactory(round=cls.rnd, occupation=OccupationFactory(name="车工"), level=4)

    @property
    def born(self) -> date:
        return self.w.person_a.birth_date

    def form_data(self, **changes: Any) -> dict[str, Any]:
        born = self.born
        data: dict[str, Any] = {
            "name": self.w.person_a.name,
            "sex": self.w.person_a.sex,
            "birth_date": born.isoformat(),
            "phone": "13800138000",
            "political_status": "masses",
            "education": "high_school",
            "school": "济南市第一中学",
            "major": "",
            "graduated_on": date(born.year + 18, 7, 1).isoformat(),
            "work_started_on": date(born.year + 19, 8, 1).isoformat(),
            "current_post": "车工",
            "post_years": "8",
            "occupation_years": "8",
            "job_direction": "",
            "employment_type": "regular",
            "offering": str(self.offering.pk),
            "is_exceptional": "0",
            # Condition 2 of level 4 in the 2018 template: 累计从事本职业或相关职业工作6年（含）以上.
            "condition_relied_on": f"{self.offering.pk}:1",
            "work_history": "在金工车间从事车工工作",
            "awards": "",
            "achievements": "",
            "cert-TOTAL_FORMS": "1",
            "cert-INITIAL_FORMS": "0",
            "cert-MIN_NUM_FORMS": "0",
            "cert-MAX_NUM_FORMS": "10",
            "cert-0-kind": "skill_level",
            "cert-0-level": "5",
            "cert-0-title_grade": "",
            "cert-0-occupation_name": "车工",
            "cert-0-number": "S" + "3" * 21,
            "cert-0-issued_on": date(born.year + 25, 6, 30).isoformat(),
            "action": "save",
        }
        data.update(changes)
        return data

    def uploads(self) -> dict[str, Any]:
        return {
            "photo": SimpleUploadedFile("me.jpg", jpeg(), content_type="image/jpeg"),
            "doc_id_card": SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf"),
            "doc_education": SimpleUploadedFile(
                "毕业证.png", jpeg((600, 400), "PNG"), content_type="image/png"
            ),
            "doc_years_pledge": SimpleUploadedFile("承诺书.pdf", PDF, content_type="application/pdf"),
        }

    def candidate(self) -> Client:
        return self.client_for("candidate")

    def start(self, client: Client | None = None, **changes: Any) -> Application:
        client = client or self.candidate()
        response = client.post(reverse("enrollment:apply", args=[self.rnd.pk]), self.form_data(**changes))
        assert response.status_code == 302, response.content.decode()[:3000]
        return Application.objects.get(round=self.rnd, person=self.w.person_a)

    def complete(self, client: Client | None = None, **changes: Any) -> Application:
        """A draft with every required upload."""
        client = client or self.candidate()
        app = self.start(client)
        data = {**self.form_data(**changes), **self.uploads()}
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        app.refresh_from_db()
        return app


class TestStartAndDraft(ApplyCase):
    def test_form_is_prefilled_from_person_and_employee(self) -> None:
        response = self.candidate().get(reverse("enrollment:apply", args=[self.rnd.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert self.w.person_a.name in page
        assert self.w.person_a.id_number_masked in page
        assert self.w.person_a.reveal_id_number() not in page
        assert 'value="车工"' in page  # the HR post
        assert "申报职业须与本人实际工作岗位一致，审核时将核实" in page
        assert "本人已知悉本职业（工种）申报条件" in page
        assert "<script>" not in page and "style=" not in page

    def test_save_draft_stores_every_field_and_checks_run(self) -> None:
        app = self.start()
        assert app.status == ApplicationStatus.DRAFT
        assert app.current_post == "车工"
        assert app.reveal_phone() == "13800138000"
        assert app.phone_masked == "138****8000"
        assert app.condition_relied_on.startswith("累计从事本职业或相关职业工作6年")
        assert app.certificates.count() == 1
        assert app.eligibility == "eligible"
        assert app.employee == self.w.emp_a
        assert {"application.start", "application.update"} <= set(actions())

    def test_apply_again_continues_the_same_draft(self) -> None:
        app = self.start()
        response = self.candidate().get(reverse("enrollment:apply", args=[self.rnd.pk]))
        self.assertRedirects(response, reverse("enrollment:application_edit", args=[app.pk]))

    def test_certificates_can_be_removed_and_added(self) -> None:
        client = self.candidate()
        app = self.start(client)
        data = self.form_data(
            **{
                "cert-TOTAL_FORMS": "2",
                "cert-INITIAL_FORMS": "1",
                "cert-0-DELETE": "on",
                "cert-1-kind": "professional",
                "cert-1-title_grade": "intermediate",
                "cert-1-occupation_name": "机械工程",
                "cert-1-number": "Z123",
                "cert-1-issued_on": "2020-01-01",
            }
        )
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 302
        kinds = list(app.certificates.values_list("kind", flat=True))
        assert kinds == ["professional"]

    def test_certificate_row_errors_are_on_the_field(self) -> None:
        response = self.candidate().post(
            reverse("enrollment:apply", args=[self.rnd.pk]), self.form_data(**{"cert-0-level": ""})
        )
        assert response.status_code == 422
        assert "请选择证书等级" in response.content.decode()
        assert not Application.objects.exists()


class TestSubmit(ApplyCase):
    def test_submit_inside_the_window(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        assert app.photo_enc and app.documents.count() == 3
        data = {**self.form_data(action="submit", pledge="on")}
        response = client.post(
            reverse("enrollment:application_edit", args=[app.pk]), data, REMOTE_ADDR="10.1.2.3"
        )
        self.assertRedirects(response, reverse("enrollment:application_status", args=[app.pk]))
        app.refresh_from_db()
        assert app.status == ApplicationStatus.SUBMITTED
        assert app.pledge_accepted_at is not None and app.pledge_ip == "10.1.2.3"
        assert app.submitted_at is not None
        assert "application.submit" in actions()
        page = client.get(reverse("enrollment:application_status", args=[app.pk])).content.decode()
        assert "待审核" in page and "符合" in page

    def test_submit_needs_the_pledge(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        response = client.post(
            reverse("enrollment:application_edit", args=[app.pk]), self.form_data(action="submit")
        )
        assert response.status_code == 422
        page = response.content.decode()
        assert "请阅读并勾选个人承诺后再提交" in page and 'data-field="pledge"' in page
        app.refresh_from_db()
        assert app.status == ApplicationStatus.DRAFT

    def test_submit_needs_the_uploads_and_the_draft_is_kept(self) -> None:
        client = self.candidate()
        response = client.post(
            reverse("enrollment:apply", args=[self.rnd.pk]), self.form_data(action="submit", pledge="on")
        )
        assert response.status_code == 422
        page = response.content.decode()
        for field in ("photo", "doc_id_card", "doc_education", "doc_years_pledge"):
            assert f'data-field="{field}"' in page, field
        assert "提交前还需补充" in page and "工作年限承诺书" in page
        app = Application.objects.get(round=self.rnd, person=self.w.person_a)
        assert app.status == ApplicationStatus.DRAFT  # nothing typed is lost

    def test_years_pledge_not_needed_without_years(self) -> None:
        client = self.candidate()
        app = self.complete(client, occupation_years="")
        ApplicationDocument.objects.filter(application=app, kind="years_pledge").delete()
        assert "years_pledge" not in {f for f, _l in services.missing_for_submit(app)}

    def test_submit_from_status_page(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        url = reverse("enrollment:application_submit", args=[app.pk])
        client.post(url, {})
        app.refresh_from_db()
        assert app.status == ApplicationStatus.DRAFT
        client.post(url, {"pledge": "on"})
        app.refresh_from_db()
        assert app.status == ApplicationStatus.SUBMITTED

    def test_refused_outside_the_window_with_the_dates(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        today = timezone.localdate()
        Round.objects.filter(pk=self.rnd.pk).update(
            registration_opens=today - timedelta(days=30), registration_closes=today - timedelta(days=1)
        )
        closes = today - timedelta(days=1)
        response = client.post(
            reverse("enrollment:application_edit", args=[app.pk]),
            self.form_data(action="submit", pledge="on"),
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert f"{closes.year}年{closes.month}月{closes.day}日" in page and "不在报名期内" in page
        app.refresh_from_db()
        assert app.status == ApplicationStatus.DRAFT

    def test_cannot_start_before_the_window_opens(self) -> None:
        today = timezone.localdate()
        Round.objects.filter(pk=self.rnd.pk).update(
            registration_opens=today + timedelta(days=5), registration_closes=today + timedelta(days=20)
        )
        opens = today + timedelta(days=5)
        response = self.candidate().get(reverse("enrollment:apply", args=[self.rnd.pk]), follow=True)
        page = response.content.decode()
        assert f"{opens.year}年{opens.month}月{opens.day}日" in page
        assert not Application.objects.exists()

    def test_service_refuses_outside_the_window(self) -> None:
        app = self.complete()
        with pytest.raises(RuleViolation) as caught:
            services.application_submit(
                actor=self.w.users["candidate"],
                application=app,
                pledge_ip="1.1.1.1",
                today=self.rnd.registration_closes + timedelta(days=1),
            )
        assert caught.value.rule == "R2.1"


class TestFlagsAndReturn(ApplyCase):
    def test_flags_shown_blocking_in_red(self) -> None:
        client = self.candidate()
        born = self.born
        wrong = born + timedelta(days=1)
        app = self.complete(client, birth_date=wrong.isoformat(), occupation_years="40")
        assert app.blocking_flags >= 1 and app.warning_flags >= 1
        page = client.get(reverse("enrollment:application_status", args=[app.pk])).content.decode()
        assert "身份证号显示出生日期为" in page
        assert 'data-severity="block"' in page and "text-danger" in page
        assert 'data-severity="warn"' in page

    def test_post_mismatch_notice(self) -> None:
        app = self.complete(current_post="电工")
        assert app.post_mismatch
        page = self.candidate().get(reverse("enrollment:application_status", args=[app.pk])).content.decode()
        assert "申报职业须与本人实际工作岗位一致，审核时将核实" in page
        assert 'data-testid="post-mismatch"' in page

    def test_resubmit_after_return(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        client.post(reverse("enrollment:application_submit", args=[app.pk]), {"pledge": "on"})
        # The reviewer's return is another engineer's service; here its effect is set directly.
        Application.objects.filter(pk=app.pk).update(
            status=ApplicationStatus.RETURNED, review_reason="学历证明不清晰，请重新上传"
        )
        page = client.get(reverse("enrollment:application_status", args=[app.pk])).content.decode()
        assert "学历证明不清晰，请重新上传" in page and "修改并重新提交" in page
        data = {
            **self.form_data(action="submit", pledge="on"),
            "doc_education": SimpleUploadedFile("新毕业证.pdf", PDF, content_type="application/pdf"),
        }
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.status == ApplicationStatus.SUBMITTED
        assert "application.resubmit" in actions()

    def test_submitted_application_cannot_be_edited(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        client.post(reverse("enrollment:application_submit", args=[app.pk]), {"pledge": "on"})
        response = client.get(reverse("enrollment:application_edit", args=[app.pk]))
        self.assertRedirects(response, reverse("enrollment:application_status", args=[app.pk]))
        with pytest.raises(RuleViolation):
            services.application_set_photo(actor=self.w.users["candidate"], application=app, data=jpeg())

    def test_withdraw(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        client.post(reverse("enrollment:application_submit", args=[app.pk]), {"pledge": "on"})
        response = client.post(
            reverse("enrollment:application_withdraw", args=[app.pk]), {"reason": "工作调动"}
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.status == ApplicationStatus.WITHDRAWN
        event = AuditEvent.objects.filter(action="application.withdraw").get()
        assert event.summary["reason"] == "工作调动"
        # One LIVE application per round (R3.2): after withdrawing, the worker may apply again in the window.
        response = client.get(reverse("enrollment:apply", args=[self.rnd.pk]))
        assert response.status_code == 200
        again = services.application_start(
            actor=self.w.users["candidate"],
            round=self.rnd,
            offering=self.offering,
            person=self.w.person_a,
            employee=self.w.emp_a,
        )
        assert again.pk != app.pk and again.status == ApplicationStatus.DRAFT


class TestOnePerRound(ApplyCase):
    def test_second_start_is_refused_in_chinese(self) -> None:
        self.start()
        other = OfferingFactory(round=self.rnd, occupation=self.offering.occupation, level=3)
        with pytest.raises(RuleViolation) as caught:
            services.application_start(
                actor=self.w.users["candidate"],
                round=self.rnd,
                offering=other,
                person=self.w.person_a,
                employee=self.w.emp_a,
            )
        assert caught.value.rule == "R3.2"
        assert "每次限申报1个职业（工种）" in str(caught.value)
        assert Application.objects.count() == 1

    def test_offering_of_another_round_is_refused(self) -> None:
        other_round = RoundFactory(enterprise=self.w.ent_a)
        foreign = OfferingFactory(round=other_round)
        with pytest.raises(RuleViolation):
            services.application_start(
                actor=self.w.users["candidate"],
                round=self.rnd,
                offering=foreign,
                person=self.w.person_a,
                employee=self.w.emp_a,
            )


class TestExceptionalAndEditing(ApplyCase):
    GROUND = "获得市级“技术能手”称号"

    @classmethod
    def setUpTestData(cls) -> None:
        from skillcert.catalog import eligibility
        from skillcert.catalog.models import EligibilityRuleSet

        super().setUpTestData()
        rules = eligibility.RuleSet(
            name="A 企业申报条件",
            levels={
                eligibility.Level.L4: (
                    eligibility.Condition(
                        (eligibility.MinOccupationYears(6),), "累计从事本职业工作6年以上。"
                    ),
                    eligibility.Condition(
                        (eligibility.ExceptionalGround((cls.GROUND,)),),
                        "获得市级技术能手称号的，可破格申报。",
                    ),
                )
            },
        )
        rule_set = EligibilityRuleSet.objects.create(
            name=rules.name, rules=eligibility.to_json(rules), enterprise=cls.w.ent_a
        )
        cls.offering.standard.rule_set = rule_set
        cls.offering.standard.save(update_fields=["rule_set"])

    def test_exceptional_condition_needs_the_exceptional_kind_and_a_ground(self) -> None:
        client = self.candidate()
        page = client.get(reverse("enrollment:apply", args=[self.rnd.pk])).content.decode()
        assert self.GROUND in page and "（破格）获得市级技术能手称号的" in page
        url = reverse("enrollment:apply", args=[self.rnd.pk])
        response = client.post(url, self.form_data(condition_relied_on=f"{self.offering.pk}:1"))
        assert response.status_code == 422
        assert "破格申报" in response.content.decode()
        response = client.post(
            url, self.form_data(condition_relied_on=f"{self.offering.pk}:1", is_exceptional="1")
        )
        assert response.status_code == 422
        assert "破格申报须勾选本人具备的破格情形" in response.content.decode()
        app = self.start(
            client,
            condition_relied_on=f"{self.offering.pk}:1",
            is_exceptional="1",
            exceptional_grounds=[self.GROUND],
            occupation_years="1",
        )
        assert app.is_exceptional and app.exceptional_grounds == [self.GROUND]
        assert app.eligibility == "eligible"
        assert app.condition_relied_on == "获得市级技术能手称号的，可破格申报。"

    def test_edit_page_shows_what_was_saved(self) -> None:
        client = self.candidate()
        app = self.start(client, condition_relied_on=f"{self.offering.pk}:0")
        page = client.get(reverse("enrollment:application_edit", args=[app.pk])).content.decode()
        assert f'value="{self.offering.pk}:0" selected' in page
        assert 'value="S333333333333333333333"' in page
        assert 'name="cert-INITIAL_FORMS" value="1"' in page


class TestReapplyAfterWithdrawal(ApplyCase):
    def test_a_withdrawn_application_does_not_flag_the_new_one(self) -> None:
        from skillcert.enrollment.services.evaluation import application_evaluate

        first = self.start()
        services.application_withdraw(actor=self.w.users["candidate"], application=first, reason="改报")
        again = services.application_start(
            actor=self.w.users["candidate"],
            round=self.rnd,
            offering=self.offering,
            person=self.w.person_a,
            employee=self.w.emp_a,
        )
        again = application_evaluate(application=again)
        assert not again.flags.filter(code="person.duplicate_in_round").exists()
