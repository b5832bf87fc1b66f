"""Catalogue services: job types, standards and their modules, rule sets; every refusal names its rule."""

from __future__ import annotations

from typing import Any

import pytest

from skillcert.catalog import ruletext, selectors, services
from skillcert.catalog.models import EligibilityRuleSet, JobType, Standard, StandardKind
from skillcert.catalog.services import ModuleSpec, RuleSetInvalid, Staffing
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from tests.catalog.world import RULES, CatalogueCase, modules


class TestStandards(CatalogueCase):
    def create(self, **overrides: Any) -> Standard:
        fields: dict[str, Any] = {
            "actor": self.w.users["sysadmin"],
            "occupation": self.welder,
            "title": "国家职业技能标准 焊工（2025年版）",
            "edition_year": 2025,
            "levels": [5, 4, 3],
            "modules": modules([5, 4, 3]),
            "job_types": [self.electric_welder],
            "rule_set": self.template,
        }
        fields.update(overrides)
        return services.standard_create(**fields)

    def refused(self, rule: str, field: str, **overrides: Any) -> RuleViolation:
        with pytest.raises(RuleViolation) as info:
            self.create(**overrides)
        assert (info.value.rule, info.value.field) == (rule, field), str(info.value)
        return info.value

    def test_create_writes_modules_and_one_audit_event(self) -> None:
        std = self.create(
            levels=[5, 4, 3, 2],
            modules=[*modules([5, 4, 3, 2]), ModuleSpec(level=2, kind="review", duration_minutes=30)],
            staffing=Staffing(assessor_min=5, review_panel_min=5),
        )
        assert std.modules.count() == 9 and std.assessor_min == 5
        event = AuditEvent.objects.get(action="standard.create", object_id=str(std.pk))
        assert event.summary["levels"] == [5, 4, 3, 2]

    def test_levels_must_be_within_the_job_types(self) -> None:
        gas = JobType.objects.get(occupation=self.welder, name="气焊工")
        error = self.refused(
            "R1.2", "levels", job_types=[gas], levels=[5, 4, 3, 2], modules=modules([5, 4, 3, 2])
        )
        assert "气焊工 没有二级/技师" in error.message
        # Without chosen job types, the occupation's job types together bound the levels.
        assert self.create(job_types=[], levels=[5, 4, 3, 2, 1], modules=modules([5, 4, 3, 2, 1]))

    def test_job_types_of_another_occupation_are_refused(self) -> None:
        lathe = JobType.objects.get(occupation__code="6-18-01-01")
        self.refused("R1.2", "job_types", job_types=[lathe])

    def test_pass_mark_may_not_exceed_full_marks(self) -> None:
        bad = [*modules([5, 4]), ModuleSpec(level=3, kind="theory", full_marks=50, pass_mark=60)]
        error = self.refused("R1.2", "modules", modules=bad)
        assert "合格分 60 超过满分 50" in error.message

    def test_every_covered_level_needs_a_module_and_no_module_outside(self) -> None:
        error = self.refused("R1.2", "modules", modules=modules([5, 4]))
        assert "三级/高级工尚未设置任何考核模块" in error.message
        error = self.refused("R1.2", "modules", modules=modules([5, 4, 3, 2]))
        assert "二级/技师不在本标准覆盖的等级内" in error.message

    def test_staffing_rules(self) -> None:
        cases = [
            (Staffing(assessor_min=4), "R6.4", "assessor_min"),
            (Staffing(assessor_min=1), "R6.4", "assessor_min"),
            (Staffing(review_panel_min=6), "R6.4", "review_panel_min"),
            (Staffing(proctor_min=1), "R6.3", "proctor_min"),
            (Staffing(proctor_ratio=0), "R6.3", "proctor_ratio"),
        ]
        for staffing, rule, field in cases:
            with self.subTest(staffing=staffing):
                error = self.refused(rule, field, staffing=staffing)
                assert error.message.endswith("。")
        assert "奇数" in self.refused("R6.4", "assessor_min", staffing=Staffing(assessor_min=4)).message

    def test_specification_needs_an_enterprise_and_its_own_rule_set(self) -> None:
        self.refused("R1.2", "enterprise", kind=StandardKind.SPECIFICATION)
        self.refused("R1.2", "enterprise", enterprise=self.w.ent_a)  # a national standard has none
        self.refused(
            "R1.2",
            "rule_set",
            kind=StandardKind.SPECIFICATION,
            enterprise=self.w.ent_a,
            rule_set=self.rules_b,
        )
        self.refused("R1.2", "rule_set", rule_set=self.rules_a)  # national standard, enterprise rules
        spec = self.create(kind=StandardKind.SPECIFICATION, enterprise=self.w.ent_a, rule_set=self.rules_a)
        assert spec.enterprise == self.w.ent_a

    def test_update_replaces_modules_and_audits_the_change(self) -> None:
        std = self.create()
        before = AuditEvent.objects.count()
        same = {
            "actor": self.w.users["sysadmin"],
            "standard": std,
            "title": std.title,
            "edition_year": 2025,
            "levels": [5, 4, 3],
            "modules": modules([5, 4, 3]),
            "job_types": [self.electric_welder],
            "rule_set": self.template,
        }
        services.standard_update(**same)
        assert AuditEvent.objects.count() == before  # nothing changed
        changed = {
            **same,
            "levels": [5, 4],
            "modules": [*modules([5]), ModuleSpec(level=4, kind="theory", pass_mark=70)],
        }
        std = services.standard_update(**changed)
        assert std.levels == [5, 4]
        assert sorted(std.modules.values_list("level", "kind", "pass_mark")) == [
            (4, "theory", 70),
            (5, "practical", 60),
            (5, "theory", 60),
        ]
        event = AuditEvent.objects.filter(action="standard.update").latest("seq")
        assert event.summary["after"]["levels"] == [5, 4] and "modules" in event.summary
        with pytest.raises(RuleViolation) as info:
            services.standard_update(**{**same, "staffing": Staffing(assessor_min=2)})
        assert info.value.rule == "R6.4"


