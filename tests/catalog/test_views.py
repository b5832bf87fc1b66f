"""Catalogue pages: who reaches each page, what they see, and the editors' errors (S6)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from skillcert.catalog.models import EligibilityRuleSet, JobType, Standard, StandardKind
from skillcert.core.models import AuditEvent
from tests.base import login
from tests.catalog.world import A_READERS, NATIONAL_WRITERS, RULES, STAFF, CatalogueCase


def standard_post(**overrides: Any) -> dict[str, Any]:
    """A valid standard form: 五级–三级, theory and practical each, default staffing."""
    data: dict[str, Any] = {
        "std-title": "济南重工焊工评价规范（2025）",
        "std-code": "",
        "std-edition_year": "2025",
        "std-issued_by": "",
        "std-proctor_ratio": "15",
        "std-proctor_min": "2",
        "std-assessor_ratio": "5",
        "std-assessor_min": "3",
        "std-review_panel_min": "3",
        "std-is_active": "on",
    }
    for level in (5, 4, 3, 2, 1):
        for kind in ("theory", "practical", "review"):
            key = f"{level}_{kind}"
            data.update({f"mod-full_{key}": "100", f"mod-pass_{key}": "60", f"mod-min_{key}": "90"})
    for level in (5, 4, 3):
        data[f"mod-cover_{level}"] = "on"
        data[f"mod-on_{level}_theory"] = data[f"mod-on_{level}_practical"] = "on"
    data.update(overrides)
    return data


class TestOccupationPages(CatalogueCase):
    def test_list_and_detail_for_all_staff(self) -> None:
        self.check_access(reverse("catalog:occupation_list"), allowed=STAFF)
        self.check_access(reverse("catalog:occupation_detail", args=[self.welder.pk]), allowed=STAFF)
        parent = self.welder.parent
        assert parent is not None
        self.check_access(reverse("catalog:occupation_detail", args=[parent.pk]), allowed=STAFF)

    def test_search_filter_and_breadcrumbs(self) -> None:
        url = reverse("catalog:occupation_list")
        page = self.request_as("owner", "get", url, {"q": "焊"}).content.decode()
        assert "6-18-02-04" in page and "车工" not in page
        page = self.request_as("owner", "get", url, {"tier": "4", "under": "6-18"}).content.decode()
        assert "6-18-01-01" in page and "6-31-01-03" not in page
        assert "机械制造基础加工人员" in page  # the breadcrumb of 6-18
        partial = self.request_as("owner", "get", url, {"q": "6-31"}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in partial and "6-31-01-03" in partial

    def test_detail_shows_chain_job_types_and_visible_standards(self) -> None:
        url = reverse("catalog:occupation_detail", args=[self.welder.pk])
        page = self.request_as("owner", "get", url).content.decode()
        for text in (
            "生产制造及有关人员",
            "机械热加工人员",
            "电焊工",
            "气焊工",
            "国家职业技能标准 焊工（2018年版）",
        ):
            assert text in page, text
        assert self.spec_a.title in page and self.spec_b.title not in page
        assert "新建企业评价规范" in page and "添加工种" not in page
        page = self.request_as("sysadmin", "get", url).content.decode()
        assert "添加工种" in page and "新建国家职业技能标准" in page and self.spec_a.title not in page

    def test_nav_item(self) -> None:
        home = reverse("core:home")
        assert "职业目录" in self.request_as("staff", "get", home).content.decode()
        assert "职业目录" not in self.request_as("candidate", "get", home).content.decode()

    def test_job_type_create_and_edit(self) -> None:
        url = reverse("catalog:job_type_create", args=[self.welder.pk])
        self.check_access(url, allowed=NATIONAL_WRITERS)
        client = login(Client(), self.provincial_admin)
        assert client.get(url).status_code == 200
        response = client.post(url, {"name": "激光焊工", "levels": ["5", "4", "3"]})
        assert response.status_code == 302
        jt = JobType.objects.get(occupation=self.welder, name="激光焊工")
        assert jt.levels == [5, 4, 3]
        edit = reverse("catalog:job_type_edit", args=[jt.pk])
        self.check_access(edit, allowed=NATIONAL_WRITERS)
        response = client.post(edit, {"name": "激光焊工", "code": "JG", "levels": ["5", "4"]})
        assert response.status_code == 302 and JobType.objects.get(pk=jt.pk).code == "JG"
        # Dropping a level a standard covers is refused on the page, with the reason.
        edit = reverse("catalog:job_type_edit", args=[self.electric_welder.pk])
        page = client.post(edit, {"name": "电焊工", "levels": ["5"]}).content.decode()
        assert "请先修改标准" in page


class TestStandardPages(CatalogueCase):
    def test_list_is_scoped(self) -> None:
        url = reverse("catalog:standard_list")
        self.check_access(url, allowed=STAFF)
        page = self.request_as("city", "get", url).content.decode()
        assert self.spec_a.title in page and self.spec_b.title not in page
        page = self.request_as("province", "get", url).content.decode()
        assert self.spec_a.title in page and self.spec_b.title in page
        page = self.request_as("sysadmin", "get", url, {"kind": "specification"}).content.decode()
        assert self.spec_a.title not in page

    def test_detail_access(self) -> None:
        self.check_access(reverse("catalog:standard_detail", args=[self.national.pk]), allowed=STAFF)
        self.check_access(reverse("catalog:standard_detail", args=[self.spec_a.pk]), allowed=A_READERS)
        assert (
            self.request_as(
                "outsider", "get", reverse("catalog:standard_detail", args=[self.spec_a.pk])
            ).status_code
            == 404
        )

    def test_detail_shows_modules_ratios_and_conditions(self) -> None:
        page = self.request_as(
            "staff", "get", reverse("catalog:standard_detail", args=[self.national.pk])
        ).content.decode()
        for text in (
            "理论知识考试",
            "操作技能考核",
            "综合评审",
            "60</span>/100",
            "1:15",
            "（R6.4，奇数）",
            "五级/初级工",
            "申报条件",
        ):
            assert text in page, text

    def test_edit_access(self) -> None:
        self.check_access(reverse("catalog:standard_edit", args=[self.national.pk]), allowed=NATIONAL_WRITERS)
        self.check_access(reverse("catalog:standard_edit", args=[self.spec_a.pk]), allowed={"owner"})
        self.check_access(
            reverse("catalog:standard_create", args=[self.welder.pk]),
            allowed=NATIONAL_WRITERS | {"owner", "outsider"},
        )
        parent = self.welder.parent
        assert parent is not None
        # Standards hang on occupations (tier 4) only.
        assert (
            self.request_as(
                "sysadmin", "get", reverse("catalog:standard_create", args=[parent.pk])
            ).status_code
            == 404
        )

    def test_owner_creates_a_specification(self) -> None:
        url = reverse("catalog:standard_create", args=[self.welder.pk])
        data = standard_post(
            **{"std-rule_set": str(self.rules_a.pk), "std-job_types": [str(self.electric_welder.pk)]}
        )
        response = self.request_as("owner", "post", url, data)
        assert response.status_code == 302, response.content.decode()
        spec = Standard.objects.get(title="济南重工焊工评价规范（2025）")
        assert spec.kind == StandardKind.SPECIFICATION and spec.enterprise == self.w.ent_a
        assert spec.levels == [5, 4, 3] and spec.modules.count() == 6
        assert AuditEvent.objects.filter(action="standard.create", object_id=str(spec.pk)).exists()
        # Another enterprise's rule set is not offered.
        data = standard_post(**{"std-title": "越权", "std-rule_set": str(self.rules_b.pk)})
        page = self.request_as("owner", "post", url, data).content.decode()
        assert not Standard.objects.filter(title="越权").exists() and "is-invalid" in page

    def test_form_errors_are_shown(self) -> None:
        url = reverse("catalog:standard_edit", args=[self.spec_a.pk])
        data = standard_post(**{"std-assessor_min": "4", "std-rule_set": str(self.rules_a.pk)})
        page = self.request_as("owner", "post", url, data).content.decode()
        assert "不少于 3 人的奇数" in page and "R6.4" in page
        data = standard_post(**{"mod-pass_5_theory": "120", "std-rule_set": str(self.rules_a.pk)})
        page = self.request_as("owner", "post", url, data).content.decode()
        assert "合格分 120 超过满分 100" in page
        data = standard_post(**{"mod-cover_2": "on", "std-rule_set": str(self.rules_a.pk)})
        page = self.request_as("owner", "post", url, data).content.decode()
        assert "二级/技师尚未设置任何考核模块" in page
        data = standard_post(**{"mod-full_5_theory": "", "std-rule_set": str(self.rules_a.pk)})
        page = self.request_as("owner", "post", url, data).content.decode()
        assert "须填写满分" in page
        assert Standard.objects.get(pk=self.spec_a.pk).assessor_min == 3

    def test_national_edit_by_sysadmin(self) -> None:
        url = reverse("catalog:standard_edit", args=[self.national.pk])
        page = self.request_as("sysadmin", "get", url).content.decode()
        assert "国家职业技能标准 焊工（2018年版）" in page
        data = standard_post(
            **{
                "std-title": self.national.title,
                "std-edition_year": "2018",
                "std-rule_set": str(self.template.pk),
                "std-assessor_min": "5",
            }
        )
        response = self.request_as("sysadmin", "post", url, data)
        assert response.status_code == 302
        std = Standard.objects.get(pk=self.national.pk)
        assert std.assessor_min == 5 and std.levels == [5, 4, 3]


class TestRuleSetPages(CatalogueCase):
    def test_list_and_detail_access(self) -> None:
        self.check_access(reverse("catalog:ruleset_list"), allowed=STAFF)
        self.check_access(reverse("catalog:ruleset_detail", args=[self.template.pk]), allowed=STAFF)
        self.check_access(reverse("catalog:ruleset_detail", args=[self.rules_a.pk]), allowed=A_READERS)
        page = self.request_as("owner", "get", reverse("catalog:ruleset_list")).content.decode()
        assert (
            "国家职业标准申报条件（2018年版模板）" in page
            and "A 企业申报条件" in page
            and "B 企业申报条件" not in page
        )

    def test_detail_in_words(self) -> None:
        page = self.request_as(
            "staff", "get", reverse("catalog:ruleset_detail", args=[self.template.pk])
        ).content.decode()
        assert "四级/中级工" in page and "一级/高级技师" in page and "系统判定" in page
        page = self.request_as(
            "owner", "get", reverse("catalog:ruleset_detail", args=[self.rules_a.pk])
        ).content.decode()
        assert "累计从事本职业或相关职业工作 3 年（含）以上" in page

    def test_editor_access(self) -> None:
        self.check_access(reverse("catalog:ruleset_create"), allowed=NATIONAL_WRITERS | {"owner", "outsider"})
        self.check_access(reverse("catalog:ruleset_edit", args=[self.rules_a.pk]), allowed={"owner"})
        # Templates change only with the code: nobody edits them on a page.
        self.check_access(reverse("catalog:ruleset_edit", args=[self.template.pk]), allowed=set())

    def test_copy_from_template_and_save(self) -> None:
        url = reverse("catalog:ruleset_create")
        page = self.request_as("owner", "get", url).content.decode()
        assert "从模板复制" in page and "国家职业标准申报条件（2023年版模板）" in page
        page = self.request_as("owner", "get", url, {"from": self.template.pk}).content.decode()
        assert "（副本）" in page and "occupation_years" in page
        # Another tenant's rule set cannot be copied.
        assert self.request_as("owner", "get", url, {"from": self.rules_b.pk}).status_code == 404
        rules = json.dumps(self.template.rules, ensure_ascii=False)
        response = self.request_as(
            "owner", "post", url, {"name": "A 企业焊工申报条件", "source": "评价规范", "rules": rules}
        )
        assert response.status_code == 302
        rs = EligibilityRuleSet.objects.get(name="A 企业焊工申报条件")
        assert (
            rs.enterprise == self.w.ent_a
            and rs.template == ""
            and rs.rules["levels"] == self.template.rules["levels"]
        )

    def test_editor_lists_errors_by_path(self) -> None:
        url = reverse("catalog:ruleset_edit", args=[self.rules_a.pk])
        bad = {
            "version": 1,
            "levels": {
                "4": {"conditions": [{"requires": [{"type": "occupation_years", "years": "三"}]}]},
                "7": {},
            },
        }
        page = self.request_as("owner", "post", url, {"name": "A", "rules": json.dumps(bad)}).content.decode()
        assert "levels.4.conditions[0].requires[0].years" in page and "levels.7" in page
        assert "申报条件有 2 处错误" in page
        page = self.request_as(
            "owner", "post", url, {"name": "A", "rules": '{"levels": {\n  "4": ,\n}}'}
        ).content.decode()
        assert "不是有效的 JSON：第 2 行第 8 列" in page
        page = self.request_as("owner", "post", url, {"name": "A", "rules": "[1, 2]"}).content.decode()
        assert "须为 JSON 对象" in page
        assert EligibilityRuleSet.objects.get(pk=self.rules_a.pk).name == "A 企业申报条件"
        response = self.request_as(
            "owner", "post", url, {"name": "A 企业申报条件（二）", "rules": json.dumps(RULES)}
        )
        assert response.status_code == 302
        assert EligibilityRuleSet.objects.get(pk=self.rules_a.pk).name == "A 企业申报条件（二）"

    def test_national_rule_set_by_sysadmin(self) -> None:
        url = reverse("catalog:ruleset_create")
        response = self.request_as(
            "sysadmin", "post", url, {"name": "国家焊工申报条件", "rules": json.dumps(RULES)}
        )
        assert response.status_code == 302
        rs = EligibilityRuleSet.objects.get(name="国家焊工申报条件")
        assert rs.enterprise is None
        self.check_access(reverse("catalog:ruleset_edit", args=[rs.pk]), allowed=NATIONAL_WRITERS)
        self.check_access(reverse("catalog:ruleset_detail", args=[rs.pk]), allowed=STAFF)
