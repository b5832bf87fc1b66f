"""The rounds API: scoped reads, the announcement with conditions in words, never a 5xx."""

from __future__ import annotations

from django.utils import timezone

from skillcert.rounds.models import Round
from tests.base import AccessCase
from tests.filings.helpers import Catalogue
from tests.rounds.helpers import make_round, published_round, scoped_catalogue

LIST = "/api/v1/rounds"


class TestRoundsApi(AccessCase):
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

    def names(self, persona: str, query: str = "") -> set[str]:
        response = self.request_as(persona, "get", LIST + query)
        assert response.status_code == 200, response.content
        return {item["name"] for item in response.json()["items"]}

    def test_list_is_scoped(self) -> None:
        both = {self.published.name, self.draft.name}
        for persona in ("owner", "staff", "city", "city_admin", "province"):
            assert self.names(persona) == both, persona
        assert self.names("candidate") == {self.published.name}
        for persona in ("outsider", "other_city", "sysadmin"):
            assert self.names(persona) == set(), persona
        response = self.request_as("anonymous", "get", LIST)
        assert response.status_code == 401

    def test_list_filters(self) -> None:
        assert self.names("owner", "?status=draft") == {self.draft.name}
        today = timezone.localdate()
        assert self.names("owner", f"?open_on={today.isoformat()}") == {self.published.name}
        assert self.names("owner", "?year=2001") == set()
        for bad in ("?status=nope", "?year=abc", "?year=99999", "?open_on=2026-13-01", "?page=0"):
            assert self.request_as("owner", "get", LIST + bad).status_code == 422, bad

    def test_detail_with_conditions_in_words(self) -> None:
        url = f"{LIST}/{self.published.pk}"
        self.check_access(
            url, ["owner", "staff", "candidate", "city", "city_admin", "province"], anonymous=(401,)
        )
        body = self.request_as("candidate", "get", url).json()
        assert body["name"] == self.published.name
        assert body["title"] == f"关于开展{self.published.name}职业技能等级认定工作的公告"
        assert body["status"] == "published" and body["registration_open"] is True
        assert body["reference_on"] == self.published.registration_closes.isoformat()
        assert body["contact_phone"] == "0531-88880000"
        offerings = {(o["occupation_name"], o["job_type_name"], o["level"]): o for o in body["offerings"]}
        assert set(offerings) == {("焊工", "电焊工", 4), ("车工", "", 3)}
        welder = offerings[("焊工", "电焊工", 4)]
        assert welder["level_label"] == "四级/中级工" and welder["standard_kind"] == "national"
        assert welder["conditions"] and all(c["text"] for c in welder["conditions"])
        assert any("累计从事本职业或相关职业工作" in c["text"] for c in welder["conditions"])

    def test_draft_detail_hidden_from_the_candidate(self) -> None:
        url = f"{LIST}/{self.draft.pk}"
        self.check_access(url, ["owner", "staff", "city", "city_admin", "province"], anonymous=(401,))
        assert self.request_as("candidate", "get", url).json() == {"detail": "未找到，或无权访问。"}

    def test_bad_ids_never_5xx(self) -> None:
        for raw in ("0", "-1", "abc", "99999999999999999999999", "9223372036854775807"):
            status = self.request_as("owner", "get", f"{LIST}/{raw}").status_code
            assert status in (404, 422), (raw, status)

    def test_schema_documents_every_field(self) -> None:
        schema = self.request_as("anonymous", "get", "/api/v1/openapi.json").json()
        for name in ("RoundOut", "RoundDetailOut", "OfferingOut", "ConditionOut"):
            props = schema["components"]["schemas"][name]["properties"]
            missing = [field for field, spec in props.items() if not spec.get("description")]
            assert not missing, (name, missing)
