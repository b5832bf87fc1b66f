"""/api/v1/filings: the scope in force and the adjustment workflow, from every side; never a 5xx (S6, S20)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from skillcert.core.services.tokens import api_token_create
from skillcert.filings.models import AdjustmentStatus, ScopeAdjustment, ScopeItem
from skillcert.filings.services import adjustments as services
from skillcert.filings.services.filing import ScopeEntry
from tests.base import PERSONAS, AccessCase
from tests.filings.helpers import JUNE, catalogue, draft, equip, file_enterprise

API = "/api/v1/filings"
READERS_A = {"owner", "staff", "city", "city_admin", "province"}
REVIEWERS_A = {"city", "city_admin", "province"}


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class FilingsApiCase(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.w
        c = cls.cat = catalogue()
        file_enterprise(w.ent_a, [ScopeEntry(c.turner, None, 4), ScopeEntry(c.welder, c.electric_welder, 3)])
        file_enterprise(w.ent_b, [ScopeEntry(c.electrician, None, 4)])
        equip(w.ent_a, [c.electrician, c.welder])
        owner = w.users["owner"]
        cls.adj = services.adjustment_submit(
            actor=owner,
            adjustment=draft(owner, w.ent_a, adds=[ScopeEntry(c.electrician, None, 4)]),
            today=JUNE,
        )
        _t, cls.raw_a = api_token_create(actor=owner, organisation=w.ent_a, name="HR")
        _t, cls.raw_b = api_token_create(actor=w.users["outsider"], organisation=w.ent_b, name="B")
        _t, cls.raw_city = api_token_create(actor=w.users["city_admin"], organisation=w.city, name="市局")

    def post(self, persona: str, path: str, payload: Any = None) -> Any:
        client = self.client_for(persona)
        return client.post(f"{API}{path}", json.dumps(payload or {}), content_type="application/json")

    def token_post(self, raw: str, path: str, payload: Any = None) -> Any:
        return Client().post(
            f"{API}{path}", json.dumps(payload or {}), content_type="application/json", **bearer(raw)
        )


class TestScopeEndpoint(FilingsApiCase):
    def test_access_from_every_side(self) -> None:
        url = f"{API}/scope?enterprise={self.w.ent_a.pk}&on=2025-01-01"
        self.check_access(url, allowed=READERS_A, anonymous=(401,))
        for persona in ("outsider", "other_city", "candidate", "sysadmin"):
            body = self.request_as(persona, "get", url).json()
            assert body == {"detail": "未找到，或无权访问。"}

    def test_scope_on_a_date(self) -> None:
        body = self.request_as(
            "city", "get", f"{API}/scope?enterprise={self.w.ent_a.pk}&on=2025-01-01"
        ).json()
        assert body["filed"] is True and body["on"] == "2025-01-01"
        assert {(i["occupation_name"], i["job_type_name"], i["level"]) for i in body["items"]} == {
            ("车工", "", 4),
            ("焊工", "电焊工", 3),
        }
        item = body["items"][0]
        assert item["standard_kind"] == "national" and item["valid_to"] is None and item["level_label"]
        before = self.request_as(
            "owner", "get", f"{API}/scope?enterprise={self.w.ent_a.pk}&on=2020-01-01"
        ).json()
        assert before == {"enterprise_id": self.w.ent_a.pk, "on": "2020-01-01", "filed": False, "items": []}
        today = self.request_as("owner", "get", f"{API}/scope?enterprise={self.w.ent_a.pk}").json()
        assert len(today["items"]) == 2

    def test_tokens_see_their_own_tenant(self) -> None:
        url = f"{API}/scope?enterprise={self.w.ent_a.pk}"
        assert Client().get(url, **bearer(self.raw_a)).status_code == 200
        assert Client().get(url, **bearer(self.raw_city)).status_code == 200
        assert Client().get(url, **bearer(self.raw_b)).status_code == 404
        assert Client().get(url, **bearer("skc_abcdefgh_" + "x" * 40)).status_code == 401

    def test_bad_input_is_422_never_500(self) -> None:
        for query in (
            "enterprise=abc",
            "enterprise=0",
            f"enterprise={2**70}",
            f"enterprise={self.w.ent_a.pk}&on=2025-13-45",
            "on=2025-01-01",
            "enterprise=%00",
        ):
            response = self.request_as("owner", "get", f"{API}/scope?{query}")
            assert response.status_code == 422, (query, response.status_code)
        assert self.request_as("owner", "get", f"{API}/scope?enterprise=99999999").status_code == 404


class TestAdjustmentEndpoints(FilingsApiCase):
    def test_list_and_detail_access(self) -> None:
        self.check_access(f"{API}/adjustments", allowed=set(PERSONAS) - {"anonymous"}, anonymous=(401,))
        self.check_access(f"{API}/adjustments/{self.adj.pk}", allowed=READERS_A, anonymous=(401,))
        numbers = [a["number"] for a in self.request_as("city", "get", f"{API}/adjustments").json()["items"]]
        assert numbers == [self.adj.number]
        assert self.request_as("outsider", "get", f"{API}/adjustments").json()["items"] == []
        body = self.request_as("owner", "get", f"{API}/adjustments/{self.adj.pk}").json()
        assert body["status"] == "submitted" and body["items"][0]["occupation_name"] == "电工"
        assert body["outside_window"] is False

    def test_create_is_the_enterprises(self) -> None:
        c = self.cat
        payload = {
            "reason": "新产线",
            "items": [
                {
                    "action": "add",
                    "occupation_id": c.welder.pk,
                    "job_type_id": c.electric_welder.pk,
                    "level": 4,
                },
                {
                    "action": "remove",
                    "scope_item_id": ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=c.turner).pk,
                },
            ],
        }
        for persona in ("staff", "city", "province", "candidate", "sysadmin"):
            assert self.post(persona, "/adjustments", payload).status_code == 404, persona
        assert self.post("anonymous", "/adjustments", payload).status_code == 401
        response = self.post("owner", "/adjustments", payload)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "draft" and body["enterprise_id"] == self.w.ent_a.pk
        assert sorted(i["action"] for i in body["items"]) == ["add", "remove"]
        # The enterprise's own token may create too; an authority's token may not.
        payload2 = {
            "reason": "x",
            "items": [{"action": "add", "occupation_id": c.electrician.pk, "level": 3}],
        }
        assert self.token_post(self.raw_a, "/adjustments", payload2).status_code == 201
        assert self.token_post(self.raw_city, "/adjustments", payload2).status_code == 404

    def test_a_bad_item_saves_nothing_and_names_the_item(self) -> None:
        c = self.cat
        before = ScopeAdjustment.objects.count()
        payload = {
            "reason": "x",
            "items": [
                {"action": "add", "occupation_id": c.electrician.pk, "level": 3},
                {"action": "add", "occupation_id": c.drone.pk, "level": 4},
            ],
        }
        response = self.post("owner", "/adjustments", payload)
        assert response.status_code == 422
        detail = response.json()["detail"][0]
        assert detail["rule"] == "R1.3" and detail["loc"] == ["body", "payload", "items.1.standard_id"]
        assert "没有国家职业技能标准" in detail["msg"]
        assert ScopeAdjustment.objects.count() == before
        for bad in (
            {"items": [{"action": "add", "occupation_id": c.electrician.pk, "level": 7}]},
            {"items": [{"action": "move"}]},
            {"items": [{"action": "add", "occupation_id": 2**70, "level": 3}]},
            {"reason": "x" * 3000},
            {"items": [{"action": "add", "occupation_id": 999999, "level": 3}]},
            {
                "items": [
                    {"action": "remove", "scope_item_id": ScopeItem.objects.get(enterprise=self.w.ent_b).pk}
                ]
            },
        ):
            assert self.post("owner", "/adjustments", bad).status_code == 422, bad
        raw = self.client_for("owner").post(
            f"{API}/adjustments", "{not json", content_type="application/json"
        )
        assert raw.status_code in (400, 422)

    def test_submit_return_forward_decide(self) -> None:
        c = self.cat
        created = self.post(
            "owner",
            "/adjustments",
            {
                "reason": "扩产",
                "items": [
                    {
                        "action": "add",
                        "occupation_id": c.welder.pk,
                        "job_type_id": c.electric_welder.pk,
                        "level": 2,
                    }
                ],
            },
        ).json()
        pk = created["id"]
        for persona in ("staff", "outsider", "city"):
            assert self.post(persona, f"/adjustments/{pk}/submit").status_code == 404, persona
        response = self.post("owner", f"/adjustments/{pk}/submit")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "submitted"
        # A repeated submit is a refused move: 422 with the rule.
        again = self.post("owner", f"/adjustments/{pk}/submit").json()["detail"][0]
        assert again["rule"] == "R1.3" and "不能提交" in again["msg"]
        for persona in ("owner", "outsider", "other_city", "staff"):
            assert self.post(persona, f"/adjustments/{pk}/forward").status_code == 404, persona
        assert self.post("city", f"/adjustments/{pk}/return", {"reason": ""}).status_code == 422
        assert (
            self.post("city", f"/adjustments/{pk}/return", {"reason": "缺材料"}).json()["status"]
            == "returned"
        )
        assert (
            self.post(
                "city", f"/adjustments/{pk}/decide", {"decision": "refused", "document_no": "X"}
            ).json()["detail"][0]["rule"]
            == "R1.4"
        )
        services.adjustment_reopen(actor=self.w.users["owner"], adjustment=ScopeAdjustment.objects.get(pk=pk))
        assert self.token_post(self.raw_a, f"/adjustments/{pk}/submit").status_code == 200
        # An authority's token reads but never decides (D8): forwarding is a reviewer's act.
        assert self.token_post(self.raw_city, f"/adjustments/{pk}/forward").status_code == 404
        assert self.post("city", f"/adjustments/{pk}/forward").json()["status"] == "forwarded"
        no_date = self.post(
            "province",
            f"/adjustments/{pk}/decide",
            {"decision": "approved", "document_no": "人社鉴函〔2026〕3号"},
        )
        assert no_date.status_code == 422 and no_date.json()["detail"][0]["loc"][-1] == "effective_on"
        effective = (timezone.localdate() + timedelta(days=30)).isoformat()
        response = self.post(
            "province",
            f"/adjustments/{pk}/decide",
            {"decision": "approved", "document_no": "人社鉴函〔2026〕3号", "effective_on": effective},
        )
        body = response.json()
        assert body["status"] == "approved" and body["effective_on"] == effective, body
        scope = self.request_as(
            "owner", "get", f"{API}/scope?enterprise={self.w.ent_a.pk}&on={effective}"
        ).json()
        assert ("焊工", "电焊工", 2) in {
            (i["occupation_name"], i["job_type_name"], i["level"]) for i in scope["items"]
        }
        assert ScopeAdjustment.objects.get(pk=pk).status == AdjustmentStatus.APPROVED

    def test_writes_to_unknown_ids_are_404_or_422(self) -> None:
        assert self.post("city", "/adjustments/999999/forward").status_code == 404
        assert self.post("city", f"/adjustments/{2**70}/forward").status_code == 422
        assert self.post("city", "/adjustments/abc/decide", {}).status_code == 422
        assert date.today() is not None

    def test_schema_is_documented_in_chinese(self) -> None:
        schema = self.request_as("owner", "get", "/api/v1/openapi.json").json()
        paths = {p: v for p, v in schema["paths"].items() if p.startswith("/api/v1/filings")}
        assert set(paths) >= {
            "/api/v1/filings/scope",
            "/api/v1/filings/adjustments",
            "/api/v1/filings/adjustments/{id}",
            "/api/v1/filings/adjustments/{id}/submit",
            "/api/v1/filings/adjustments/{id}/decide",
        }
        for item in paths.values():
            for op in item.values():
                assert op["summary"] and op["description"]
                assert any("\u4e00" <= ch <= "\u9fff" for ch in op["description"])


def test_authority_token_cannot_decide(db) -> None:
    """Decisions on scope adjustments are made by a logged-in reviewer, never by an integration token (D8)."""
    from django.test import Client

    from skillcert.core.services.tokens import api_token_create
    from tests.base import World

    w = World()
    _token, plain = api_token_create(actor=w.users["city_admin"], organisation=w.city, name="省平台对接")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    for path in ("return", "forward", "decide"):
        response = client.post(f"/api/v1/filings/adjustments/1/{path}", {}, content_type="application/json")
        assert response.status_code in (404, 422), (path, response.status_code)
        assert response.status_code != 200
