"""The read-only catalogue API: access from every side, scoping, filters, detail content, no 5xx (S6, S20)."""

from __future__ import annotations

from django.test import Client

from skillcert.catalog.models import Occupation
from skillcert.core.services.tokens import api_token_create
from tests.catalog.world import A_READERS, STAFF, CatalogueCase

API = "/api/v1/catalog"
LOGGED_IN = STAFF | {"candidate"}


class TestCatalogueApi(CatalogueCase):
    def test_lists_answer_every_logged_in_persona(self) -> None:
        for path in ("/occupations", "/standards", "/rule-sets"):
            self.check_access(f"{API}{path}", allowed=LOGGED_IN, anonymous=(401,))
        # A candidate is not staff: the lists are empty for them.
        assert self.request_as("candidate", "get", f"{API}/occupations").json()["count"] == 0

    def test_details(self) -> None:
        self.check_access(f"{API}/occupations/{self.welder.pk}", allowed=STAFF, anonymous=(401,))
        self.check_access(f"{API}/standards/{self.national.pk}", allowed=STAFF, anonymous=(401,))
        self.check_access(f"{API}/standards/{self.spec_a.pk}", allowed=A_READERS, anonymous=(401,))
        self.check_access(f"{API}/rule-sets/{self.template.pk}", allowed=STAFF, anonymous=(401,))
        self.check_access(f"{API}/rule-sets/{self.rules_a.pk}", allowed=A_READERS, anonymous=(401,))

    def test_other_tenant_and_missing_answer_alike(self) -> None:
        foreign = self.request_as("owner", "get", f"{API}/standards/{self.spec_b.pk}")
        missing = self.request_as("owner", "get", f"{API}/standards/987654321")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json()
        assert self.request_as("owner", "get", f"{API}/rule-sets/{self.rules_b.pk}").status_code == 404

    def test_occupation_filters(self) -> None:
        rows = self.request_as("owner", "get", f"{API}/occupations", {"q": "焊"}).json()
        assert [o["code"] for o in rows["items"]] == ["6-18-02-04"]
        rows = self.request_as("owner", "get", f"{API}/occupations", {"tier": 1}).json()
        assert {o["code"] for o in rows["items"]} == {"4", "6"}
        parent = self.welder.parent
        assert parent is not None
        rows = self.request_as("owner", "get", f"{API}/occupations", {"parent": parent.pk}).json()
        assert [o["code"] for o in rows["items"]] == ["6-18-02-04"] and rows["items"][0][
            "parent_code"
        ] == "6-18-02"
        rows = self.request_as("owner", "get", f"{API}/occupations", {"page_size": 5}).json()
        assert len(rows["items"]) == 5 and rows["count"] == Occupation.objects.count()

    def test_occupation_detail(self) -> None:
        body = self.request_as("owner", "get", f"{API}/occupations/{self.welder.pk}").json()
        assert [p["code"] for p in body["path"]] == ["6", "6-18", "6-18-02", "6-18-02-04"]
        assert {"name": "气焊工", "levels": [5, 4, 3]}.items() <= next(
            j for j in body["job_types"] if j["name"] == "气焊工"
        ).items()
        titles = {s["title"] for s in body["standards"]}
        assert self.spec_a.title in titles and self.spec_b.title not in titles

    def test_standard_detail_has_modules_and_staffing(self) -> None:
        body = self.request_as("staff", "get", f"{API}/standards/{self.national.pk}").json()
        assert body["occupation_code"] == "6-18-02-04" and body["levels"] == [5, 4, 3, 2, 1]
        assert body["staffing"] == {
            "proctor_ratio": 15,
            "proctor_min": 2,
            "assessor_ratio": 5,
            "assessor_min": 3,
            "review_panel_min": 3,
        }
        kinds = {(m["level"], m["kind"]) for m in body["modules"]}
        assert (1, "review") in kinds and (5, "review") not in kinds
        assert {j["name"] for j in body["job_types"]} == {"电焊工", "气焊工", "钎焊工", "焊接设备操作工"}

    def test_standard_list_filters_and_scope(self) -> None:
        rows = self.request_as("city", "get", f"{API}/standards", {"kind": "specification"}).json()
        assert [s["id"] for s in rows["items"]] == [self.spec_a.pk]
        rows = self.request_as("province", "get", f"{API}/standards", {"kind": "specification"}).json()
        assert {s["id"] for s in rows["items"]} == {self.spec_a.pk, self.spec_b.pk}
        rows = self.request_as("sysadmin", "get", f"{API}/standards", {"occupation": self.welder.pk}).json()
        assert [s["id"] for s in rows["items"]] == [self.national.pk]
        rows = self.request_as("owner", "get", f"{API}/standards", {"q": "企业人力"}).json()
        assert [s["occupation_code"] for s in rows["items"]] == ["4-07-03-04"]

    def test_rule_sets(self) -> None:
        rows = self.request_as("owner", "get", f"{API}/rule-sets", {"scope": "template"}).json()
        assert {r["template"] for r in rows["items"]} == {"2018", "2023"}
        rows = self.request_as("owner", "get", f"{API}/rule-sets", {"scope": "enterprise"}).json()
        assert [r["id"] for r in rows["items"]] == [self.rules_a.pk]
        body = self.request_as("owner", "get", f"{API}/rule-sets/{self.template.pk}").json()
        assert body["rules"]["levels"].keys() == {"1", "2", "3", "4", "5"}
        described = {d["level"]: d["conditions"] for d in body["described"]}
        assert set(described) == {1, 2, 3, 4, 5} and described[5][0].startswith("（1）")

    def test_token_of_enterprise_a(self) -> None:
        _token, raw = api_token_create(actor=self.w.users["owner"], organisation=self.w.ent_a, name="HR")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        assert Client().get(f"{API}/standards/{self.spec_a.pk}", **auth).status_code == 200
        assert Client().get(f"{API}/standards/{self.spec_b.pk}", **auth).status_code == 404

    def test_bad_input_is_422_never_5xx(self) -> None:
        for path, params in [
            ("/occupations", {"tier": 9}),
            ("/occupations", {"parent": "x"}),
            ("/occupations", {"parent": 2**70}),
            ("/occupations", {"q": "x" * 100}),
            ("/standards", {"kind": "other"}),
            ("/rule-sets", {"scope": "all"}),
            ("/occupations", {"page": 0}),
        ]:
            response = self.request_as("owner", "get", f"{API}{path}", params)
            assert response.status_code == 422, (path, params, response.status_code)
        for path in ("/occupations/0", f"/standards/{2**64}", "/rule-sets/abc"):
            assert self.request_as("owner", "get", f"{API}{path}").status_code == 422
        assert self.request_as("owner", "get", f"{API}/occupations", {"q": "\x00"}).status_code == 422

    def test_schema_describes_fields_in_chinese(self) -> None:
        schema = self.request_as("owner", "get", "/api/v1/openapi.json").json()
        assert "/api/v1/catalog/standards/{id}" in schema["paths"]
        props = schema["components"]["schemas"]["StandardDetailOut"]["properties"]
        assert props["staffing"].get("description") or props["staffing"].get("allOf")
        assert "考核模块" in props["modules"]["description"]