class TestJobTypes(CatalogueCase):
    def test_create_and_duplicate(self) -> None:
        jt = services.job_type_create(actor=None, occupation=self.welder, name="激光焊工", levels=[5, 4, 3])
        assert jt.level_labels() == ["五级/初级工", "四级/中级工", "三级/高级工"]
        with pytest.raises(RuleViolation, match="已有名为“激光焊工”"):
            services.job_type_create(actor=None, occupation=self.welder, name="激光焊工", levels=[5])
        with pytest.raises(RuleViolation, match="第四层"):
            services.job_type_create(actor=None, occupation=self.welder.parent, name="x", levels=[5])  # type: ignore[arg-type]
        with pytest.raises(RuleViolation, match="五级至一级"):
            services.job_type_create(actor=None, occupation=self.welder, name="学徒", levels=[6])

    def test_a_level_a_standard_covers_cannot_be_dropped(self) -> None:
        with pytest.raises(RuleViolation, match="请先修改标准"):
            services.job_type_update(actor=None, job_type=self.electric_welder, name="电焊工", levels=[5, 4])
        jt = services.job_type_update(
            actor=None, job_type=self.electric_welder, name="电焊工", code="DH", levels=[5, 4, 3, 2, 1]
        )
        assert jt.code == "DH"
        assert AuditEvent.objects.filter(action="job_type.update", object_id=str(jt.pk)).exists()


class TestRuleSets(CatalogueCase):
    def test_create_keeps_name_and_source_in_the_json(self) -> None:
        rs = services.rule_set_create(
            actor=self.w.users["owner"],
            name="新规则",
            source="企业规范",
            rules=RULES,
            enterprise=self.w.ent_a,
        )
        assert rs.rules["name"] == "新规则" and rs.rules["source"] == "企业规范"
        assert ruletext.describe(rs) == {4: ["（1）累计从事本职业或相关职业工作 3 年（含）以上。"]}

    def test_invalid_rules_list_every_error_with_its_path(self) -> None:
        bad = {
            "levels": {
                "4": {"conditions": [{"requires": [{"type": "occupation_years", "years": -1}]}]},
                "9": {"conditions": []},
            }
        }
        with pytest.raises(RuleSetInvalid) as info:
            services.rule_set_create(actor=None, name="坏规则", rules=bad, enterprise=self.w.ent_a)
        paths = [e.split(": ")[0] for e in info.value.errors]
        assert "levels.4.conditions[0].requires[0].years" in paths
        assert "levels.9" in paths
        assert info.value.field == "rules" and info.value.rule == "R3.3"
        assert not EligibilityRuleSet.objects.filter(name="坏规则").exists()

    def test_names_are_unique_per_owner(self) -> None:
        with pytest.raises(RuleViolation, match="已有名为"):
            services.rule_set_create(actor=None, name="A 企业申报条件", rules=RULES, enterprise=self.w.ent_a)
        # Another enterprise may use the same name.
        assert services.rule_set_create(
            actor=None, name="A 企业申报条件", rules=RULES, enterprise=self.w.ent_b
        )

    def test_update_and_templates_are_read_only(self) -> None:
        rs = services.rule_set_update(
            actor=self.w.users["owner"], rule_set=self.rules_a, name="A 企业申报条件（修订）", rules=RULES
        )
        assert rs.name == "A 企业申报条件（修订）"
        event = AuditEvent.objects.filter(action="rule_set.update").latest("seq")
        assert event.summary["before"]["name"] == "A 企业申报条件"
        with pytest.raises(RuleViolation, match="模板规则集随程序发布"):
            services.rule_set_update(actor=None, rule_set=self.template, name="改模板", rules=RULES)

    def test_describe_templates(self) -> None:
        described = ruletext.describe(self.template)
        assert set(described) == {5, 4, 3, 2, 1}
        assert all(items and all(s.startswith("（") for s in items) for items in described.values())
        assert ruletext.problems(self.template) == []


class TestSelectors(CatalogueCase):
    def test_specifications_are_scoped(self) -> None:
        def seen(persona: str) -> set[int]:
            return set(
                selectors.standard_list(user=self.w.users[persona])
                .filter(kind="specification")
                .values_list("pk", flat=True)
            )

        assert seen("owner") == seen("staff") == seen("city") == {self.spec_a.pk}
        assert seen("outsider") == {self.spec_b.pk}
        assert seen("province") == {self.spec_a.pk, self.spec_b.pk}
        assert seen("other_city") == seen("sysadmin") == set()
        assert selectors.standard_list(user=self.w.users["candidate"]).count() == 0
        assert selectors.occupation_list(user=self.w.users["candidate"]).count() == 0

    def test_who_writes(self) -> None:
        u = self.w.users
        assert selectors.can_edit_catalogue(user=u["sysadmin"])
        assert selectors.can_edit_catalogue(user=self.provincial_admin)
        assert not selectors.can_edit_catalogue(user=u["city_admin"])
        assert not selectors.can_edit_catalogue(user=u["province"])  # a reviewer, not an admin
        assert selectors.can_edit_standard(user=u["owner"], standard=self.spec_a)
        assert not selectors.can_edit_standard(user=u["staff"], standard=self.spec_a)
        assert not selectors.can_edit_standard(user=u["owner"], standard=self.national)
        assert selectors.can_edit_rule_set(user=u["owner"], rule_set=self.rules_a)
        assert not selectors.can_edit_rule_set(user=u["sysadmin"], rule_set=self.template)
