"""The HR-system integration API (R3.4): batch submit, status, list — tenancy, idempotency, no 5xx (S20)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar

from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from skillcert.core.models import AuditEvent
from skillcert.core.services.tokens import api_token_create
from skillcert.enrollment import importer
from skillcert.enrollment.api import MAX_BATCH
from skillcert.enrollment.models import Application, ApplicationSource
from tests.base import World
from tests.enrollment.factories import ApplicationFactory, OfferingFactory, RoundFactory
from tests.enrollment.test_import import ImportCase, birth, id_number

BATCH = "/api/v1/enrollment/rounds/{}/applications:batch"


def item(i: int, offering: int | str, **over: object) -> dict[str, object]:
    """An API item for person `i`, the JSON twin of test_import.person_row."""
    born = birth(i)
    data: dict[str, object] = {
        "employee_no": f"T{i:05d}",
        "name": f"测试{i}",
        "sex": "男" if i % 2 else "女",
        "birth_date": born.isoformat(),
        "education": "junior_college",
        "id_number": id_number(i),
        "major": "机械制造与自动化",
        "phone": f"138{i:08d}",
        "graduated_on": date(born.year + 20, 7, 1).isoformat(),
        "work_started_on": date(born.year + 21, 8, 1).isoformat(),
        "current_post": "车工",
        "occupation_years": 8.5,
        "cert_kind": "skill_level",
        "cert_level": 5,
        "cert_occupation": "车工",
        "cert_number": f"S{i:021d}",
        "cert_issued_on": "2015-06-30",
        "offering": offering,
        "application_type": "normal",
        "work_history": "2000.08—今 济南重工\n车工",
    }
    data.update(over)
    return data


class ApiCase(ImportCase):
    token_a: ClassVar[str]
    token_b: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _t, cls.token_a = api_token_create(
            actor=cls.w.users["owner"], organisation=cls.w.ent_a, name="HR 系统"
        )
        _t, cls.token_b = api_token_create(actor=cls.w.users["outsider"], organisation=cls.w.ent_b, name="HR")

    def post(
        self, payload: Any, *, token: str | None = None, round_id: int | None = None, **query: str
    ) -> HttpResponse:
        url = BATCH.format(round_id or self.round.pk)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token or self.token_a}"}
        body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
        return Client().post(url, body, content_type="application/json", **extra)

    def get(self, url: str, token: str | None = None) -> HttpResponse:
        return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token or self.token_a}")


class TestBatch(ApiCase):
    def test_created_then_unchanged_then_updated(self) -> None:
        items = [item(i, self.turner.pk) for i in range(1, 4)]
        audit_before = AuditEvent.objects.count()
        r = self.post(items)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["written"] is True
        assert [i["status"] for i in body["items"]] == ["created"] * 3
        assert body["counts"] == {
            "items": 3, "created": 3, "updated": 0, "unchanged": 0, "reviewed": 0, "skipped": 0, "errors": 0
        }  # fmt: skip
        assert AuditEvent.objects.count() == audit_before + 1
        app = Application.objects.get(pk=body["items"][0]["application_id"])
        assert app.source == ApplicationSource.API
        assert app.work_history == "2000.08—今 济南重工\n车工"
        assert app.certificates.get().level == 5

        again = self.post(items).json()
        assert [i["status"] for i in again["items"]] == ["unchanged"] * 3
        assert [i["application_id"] for i in again["items"]] == [i["application_id"] for i in body["items"]]

        items[1]["current_post"] = "数控车工"
        changed = self.post(items).json()
        assert [i["status"] for i in changed["items"]] == ["unchanged", "updated", "unchanged"]
        assert Application.objects.get(pk=changed["items"][1]["application_id"]).current_post == "数控车工"

    def test_offering_by_label_and_omitted_fields_are_left_alone(self) -> None:
        first = self.post([item(1, self.labels[self.welder.pk])]).json()
        assert first["items"][0]["status"] == "created"
        app = Application.objects.get()
        assert app.offering_id == self.welder.pk and app.major == "机械制造与自动化"
        # Leave out major and the work history: they stay; blank the phone: it is cleared.
        short = item(1, self.welder.pk, phone="")
        del short["major"], short["work_history"]
        result = self.post([short]).json()
        assert result["items"][0]["status"] == "updated"
        app.refresh_from_db()
        assert app.major == "机械制造与自动化" and app.work_history.startswith("2000.08")
        assert app.reveal_phone() == ""

    def test_item_errors_all_or_nothing_and_good_rows_only(self) -> None:
        bad_id = id_number(2)[:17] + ("0" if id_number(2)[17] != "0" else "1")
        items = [
            item(1, self.turner.pk),
            item(2, self.turner.pk, id_number=bad_id),
            item(3, 999_999, birth_date="1990-02-30"),
        ]
        body = self.post(items).json()
        assert body["written"] is False
        assert [i["status"] for i in body["items"]] == ["skipped", "error", "error"]
        assert body["items"][0]["application_id"] is None
        [e] = body["items"][1]["errors"]
        assert (e["field"], e["column"]) == ("id_number", "身份证号")
        assert e["value"] == bad_id[:4] + "*" * 10 + bad_id[-4:]
        assert "校验位" in e["reason"]
        assert {x["field"] for x in body["items"][2]["errors"]} == {"birth_date", "offering"}
        assert Application.objects.count() == 0

        body = self.post(items, mode="good_rows_only").json()
        assert body["written"] is True
        assert [i["status"] for i in body["items"]] == ["created", "error", "error"]
        assert Application.objects.count() == 1

    def test_reviewed_application_is_reported_unchanged(self) -> None:
        self.post([item(1, self.turner.pk)])
        Application.objects.update(status="approved")
        body = self.post([item(1, self.turner.pk, current_post="钳工")]).json()
        assert body["items"][0]["status"] == "unchanged"
        assert body["items"][0]["message"] == "已审核，未更改"
        assert body["counts"]["reviewed"] == 1

    def test_closed_window_is_a_422_with_the_dates(self) -> None:
        from django.utils import timezone

        today = timezone.localdate()
        type(self.round).objects.filter(pk=self.round.pk).update(
            registration_opens=date(today.year - 1, 1, 1), registration_closes=date(today.year - 1, 1, 31)
        )
        r = self.post([item(1, self.turner.pk)])
        assert r.status_code == 422
        [detail] = r.json()["detail"]
        assert detail["rule"] == "R2.1" and f"{today.year - 1}-01-31" in detail["msg"]

    def test_too_many_items(self) -> None:
        r = self.post([item(1, self.turner.pk)] * (MAX_BATCH + 1))
        assert r.status_code == 422
        assert "一次最多提交" in r.json()["detail"][0]["msg"]

    def test_missing_required_field_and_unknown_field_are_422(self) -> None:
        no_name = item(1, self.turner.pk)
        del no_name["name"]
        r = self.post([no_name])
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"][-1] == "name"
        r = self.post([item(1, self.turner.pk, nickname="小张")])
        assert r.status_code == 422


class TestAccess(ApiCase):
    def test_anonymous_is_401(self) -> None:
        r = Client().post(BATCH.format(self.round.pk), "[]", content_type="application/json")
        assert r.status_code == 401
        assert Client().get(f"/api/v1/enrollment/rounds/{self.round.pk}/applications").status_code == 401

    def test_other_tenants_round_and_application_are_404(self) -> None:
        r = self.post([item(1, self.turner.pk)], token=self.token_b)
        assert r.status_code == 404
        other_round = RoundFactory(enterprise=self.w.ent_b)
        other = OfferingFactory(round=other_round)
        assert self.post([item(1, other.pk)], round_id=other_round.pk).status_code == 404
        app_b = ApplicationFactory(offering=other, status="submitted")
        assert self.get(f"/api/v1/enrollment/applications/{app_b.pk}").status_code == 404
        assert self.get(f"/api/v1/enrollment/rounds/{other_round.pk}/applications").status_code == 404
        assert self.post([], round_id=10**12).status_code == 404
        assert Application.objects.filter(round=self.round).count() == 0

    def test_sessions_of_staff_only(self) -> None:
        url = BATCH.format(self.round.pk)
        payload = json.dumps([item(1, self.turner.pk)])
        for persona in ("candidate", "outsider", "city", "province", "sysadmin"):
            r = self.client_for(persona).post(url, payload, content_type="application/json")
            assert r.status_code == 404, persona
        for persona in ("owner", "staff"):
            r = self.client_for(persona).post(url, payload, content_type="application/json")
            assert r.status_code == 200, (persona, r.content)
        detail = f"/api/v1/enrollment/applications/{Application.objects.get().pk}"
        assert self.client_for("staff").get(detail).status_code == 200
        assert self.client_for("candidate").get(detail).status_code == 404
        assert self.client_for("city").get(detail).status_code == 404


class TestRead(ApiCase):
    def test_status_flags_and_eligibility(self) -> None:
        body = self.post([item(1, self.turner.pk, sex="女", phone="")]).json()
        pk = body["items"][0]["application_id"]
        r = self.get(f"/api/v1/enrollment/applications/{pk}")
        assert r.status_code == 200
        data = r.json()
        assert data["status"] == "submitted" and data["source"] == "api"
        assert data["id_number_masked"] == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
        assert data["employee_no"] == "T00001"
        assert data["eligibility"] in ("eligible", "ineligible", "confirm")
        assert data["eligibility_reasons"]
        assert data["blocking_flags"] == 1 and data["warning_flags"] == 1
        codes = {(f["code"], f["severity"], f["confirmed"]) for f in data["flags"]}
        assert codes == {("id.sex_mismatch", "block", False), ("phone.format", "warn", False)}
        assert id_number(1) not in r.content.decode()

    def test_list_pages_and_filters(self) -> None:
        self.post([item(i, self.turner.pk) for i in range(1, 6)])
        Application.objects.filter(name="测试2").update(status="approved")
        url = f"/api/v1/enrollment/rounds/{self.round.pk}/applications"
        data = self.get(url + "?page_size=2").json()
        assert data["count"] == 5 and len(data["items"]) == 2
        approved = self.get(url + "?status=approved").json()
        assert [a["name"] for a in approved["items"]] == ["测试2"]
        assert self.get(url + "?status=nonsense").status_code == 422
        assert self.get(url + "?eligibility=pending").json()["count"] == 0

    def test_openapi_documents_every_field(self) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        components = schema["components"]["schemas"]
        for name in (
            "ApplicationIn",
            "BatchOut",
            "ItemResult",
            "ItemError",
            "BatchCounts",
            "ApplicationDetailOut",
            "FlagOut",
        ):
            for prop, spec in components[name]["properties"].items():
                assert spec.get("description"), f"{name}.{prop} has no description"
        assert set(components["ApplicationIn"]["properties"]) == {c.key for c in importer.COLUMNS}


class TestFuzz(HypothesisTestCase):
    """Whatever is posted, the answer is never a 5xx (S20)."""

    world: ClassVar[World]
    token: ClassVar[str]
    url: ClassVar[str]
    offering_id: ClassVar[int]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = World()
        rnd = RoundFactory(enterprise=cls.world.ent_a)
        cls.offering_id = OfferingFactory(round=rnd).pk
        _t, cls.token = api_token_create(
            actor=cls.world.users["owner"], organisation=cls.world.ent_a, name="fuzz"
        )
        cls.url = BATCH.format(rnd.pk)

    def send(self, body: str | bytes, query: str = "") -> int:
        r = Client().post(
            self.url + query, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )
        return r.status_code

    def test_fixed_bad_payloads(self) -> None:
        good = item(1, self.offering_id)
        bodies: list[str | bytes] = [
            "", "null", "{}", "[", "[null]", "[1, 2]", '"text"', "[[]]", b"\xff\xfe", "[{}]",
            json.dumps([{**good, "offering": 2**70}]),
            json.dumps([{**good, "offering": True}]),
            json.dumps([{**good, "name": "\x00"}]),
            json.dumps([{**good, "name": "\ud800"}]),
            json.dumps([{**good, "work_history": "a\u0000b"}]),
            json.dumps([{**good, "occupation_years": 1e308}]),
            json.dumps([{**good, "post_years": -0.0, "occupation_years": float("nan")}]).replace("NaN", "NaN"),
            json.dumps([{**good, "birth_date": "9999-99-99", "graduated_on": "0000-01-01"}]),
            json.dumps([{**good, "exceptional_grounds": ["a"] * 50, "application_type": "破格"}]),
            json.dumps([{**good, "cert_level": 10**30}]),
            json.dumps([{**good, "id_number": "1" * 40}]),
            json.dumps([{**good, "employee_no": -(2**64)}]),
            json.dumps([good, good]),
        ]  # fmt: skip
        for body in bodies:
            assert self.send(body) < 500, body
        # Larger than Django's request-body limit.
        assert self.send(json.dumps([{**good, "work_history": "长" * 3000}] * 400)) < 500
        for query in ("?mode=everything", "?mode=", "?mode=good_rows_only&mode=x"):
            assert self.send(json.dumps([good]), query) < 500

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.dictionaries(
                st.sampled_from([c.key for c in importer.COLUMNS] + ["x"]),
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=False),
                    st.text(max_size=30),
                    st.dates().map(str),
                    st.lists(st.text(max_size=5), max_size=3),
                ),
            ),
            max_size=4,
        )
    )
    def test_random_items_never_5xx(self, items: list[dict[str, object]]) -> None:
        merged = [{**item(i + 1, self.offering_id), **it} for i, it in enumerate(items)]
        assert self.send(json.dumps(merged)) < 500
        assert self.send(json.dumps(items)) < 500
