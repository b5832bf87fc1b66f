"""Round pages from every side (S6), the offering picker, publishing, the PDF notice and the home page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from skillcert.core.models import AuditEvent
from skillcert.filings.models import ScopeItem
from skillcert.rounds import services
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from tests.base import AccessCase
from tests.filings.helpers import Catalogue
from tests.rounds.helpers import make_round, offer, pdf_text, published_round, round_data, scoped_catalogue

READERS = ["owner", "staff", "candidate", "city", "city_admin", "province"]
STAFF_READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]


class RoundPageCase(AccessCase):
    cat: Catalogue
    published: Round
    draft: Round

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cat = scoped_catalogue(cls.w.ent_a)
        today = timezone.localdate()
        owner = cls.w.users["owner"]
        cls.published = published_round(owner, cls.w.ent_a, cls.cat, today)
        cls.draft = make_round(owner, cls.w.ent_a, today, name="下一批草稿")

    def form_data(self, **changes: object) -> dict[str, object]:
        d = round_data(timezone.localdate())
        data: dict[str, object] = {
            "name": "2099年测试批",
            "year": d.year,
            "registration_opens": d.registration_opens.isoformat(),
            "registration_closes": d.registration_closes.isoformat(),
            "evaluation_starts": d.evaluation_starts.isoformat(),
            "evaluation_ends": d.evaluation_ends.isoformat(),
            "reference_date": "",
            "schedule_note": d.schedule_note,
            "content_methods": d.content_methods,
            "registration_method": d.registration_method,
            "contact_name": d.contact_name,
            "contact_phone": d.contact_phone,
        }
        data.update(changes)
        return data


class TestAccess(RoundPageCase):
    def test_list(self) -> None:
        # Every tenant reaches its own list (an empty one for another enterprise or city).
        self.check_access(reverse("rounds:round_list"), [*READERS, "outsider", "other_city"])
        html = self.request_as("outsider", "get", reverse("rounds:round_list")).content.decode()
        assert self.published.name not in html
        html = self.request_as("other_city", "get", reverse("rounds:round_list")).content.decode()
        assert self.published.name not in html

    def test_candidate_list_shows_only_published(self) -> None:
        html = self.request_as("candidate", "get", reverse("rounds:round_list")).content.decode()
        assert self.published.name in html and self.draft.name not in html
        html = self.request_as("owner", "get", reverse("rounds:round_list")).content.decode()
        assert self.published.name in html and self.draft.name in html

    def test_published_detail(self) -> None:
        self.check_access(self.published.get_absolute_url(), READERS)

    def test_draft_detail_hidden_from_the_candidate(self) -> None:
        self.check_access(self.draft.get_absolute_url(), STAFF_READERS)

    def test_pdf(self) -> None:
        self.check_access(reverse("rounds:notice_pdf", args=[self.published.pk]), READERS)

    def test_create_and_edit_pages(self) -> None:
        # Any enterprise's admin or exam staff creates rounds for their own enterprise.
        self.check_access(reverse("rounds:round_create"), [*WRITERS, "outsider"])
        self.check_access(reverse("rounds:round_edit", args=[self.draft.pk]), WRITERS)

    def test_writes_are_404_for_everyone_else(self) -> None:
        offering = RoundOffering.objects.filter(round=self.published).first()
        assert offering is not None
        urls = [
            reverse("rounds:offering_add", args=[self.draft.pk]),
            reverse("rounds:offering_remove", args=[offering.pk]),
            reverse("rounds:round_publish", args=[self.draft.pk]),
            reverse("rounds:round_cancel", args=[self.draft.pk]),
        ]
        for url in urls:
            for persona in ("candidate", "outsider", "city", "province", "other_city", "sysadmin"):
                assert self.request_as(persona, "post", url, {}).status_code == 404, (url, persona)
            assert self.request_as("anonymous", "post", url, {}).status_code == 302
        assert Round.objects.get(pk=self.draft.pk).status == RoundStatus.DRAFT

    def test_unknown_ids(self) -> None:
        for url in ("/rounds/999999/", "/rounds/999999/notice.pdf", "/rounds/999999/edit/"):
            assert self.request_as("owner", "get", url).status_code == 404


class TestCreateEdit(RoundPageCase):
    def test_create(self) -> None:
        response = self.request_as("staff", "post", reverse("rounds:round_create"), self.form_data())
        rnd = Round.objects.get(name="2099年测试批")
        self.assertRedirects(response, rnd.get_absolute_url(), fetch_redirect_response=False)
        assert rnd.enterprise == self.w.ent_a and rnd.status == RoundStatus.DRAFT

    def test_service_error_shows_on_its_field(self) -> None:
        d = round_data(timezone.localdate())
        bad = (d.registration_closes - timedelta(days=1)).isoformat()
        response = self.request_as(
            "owner", "post", reverse("rounds:round_create"), self.form_data(evaluation_starts=bad)
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "评价开始日期不能早于报名截止日期" in " ".join(form.errors["evaluation_starts"])
        assert not Round.objects.filter(name="2099年测试批").exists()

    def test_initial_name_is_free(self) -> None:
        response = self.request_as("owner", "get", reverse("rounds:round_create"))
        name = response.context["form"].initial["name"]
        assert not Round.objects.filter(enterprise=self.w.ent_a, name=name).exists()

    def test_edit_draft(self) -> None:
        url = reverse("rounds:round_edit", args=[self.draft.pk])
        data = self.form_data(name=self.draft.name, contact_phone="13912345678")
        response = self.request_as("owner", "post", url, data)
        assert response.status_code == 302
        assert Round.objects.get(pk=self.draft.pk).contact_phone == "13912345678"

    def test_edit_published_is_refused(self) -> None:
        url = reverse("rounds:round_edit", args=[self.published.pk])
        response = self.request_as("owner", "get", url)
        self.assertRedirects(response, self.published.get_absolute_url(), fetch_redirect_response=False)


class TestDetail(RoundPageCase):
    def test_staff_see_offerings_picker_and_problems(self) -> None:
        response = self.request_as("owner", "get", self.draft.get_absolute_url())
        html = response.content.decode()
        assert 'data-testid="offering-picker"' in html
        assert "尚缺：认定职业（工种）等级" in html
        picker = response.context["offering_form"].fields["scope_item"].queryset
        expected = ScopeItem.objects.filter(enterprise=self.w.ent_a).count()
        assert picker.count() == expected
        assert all(item.enterprise_id == self.w.ent_a.pk for item in picker)

    def test_picker_only_offers_the_scope_in_force_on_the_evaluation_date(self) -> None:
        ScopeItem.objects.filter(enterprise=self.w.ent_a, occupation=self.cat.turner).update(
            valid_to=self.draft.evaluation_starts
        )
        response = self.request_as("owner", "get", self.draft.get_absolute_url())
        picker = response.context["offering_form"].fields["scope_item"].queryset
        assert not picker.filter(occupation=self.cat.turner).exists()
        assert picker.filter(occupation=self.cat.welder).exists()

    def test_authority_reads_without_controls(self) -> None:
        html = self.request_as("city", "get", self.draft.get_absolute_url()).content.decode()
        assert 'data-testid="offering-picker"' not in html and "发布公告" not in html
        assert 'data-testid="announcement"' in html

    def test_announcement_in_words(self) -> None:
        html = self.request_as("candidate", "get", self.published.get_absolute_url()).content.decode()
        assert f"关于开展{self.published.name}职业技能等级认定工作的公告" in html
        assert "焊工（电焊工）" in html and "四级/中级工" in html and "三级/高级工" in html
        assert "累计从事本职业或相关职业工作" in html  # a condition of the 2018 rule set, in words
        assert "报名时间为" in html and "王老师" in html and "0531-88880000" in html
        assert 'data-testid="offering-picker"' not in html

    def test_add_and_remove_an_offering(self) -> None:
        item = ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=self.cat.turner, level=3)
        url = reverse("rounds:offering_add", args=[self.draft.pk])
        response = self.request_as("staff", "post", url, {"o-scope_item": item.pk, "o-quota": "12"})
        assert response.status_code == 302
        offering = RoundOffering.objects.get(round=self.draft)
        assert (offering.occupation, offering.level, offering.quota) == (self.cat.turner, 3, 12)
        response = self.request_as("owner", "post", reverse("rounds:offering_remove", args=[offering.pk]))
        assert response.status_code == 302
        assert not RoundOffering.objects.filter(round=self.draft).exists()

    def test_whole_occupation_item_with_a_job_type(self) -> None:
        item = ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=self.cat.turner, level=4)
        url = reverse("rounds:offering_add", args=[self.draft.pk])
        # A job type of another occupation is refused on its field.
        response = self.request_as(
            "owner", "post", url, {"o-scope_item": item.pk, "o-job_type": self.cat.electric_welder.pk}
        )
        assert response.status_code == 200
        assert response.context["offering_form"].errors

    def test_a_scope_item_outside_the_picker_is_refused(self) -> None:
        other = ScopeItem.objects.filter(enterprise=self.w.ent_a).first()
        assert other is not None
        ScopeItem.objects.filter(pk=other.pk).update(valid_to=self.draft.evaluation_starts)
        url = reverse("rounds:offering_add", args=[self.draft.pk])
        response = self.request_as("owner", "post", url, {"o-scope_item": other.pk})
        assert response.status_code == 200
        assert "scope_item" in response.context["offering_form"].errors
        assert not RoundOffering.objects.filter(round=self.draft).exists()

    def test_publish_refused_then_done(self) -> None:
        url = reverse("rounds:round_publish", args=[self.draft.pk])
        response = self.client_for("owner").post(url, follow=True)
        assert "尚缺" in response.content.decode()
        assert Round.objects.get(pk=self.draft.pk).status == RoundStatus.DRAFT
        offer(self.w.users["owner"], self.draft, self.cat)
        response = self.request_as("owner", "post", url)
        assert response.status_code == 302
        assert Round.objects.get(pk=self.draft.pk).status == RoundStatus.PUBLISHED

    def test_cancel(self) -> None:
        url = reverse("rounds:round_cancel", args=[self.published.pk])
        response = self.request_as("owner", "post", url, {"c-reason": "生产任务调整"})
        assert response.status_code == 302
        assert Round.objects.get(pk=self.published.pk).status == RoundStatus.CANCELLED
        assert AuditEvent.objects.filter(action="round.cancel", object_id=str(self.published.pk)).exists()
        # A cancelled round leaves the worker's home page and list.
        html = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert self.published.name not in html


class TestNoticePdf(RoundPageCase):
    def test_pdf_renders_with_the_round_name(self) -> None:
        response = self.request_as("candidate", "get", reverse("rounds:notice_pdf", args=[self.published.pk]))
        assert response["Content-Type"] == "application/pdf"
        data = response.content
        assert data.startswith(b"%PDF")
        text = pdf_text(data).replace(" ", "")
        assert self.published.name in text
        assert "认定工作的公告" in text and "申报条件" in text and self.w.ent_a.name in text

    def test_draft_pdf_is_marked(self) -> None:
        response = self.request_as("owner", "get", reverse("rounds:notice_pdf", args=[self.draft.pk]))
        assert "草稿" in pdf_text(response.content)


class TestHome(RoundPageCase):
    def test_candidate_sees_open_rounds_with_dates(self) -> None:
        html = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert 'data-testid="candidate-rounds"' in html
        assert f"关于开展{self.published.name}职业技能等级认定工作的公告" in html
        d = self.published.registration_opens
        assert f"{d.year}年{d.month}月{d.day}日" in html
        assert self.published.get_absolute_url() in html
        assert self.draft.name not in html
        assert "目前没有您可以申报的认定批次" not in html

    def test_nothing_open(self) -> None:
        services.round_cancel(actor=None, round=self.published)
        html = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert "目前没有您可以申报的认定批次" in html

    def test_closed_rounds_leave_the_home_page(self) -> None:
        Round.objects.filter(pk=self.published.pk).update(
            registration_opens=timezone.localdate() - timedelta(days=30),
            registration_closes=timezone.localdate() - timedelta(days=1),
        )
        html = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert "目前没有您可以申报的认定批次" in html

    def test_other_enterprises_rounds_do_not_show(self) -> None:
        other = services.round_create(
            actor=None, enterprise=self.w.ent_b, data=round_data(timezone.localdate(), name="乙企业批次")
        )
        Round.objects.filter(pk=other.pk).update(status=RoundStatus.PUBLISHED)
        html = self.request_as("candidate", "get", reverse("core:home")).content.decode()
        assert "乙企业批次" not in html


def test_published_round_links_staff_to_review_and_import(db) -> None:
    """Exam-affairs staff reach the review queue and the bulk import from the round page."""
    from skillcert.rounds.links import staff_links

    labels = [label for label, _url in staff_links(1)]
    assert labels == ["资格审核", "批量导入申报"]
