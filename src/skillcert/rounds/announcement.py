"""The announcement of a round (认定公告, R2.1) as plain data: one source for the page, the PDF notice and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog import ruletext
from skillcert.catalog.models import Level
from skillcert.rounds.models import Round, RoundOffering, RoundStatus


def cn_date(value: date | None) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day} if value else ""


def paragraphs(text: str) -> list[str]:
    """User text split into its non-empty lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def title_of(rnd: Round) -> str:
    return _("关于开展%(n)s职业技能等级认定工作的公告") % {"n": rnd.name}


@dataclass(frozen=True)
class OfferingLine:
    no: int
    pk: int
    code: str
    label: str  # 职业（工种）
    level: int
    level_label: str
    standard: str
    standard_kind: str
    quota: int | None


@dataclass(frozen=True)
class ConditionLine:
    number: int
    sentence: str
    exceptional: bool


@dataclass(frozen=True)
class ConditionBlock:
    """The conditions of one level under one rule set, and the offerings they apply to."""

    level: int
    level_label: str
    applies_to: tuple[str, ...]
    source: str
    conditions: tuple[ConditionLine, ...]

    @property
    def heading(self) -> str:
        return _("%(l)s（%(o)s）") % {"l": self.level_label, "o": "、".join(self.applies_to)}


@dataclass(frozen=True)
class Announcement:
    title: str
    round_name: str
    enterprise_name: str
    is_draft: bool
    is_cancelled: bool
    intro: str
    offerings: tuple[OfferingLine, ...]
    condition_blocks: tuple[ConditionBlock, ...]
    reference_note: str
    registration_opens: date
    registration_closes: date
    evaluation_starts: date
    evaluation_ends: date
    reference_on: date
    schedule: tuple[str, ...]
    content_methods: tuple[str, ...]
    registration_method: tuple[str, ...]
    contact_name: str
    contact_phone: str
    address: str
    signed_on: date

    @property
    def registration_period(self) -> str:
        return _("%(a)s至%(b)s") % {
            "a": cn_date(self.registration_opens),
            "b": cn_date(self.registration_closes),
        }

    @property
    def evaluation_period(self) -> str:
        return _("%(a)s至%(b)s") % {"a": cn_date(self.evaluation_starts), "b": cn_date(self.evaluation_ends)}

    @property
    def signed_on_text(self) -> str:
        return cn_date(self.signed_on)


def _label(o: RoundOffering) -> str:
    return f"{o.occupation.name}（{o.job_type.name}）" if o.job_type_id and o.job_type else o.occupation.name


def offering_lines(offerings: Iterable[RoundOffering]) -> list[OfferingLine]:
    return [
        OfferingLine(
            no=i,
            pk=o.pk,
            code=o.occupation.code,
            label=_label(o),
            level=o.level,
            level_label=str(Level(o.level).label) if o.level in Level.values else str(o.level),
            standard=str(o.standard),
            standard_kind=str(o.standard.get_kind_display()),
            quota=o.quota,
        )
        for i, o in enumerate(offerings, start=1)
    ]


def condition_blocks(offerings: Iterable[RoundOffering]) -> list[ConditionBlock]:
    """Conditions grouped by (rule set, level): offerings under the same national template share one block."""
    groups: dict[tuple[int | None, int], list[RoundOffering]] = {}
    for o in offerings:
        groups.setdefault((o.standard.rule_set_id, o.level), []).append(o)
    blocks: list[ConditionBlock] = []
    for (_rule_set_id, level), members in groups.items():
        rule_set = members[0].standard.rule_set
        texts = ruletext.conditions(rule_set).get(level, []) if rule_set is not None else []
        names = tuple(dict.fromkeys(_label(o) for o in members))
        blocks.append(
            ConditionBlock(
                level=level,
                level_label=ruletext.LEVEL_LABELS.get(level, str(level)),
                applies_to=names,
                source=rule_set.source if rule_set is not None else "",
                conditions=tuple(
                    ConditionLine(number=c.number, sentence=c.sentence, exceptional=c.exceptional)
                    for c in texts
                ),
            )
        )
    # 五级 first, as standards list them; ties keep the offerings' order.
    order = {lv: i for i, lv in enumerate(sorted({b.level for b in blocks}, reverse=True))}
    return sorted(blocks, key=lambda b: order[b.level])


def reference_note(rnd: Round) -> str:
    """The sentence saying up to which date the years in the conditions are counted."""
    reference = rnd.reference_on
    if rnd.reference_date is None:
        return _("申报条件中的工作年限、取得证书年限等，均计算至报名截止日期（%(d)s）。") % {
            "d": cn_date(reference)
        }
    return _("申报条件中的工作年限、取得证书年限等，均计算至%(d)s。") % {"d": cn_date(reference)}


def build(rnd: Round, offerings: Iterable[RoundOffering], *, today: date | None = None) -> Announcement:
    """The announcement of `rnd` with its offerings (``selectors.offering_list``)."""
    items = list(offerings)
    signed = (
        timezone.localtime(rnd.published_at).date() if rnd.published_at else (today or timezone.localdate())
    )
    intro = _(
        "根据《山东省企业技能人才自主评价工作指引（试行）》（鲁就人〔2023〕18号）和本企业经备案的职业技能等级认定范围，"
        "结合生产实际和技能人才培养需要，%(e)s决定开展%(n)s职业技能等级认定工作。现将有关事项公告如下："
    ) % {"e": rnd.enterprise.name, "n": rnd.name}
    return Announcement(
        title=title_of(rnd),
        round_name=rnd.name,
        enterprise_name=rnd.enterprise.name,
        is_draft=rnd.status == RoundStatus.DRAFT,
        is_cancelled=rnd.status == RoundStatus.CANCELLED,
        intro=intro,
        offerings=tuple(offering_lines(items)),
        condition_blocks=tuple(condition_blocks(items)),
        reference_note=reference_note(rnd),
        registration_opens=rnd.registration_opens,
        registration_closes=rnd.registration_closes,
        evaluation_starts=rnd.evaluation_starts,
        evaluation_ends=rnd.evaluation_ends,
        reference_on=rnd.reference_on,
        schedule=tuple(paragraphs(rnd.schedule_note)),
        content_methods=tuple(paragraphs(rnd.content_methods)),
        registration_method=tuple(paragraphs(rnd.registration_method)),
        contact_name=rnd.contact_name,
        contact_phone=rnd.contact_phone,
        address=rnd.enterprise.address,
        signed_on=signed,
    )
