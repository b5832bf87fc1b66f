"""Idempotent demo applications: 300 workers of the demo enterprise apply to its open round, in every state.

Run after ``load-catalogue``, ``seed-demo``, ``seed-filings`` and ``seed-rounds``. Every write goes
through the services (start, update, photo, uploads, submit, then the review), so the automatic
checks, the eligibility engine and the audit ledger treat the demo like real work. The enterprise
admin fills the forms in for the workers (the services take any actor; no worker accounts are
made) and the exam staff member reviews them. The demo candidate ``jz_worker`` is left without an
application, so the demo user can apply to the round themselves.

The round offers three occupations and seed-demo's 220 employees hold few of those posts, so the
demo hires the rest of the 300 applicants into those workshops (工号 ``JZ2xxxx``, about 250).
"""

from __future__ import annotations

import functools
import io
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from skillcert.catalog import eligibility
from skillcert.catalog.models import Level
from skillcert.core import crypto, fonts, idcard
from skillcert.core.demo import names
from skillcert.core.demo.seed import ENTERPRISES
from skillcert.core.models import Department, Employee, Organisation, Person, User
from skillcert.core.models.accounts import Role
from skillcert.core.services import people as people_services
from skillcert.enrollment.checks import years_between
from skillcert.enrollment.evaluation import post_matches
from skillcert.enrollment.models import (
    Application,
    ApplicationFlag,
    ApplicationStatus,
    CertificateKind,
    DocumentKind,
    Education,
    FlagSeverity,
    PoliticalStatus,
)
from skillcert.enrollment.services import applications as apply_services
from skillcert.enrollment.services import review as review_services
from skillcert.enrollment.services.applications import ApplicationData, CertificateData
from skillcert.enrollment.services.evaluation import mapped_posts, rules_of
from skillcert.rounds.models import Round, RoundOffering, RoundStatus

ENTERPRISE = "济南重型机械装备有限公司"
TOTAL = 300
NEW_EMPLOYEE_PREFIX = "JZ2"  # 工号 of the workers this demo hires (seed-demo numbers JZ00001…)
SEED = 20264
PLEDGE_IP = "10.37.8.21"  # the HR office's workstation

# (status, scenario, count). Scenarios: clean, confirm (eligibility needs a person), ineligible,
# birth (birth date ≠ ID: block), cert_format (22-character number mistyped: block), years (more
# years than since starting work: warn), legacy (unusual old certificate number: warn), young
# (started work under 16: warn), mismatch (post ≠ occupation), fixed (returned, corrected, resubmitted).
PLAN: dict[str, dict[str, int]] = {
    "submitted": {"clean": 84, "confirm": 14, "ineligible": 8, "birth": 4, "cert_format": 2,
                  "years": 6, "legacy": 5, "young": 2, "mismatch": 4},
    "approved": {"clean": 82, "confirm": 10, "years": 4, "legacy": 4, "young": 1, "mismatch": 3, "fixed": 4},
    "returned": {"birth": 8, "cert_format": 5, "clean": 11},
    "rejected": {"ineligible": 13, "mismatch": 2},
    "draft": {"clean": 15},
    "withdrawn": {"clean": 9},
}  # fmt: skip
MIN_AGE = {5: 24, 4: 27, 3: 33, 2: 38, 1: 42}  # age at the reference date each level's routes need
# Posts near an occupation: the workers who apply "across" (a deliberate post mismatch).
NEARBY_POSTS = {"车工": ("铣工", "磨工"), "焊工": ("铆工",), "装配钳工": ("机修钳工",)}
RELATED_CERT = {"车工": "铣工", "焊工": "铆工", "装配钳工": "机修钳工", "电工": "维修电工"}
SCHOOLS: dict[str, tuple[str, ...]] = {
    Education.JUNIOR_SCHOOL: ("历城区唐王镇中学", "章丘市明水镇中学", "济阳县崔寨镇中学"),
    Education.HIGH_SCHOOL: ("济南市历城第二中学", "章丘市第四中学", "济南市第十一中学"),
    Education.SECONDARY_VOCATIONAL: (
        "济南市历城职业中等专业学校",
        "章丘中等职业学校",
        "济南第三职业中等专业学校",
    ),
    Education.SKILLED_INTERMEDIATE: ("济南市技师学院", "章丘市技工学校", "山东省工业技师学院"),
    Education.SKILLED_ADVANCED: ("济南市技师学院", "山东省工业技师学院", "山东技师学院"),
    Education.HIGHER_VOCATIONAL: ("山东劳动职业技术学院", "济南职业学院", "山东职业学院"),
    Education.JUNIOR_COLLEGE: ("济南大学", "山东建筑大学", "齐鲁工业大学"),
}
# Majors by occupation: the first names the occupation (the engine matches it), the others ask a person.
MAJORS = {
    "车工": ("机床切削加工（车工）", "机械加工技术", "数控加工"),
    "焊工": ("焊接加工（焊工）", "焊接技术应用", "金属热加工"),
    "装配钳工": ("装配钳工", "机械设备装配与自动控制", "机电设备安装与维修"),
}
COLLEGE_MAJORS = ("机械制造与自动化", "焊接技术与自动化", "机电一体化技术")
DIRECTIONS = {"车工": ("普通车床加工", "数控车床加工"), "电焊工": ("焊条电弧焊", "熔化极气体保护焊"),
              "气焊工": ("气焊、气割",), "装配钳工": ("机械设备装配",)}  # fmt: skip
EMPLOYERS = (
    "济南第二机床厂协作车间",
    "章丘锻压设备有限公司",
    "山东鲁源机械制造有限公司",
    "济南长城空调配件厂",
)
AWARDS = (
    "{y}年获公司“技术能手”称号。",
    "{y}年度公司先进生产者。",
    "{y}年济南市职工职业技能大赛{occ}组三等奖。",
    "{y}年获公司合理化建议二等奖。",
)
ACHIEVEMENTS = (
    "参与公司大型减速机壳体加工工艺改进，单件加工时间缩短约15%。",
    "带徒3名，均已取得五级/初级工证书。",
    "参与重型起重机主梁焊接质量攻关，一次合格率由92%提高到97%。",
    "提出的工装夹具改进建议被采纳，年节约成本约8万元。",
)
RETURN_REASONS = (
    "身份证件扫描件不清晰，请重新上传正反面清晰的扫描件后提交。",
    "学历证明与所填毕业院校不一致，请上传毕业证书扫描件。",
    "工作经历只填写了本单位，请补充参加工作以来的历年单位和岗位。",
    "工作年限承诺书未本人签字，请签字后拍照重新上传。",
)
CONFIRM_NOTE = (
    "经人力资源部核实，所学专业（所持证书）与申报职业属相关专业（职业），已留存课程表和证书复印件。"
)
FLAG_NOTES = {
    "years.exceed_work": "经核实，参加工作前在技工学校有学徒实习经历，计入本职业年限，有实习鉴定表为证。",
    "cert.number_unusual": "已查验证书原件，为原劳动部门颁发的旧版职业资格证书，编号与原件一致。",
    "work.too_young": "经查阅人事档案，参加工作时间与档案记载一致（原乡镇企业学徒），予以认可。",
}


@dataclass
class SeedReport:
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    number: int
    offering: RoundOffering
    status: str
    scenario: str


@dataclass
class Profile:
    data: ApplicationData
    certificates: list[CertificateData]
    birth_fix: date | None = None  # the true birth date, for the "fixed" scenario


# --------------------------------------------------------------------------- generated files


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        path = fonts.font_file("Noto Sans CJK SC")
    except fonts.FontNotFoundError:
        return ImageFont.load_default()
    for index in range(10):
        try:
            face = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if face.getname()[0] == "Noto Sans CJK SC":
            return face
    return ImageFont.truetype(str(path), size)


@functools.cache
def placeholder_photo(sex: str = "M") -> bytes:
    """A 2-inch (413×579) JPEG: light-blue background, a plain head-and-shoulders silhouette."""
    img = Image.new("RGB", (413, 579), (190, 220, 242))
    draw = ImageDraw.Draw(img)
    body, hair, skin = (62, 74, 92), (38, 38, 44), (232, 198, 168)
    if sex == "F":  # long hair, behind the neck and down to the shoulders
        draw.rounded_rectangle((114, 150, 299, 440), radius=70, fill=hair)
    draw.ellipse((46, 400, 367, 760), fill=body)  # shoulders
    draw.rectangle((178, 320, 235, 420), fill=(222, 188, 158))  # neck
    draw.ellipse((131, 128, 282, 330), fill=skin)  # face
    draw.chord((124, 110, 289, 260), 180, 360, fill=hair)  # hair line
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _sheet(
    size: tuple[int, int], lines: list[tuple[str, int]], *, background: tuple[int, int, int]
) -> Image.Image:
    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    draw.rectangle((8, 8, size[0] - 9, size[1] - 9), outline=(120, 130, 140), width=2)
    y = 28
    for text, px in lines:
        draw.text((34, y), text, fill=(30, 30, 30), font=_font(px))
        y += int(px * 1.7)
    mark, font = "演示样本 · 非真实证件", _font(18)
    width = draw.textlength(mark, font=font)
    draw.text((size[0] - width - 26, size[1] - 46), mark, fill=(200, 60, 60), font=font)
    return img


def id_card_png(person: Person, app: Application) -> bytes:
    img = _sheet(
        (600, 380),
        [
            ("中华人民共和国居民身份证（扫描件）", 24),
            (f"姓名  {person.name}", 20),
            (f"性别  {app.get_sex_display()}    出生  {person.birth_date:%Y年%m月%d日}", 20),
            (f"公民身份号码  {person.id_number_masked}", 20),
        ],
        background=(236, 242, 248),
    )
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def education_pdf(app: Application) -> bytes:
    img = _sheet(
        (620, 440),
        [
            ("毕业证书（扫描件）", 24),
            (f"学生 {app.name}，{app.get_sex_display()}，于 {app.graduated_on:%Y年%m月} 毕业", 20),
            (f"学校：{app.school}", 20),
            (f"文化程度：{app.get_education_display()}", 20),
            (f"专业：{app.major or '—'}", 20),
        ],
        background=(250, 246, 236),
    )
    out = io.BytesIO()
    img.save(out, format="PDF", resolution=96)
    return out.getvalue()


def years_pledge_jpeg(app: Application) -> bytes:
    img = _sheet(
        (620, 440),
        [
            ("本职业（工种）工作年限承诺书", 24),
            (f"本人 {app.name}，自 {app.work_started_on:%Y年%m月} 参加工作，", 20),
            (f"累计从事本职业或相关职业工作 {app.occupation_years} 年。", 20),
            ("以上情况属实，如有虚假，愿承担相应责任。", 20),
            (f"承诺人：{app.name}", 20),
        ],
        background=(255, 255, 255),
    )
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return out.getvalue()


# --------------------------------------------------------------------------- who applies for what


def _slots(offerings: list[RoundOffering], rng: random.Random) -> list[Slot]:
    """300 (offering, status, scenario) slots; four- and five-level offerings draw more applicants."""
    plan = [
        (st, sc) for st, scenarios in PLAN.items() for sc, count in scenarios.items() for _ in range(count)
    ]
    rng.shuffle(plan)
    chosen = rng.choices(offerings, weights=[5 if o.level >= 4 else 3 for o in offerings], k=len(plan))
    for i, offering in enumerate(offerings):  # every offering gets applicants, whatever the draw
        chosen[i * 7 % len(chosen)] = offering
    return [Slot(n, o, st, sc) for n, (o, (st, sc)) in enumerate(zip(chosen, plan, strict=True))]


def _age(born: date, on: date) -> float:
    return years_between(born, on)


def _years_ago(on: date, years: float) -> date:
    return on - timedelta(days=round(365.25 * years))


class Staffing:
    """The worker for each slot: one whose post matches (a nearby post for a mismatch), else a new hire.

    The same database gives the same choices, so a second run finds the same people (and skips
    them, as they have applied); people with a login (the demo candidate) are left out.
    """

    def __init__(self, enterprise: Organisation, rnd: Round) -> None:
        self.enterprise, self.round = enterprise, rnd
        self.mapped = mapped_posts(enterprise_id=enterprise.pk)
        self.pool = list(
            Employee.objects.filter(enterprise=enterprise, is_active=True, person__user__isnull=True)
            .exclude(employee_no__startswith=NEW_EMPLOYEE_PREFIX)
            .select_related("person", "department")
            .order_by("employee_no")
        )
        self.used: set[int] = set()
        self.hired = 0
        spec = next((s for s in ENTERPRISES if s.name == enterprise.name), None)
        self.workshops: dict[str, str] = {}
        for dept, posts in spec.posts.items() if spec is not None else ():
            for post in posts:
                self.workshops.setdefault(post, dept)

    def matches(self, post: str, offering: RoundOffering) -> bool:
        return post_matches(
            post=post,
            occupation_name=offering.occupation.name,
            mapped_posts=self.mapped,
            occupation_id=offering.occupation_id,
        )

    def take(self, slot: Slot) -> Employee:
        offering = slot.offering
        youngest, on = MIN_AGE.get(offering.level, 30), self.round.reference_on
        nearby = NEARBY_POSTS.get(_family(offering.occupation.name), ())
        for e in self.pool:
            if e.pk in self.used or not youngest <= _age(e.person.birth_date, on) <= 57:
                continue
            if slot.scenario == "mismatch":
                fits = e.post in nearby and not self.matches(e.post, offering)
            else:
                fits = self.matches(e.post, offering)
            if fits:
                self.used.add(e.pk)
                return e
        return self._hire(slot)

    def _hire(self, slot: Slot) -> Employee:
        """A new worker of the workshop of the slot's occupation, old enough for its level."""
        self.hired += 1
        employee_no = f"{NEW_EMPLOYEE_PREFIX}{self.hired:04d}"
        found = (
            Employee.objects.filter(enterprise=self.enterprise, employee_no=employee_no)
            .select_related("person", "department")
            .first()
        )
        if found is not None:
            return found
        rng = random.Random(f"{SEED}-hire-{self.hired}")
        occupation = slot.offering.occupation.name
        nearby = NEARBY_POSTS.get(_family(occupation), ())
        post = nearby[0] if slot.scenario == "mismatch" and nearby else occupation
        on, youngest = self.round.reference_on, MIN_AGE.get(slot.offering.level, 30) + 1
        while True:
            sex: Literal["M", "F"] = "M" if rng.random() < 0.9 else "F"
            given = names.GIVEN_MALE if sex == "M" else names.GIVEN_FEMALE
            name = rng.choice(names.SURNAMES) + "".join(rng.choices(given, k=1 if rng.random() < 0.3 else 2))
            born = _years_ago(on, rng.uniform(youngest, 52))
            number = idcard.generate(
                region=rng.choice(names.REGIONS), birth_date=born, sex=sex, seq=rng.randrange(1000)
            )
            if not Person.objects.filter(
                id_number_index=crypto.blind_index(number, purpose="id_number")
            ).exists():
                break
        person = people_services.person_create(
            actor=None, name=name, id_number=number, phone=names.phone(rng)
        )
        department = Department.objects.filter(
            enterprise=self.enterprise, name=self.workshops.get(post, "金工车间")
        ).first()
        return people_services.employee_create(
            actor=None,
            person=person,
            enterprise=self.enterprise,
            employee_no=employee_no,
            department=department,
            post=post,
            employment_type=rng.choices(["regular", "dispatched"], weights=[92, 8])[0],
            hired_on=_years_ago(on, rng.uniform(1.5, youngest - 21)),
        )


# --------------------------------------------------------------------------- what each worker declares

MAJOR_KINDS = (Education.SKILLED_INTERMEDIATE, Education.SKILLED_ADVANCED, Education.SECONDARY_VOCATIONAL)
GRADUATION_AGE: dict[str, int] = {
    Education.JUNIOR_SCHOOL: 16,
    Education.HIGH_SCHOOL: 18,
    Education.SECONDARY_VOCATIONAL: 18,
    Education.SKILLED_INTERMEDIATE: 18,
    Education.SKILLED_ADVANCED: 20,
    Education.HIGHER_VOCATIONAL: 21,
    Education.JUNIOR_COLLEGE: 21,
}
EDUCATION_WEIGHTS: dict[str, int] = {
    Education.SKILLED_INTERMEDIATE: 26,
    Education.SECONDARY_VOCATIONAL: 20,
    Education.HIGH_SCHOOL: 18,
    Education.SKILLED_ADVANCED: 14,
    Education.HIGHER_VOCATIONAL: 12,
    Education.JUNIOR_COLLEGE: 10,
}
# Years of work before the reference date the clean routes need: 四级 by 6 years, 三级 by a 四级
# certificate held 5 years (and the 五级 one before it).
WORK_NEEDED = {5: 2.0, 4: 7.0, 3: 9.5, 2: 13.0, 1: 17.0}


def _family(occupation: str) -> str:
    """The key of MAJORS for an occupation (车工, 焊工 or 装配钳工; others are treated as 装配钳工)."""
    return next((k for k in MAJORS if k in occupation), "装配钳工")


def _half_years(x: float) -> Decimal:
    """Rounded down to half a year: a declared figure never exceeds the real one."""
    return Decimal(int(max(x, 0.5) * 2)) / 2


def _mistyped(born: date) -> date:
    """A typical slip: day and month swapped, or the year one off."""
    if born.day <= 12 and born.day != born.month:
        return date(born.year, born.day, born.month)
    try:
        return born.replace(year=born.year + 1)
    except ValueError:  # 29 February
        return born + timedelta(days=1)


def _skill_number(year: int, level: int, slot: int, pos: int, rng: random.Random) -> str:
    return f"S{year:04d}3701{level:02d}{pos}{slot:04d}{rng.randrange(10**6):06d}"  # S + 21 digits


def _certificate(
    level: int, issued: date, occupation: str, slot: int, pos: int, rng: random.Random
) -> CertificateData:
    """职业资格证书 (16-digit number) until 2019, 职业技能等级证书 (S + 21 digits) from the 2020 reform."""
    if issued.year >= 2020:
        kind, number = CertificateKind.SKILL_LEVEL, _skill_number(issued.year, level, slot, pos, rng)
    else:
        kind = CertificateKind.QUALIFICATION
        number = f"{issued.year % 100:02d}3701{level:02d}{pos}{slot:04d}{rng.randrange(1000):03d}"
    return CertificateData(
        kind=kind, level=level, occupation_name=occupation, number=number, issued_on=issued
    )


def _condition_text(offering: RoundOffering, index: int) -> str:
    rules = rules_of(offering.standard.rule_set)
    conditions = rules.levels.get(eligibility.Level(offering.level), ()) if rules is not None else ()
    return conditions[min(index, len(conditions) - 1)].describe()[:300] if conditions else ""


def _after(d: date, years: float) -> date:
    return d + timedelta(days=round(365.25 * years))


def _between(rng: random.Random, low: date, high: date) -> date:
    """A random day from `low` to `high` (`high` when the span is empty)."""
    return low + timedelta(days=rng.randrange((high - low).days + 1)) if high > low else high


def _schooling(rng: random.Random, scenario: str, level: int, age: float) -> str:
    if scenario == "young":
        return Education.JUNIOR_SCHOOL
    if scenario == "ineligible":
        return rng.choice([Education.HIGH_SCHOOL, Education.JUNIOR_SCHOOL])
    if scenario == "confirm" and level >= 4:
        return Education.SKILLED_INTERMEDIATE
    # Old enough to have finished school and still have the years the level needs.
    kinds = [k for k in EDUCATION_WEIGHTS if GRADUATION_AGE[k] + 1 <= age - WORK_NEEDED.get(level, 7.0)]
    kinds = kinds or [Education.HIGH_SCHOOL]
    return rng.choices(kinds, weights=[EDUCATION_WEIGHTS[k] for k in kinds])[0]


def _working_life(
    rng: random.Random, scenario: str, level: int, born: date, ref: date
) -> tuple[str, date, date]:
    """(education, graduated, started work): plausible, and early enough for the level's routes."""
    education = _schooling(rng, scenario, level, _age(born, ref))
    latest_start = _years_ago(ref, WORK_NEEDED.get(level, 7.0))
    if scenario == "young":  # a township apprentice at 15
        started = min(_after(born, 15) + timedelta(days=rng.randrange(60, 200)), latest_start)
        return education, started - timedelta(days=rng.randrange(20, 60)), started
    graduated = date(born.year + GRADUATION_AGE[education] + (born.month > 8), 7, rng.choice([1, 5, 10, 20]))
    started = graduated + timedelta(days=rng.randrange(20, 400))
    started = min(max(started, _after(born, 16) + timedelta(days=30)), latest_start)
    return education, min(graduated, started - timedelta(days=20)), started


def _route(
    rng: random.Random, slot: Slot, started: date, ref: date
) -> tuple[list[CertificateData], float, int]:
    """(certificates, years in the occupation, index of the condition relied on) for the slot's level."""
    occupation, level, scenario = slot.offering.occupation.name, slot.offering.level, slot.scenario
    since_start = years_between(started, ref)
    years = rng.uniform(min(6.0, since_start), since_start)
    if level <= 3:  # 三级: "取得…四级…证书后，累计从事…5年（含）以上"
        family = _family(occupation)
        held = RELATED_CERT.get(family, family) if scenario == "confirm" else occupation
        cert5 = _after(started, rng.uniform(1, 2.5))
        if scenario == "ineligible":  # the 四级 certificate is too recent
            cert4 = _years_ago(ref, rng.uniform(2.2, 4.5))
        else:
            cert4 = _between(rng, _after(cert5, 3.5), _years_ago(ref, 5.4))
        certificates = [_certificate(4, cert4, held, slot.number, 2, rng)]
        if rng.random() < 0.5 and cert5 < cert4 - timedelta(days=700):
            certificates.insert(0, _certificate(5, cert5, held, slot.number, 1, rng))
        return certificates, max(years, min(years_between(cert4, ref) + 0.5, since_start)), 0
    if scenario == "confirm":  # 四级 by a 技工学校 major only a person can relate to the occupation
        return [], min(years, rng.uniform(2.5, 5.0)), 2
    if scenario == "ineligible":  # moved to this occupation recently, no certificate
        return [], min(years, rng.uniform(2.5, 5.0)), 1
    if since_start >= 9 and rng.random() < 0.45:  # 四级 by a 五级 certificate held 4 years
        cert5 = _between(rng, _after(started, 1), _years_ago(ref, 4.3))
        return [_certificate(5, cert5, occupation, slot.number, 1, rng)], years, 0
    return [], years, 1  # 四级: "累计从事本职业或相关职业工作6年（含）以上"


def _doubtful(rng: random.Random, slot: Slot, certificates: list[CertificateData], started: date) -> None:
    """The deliberate slips of the warning and blocking scenarios, on the certificates."""
    occupation = slot.offering.occupation.name
    if slot.scenario == "legacy":  # an old local 职业资格 number of 12 digits
        issued = _after(started, rng.uniform(1, 3))
        number = f"3701{issued.year:04d}{slot.number:04d}"
        certificates.insert(
            0,
            CertificateData(
                kind=CertificateKind.QUALIFICATION,
                level=5,
                occupation_name=occupation,
                number=number,
                issued_on=issued,
            ),
        )
    if slot.scenario == "cert_format":  # a 职业技能等级证书 with one digit left out
        issued = max(_after(started, 1.5), date(2020, 6, 30))
        number = _skill_number(issued.year, 5, slot.number, 3, rng)[:-1]
        certificates.append(
            CertificateData(
                kind=CertificateKind.SKILL_LEVEL,
                level=5,
                occupation_name=occupation,
                number=number,
                issued_on=issued,
            )
        )


def _history(rng: random.Random, employee: Employee, started: date, hired: date, occupation: str) -> str:
    dept = employee.department.name if employee.department is not None else "生产车间"
    lines = []
    if hired > started + timedelta(days=400):
        lines.append(f"{started:%Y年%m月}—{hired:%Y年%m月}  {rng.choice(EMPLOYERS)}  {occupation}")
    lines.append(f"{hired:%Y年%m月}至今  {ENTERPRISE}{dept}  {employee.post}")
    return "\n".join(lines)


def profile(slot: Slot, employee: Employee, rnd: Round, today: date) -> Profile:
    """Everything the worker writes on the form for the slot's scenario, with dates that fit their life."""
    rng = random.Random(f"{SEED}-slot-{slot.number}")
    person, offering, scenario = employee.person, slot.offering, slot.scenario
    occupation, family = offering.occupation.name, _family(offering.occupation.name)
    born, ref = person.birth_date, rnd.reference_on
    education, graduated, started = _working_life(rng, scenario, offering.level, born, ref)
    major = ""
    if education in MAJOR_KINDS:
        major = MAJORS[family][rng.choice([1, 2]) if scenario == "confirm" else 0]
    elif education in (Education.HIGHER_VOCATIONAL, Education.JUNIOR_COLLEGE):
        major = rng.choice(COLLEGE_MAJORS)
    certificates, years, condition = _route(rng, slot, started, ref)
    if scenario == "years":  # counts the school apprenticeship too
        years = years_between(started, ref) + rng.uniform(1.5, 3)
    _doubtful(rng, slot, certificates, started)
    occupation_years = _half_years(years)
    hired = max(employee.hired_on or started, started)
    awards = "无"
    if rng.random() < 0.35:
        year = rng.randrange(min(started.year + 2, today.year - 1), today.year)
        awards = rng.choice(AWARDS).format(y=year, occ=family)
    political = rng.choices(
        [PoliticalStatus.NONE, PoliticalStatus.CPC, PoliticalStatus.CYL, PoliticalStatus.CPC_PROBATION],
        weights=[70, 16, 12 if _age(born, ref) < 29 else 0, 2],
    )[0]
    direction_key = offering.job_type.name if offering.job_type is not None else occupation
    data = ApplicationData(
        offering=offering,
        name=person.name,
        sex=person.sex,
        birth_date=_mistyped(born) if scenario in ("birth", "fixed") else born,
        education=education,
        school=rng.choice(SCHOOLS[education]),
        major=major,
        graduated_on=graduated,
        phone=person.reveal_phone(),
        political_status=political,
        work_started_on=started,
        current_post=employee.post,
        post_years=_half_years(min(float(occupation_years), years_between(hired, ref))),
        occupation_years=occupation_years,
        job_direction=rng.choice(DIRECTIONS.get(direction_key, ("",))),
        employment_type=employee.employment_type,
        condition_relied_on=_condition_text(offering, condition),
        work_history=_history(rng, employee, started, hired, occupation),
        awards=awards,
        achievements=rng.choice(ACHIEVEMENTS) if offering.level <= 3 else "",
    )
    return Profile(data=data, certificates=certificates, birth_fix=born if scenario == "fixed" else None)


# --------------------------------------------------------------------------- through the services


@dataclass(frozen=True)
class Actors:
    clerk: User  # the enterprise admin who fills the forms in for the workers
    reviewer: User  # the exam staff member who reviews them
    today: date


def _uploads(app: Application, actors: Actors) -> None:
    person = app.person
    files: list[tuple[str, str, Callable[[], bytes]]] = [
        (DocumentKind.ID_CARD, f"身份证-{app.name}.png", lambda: id_card_png(person, app)),
        (DocumentKind.EDUCATION, f"毕业证书-{app.name}.pdf", lambda: education_pdf(app)),
    ]
    if apply_services.relies_on_years(app):
        files.append(
            (DocumentKind.YEARS_PLEDGE, f"工作年限承诺书-{app.name}.jpg", lambda: years_pledge_jpeg(app))
        )
    for kind, filename, make in files:
        apply_services.application_add_document(
            actor=actors.clerk, application=app, kind=kind, filename=filename, data=make()
        )


def _submit(app: Application, actors: Actors) -> Application:
    return apply_services.application_submit(
        actor=actors.clerk, application=app, pledge_ip=PLEDGE_IP, today=actors.today
    )


def _approve(app: Application, slot: Slot, actors: Actors) -> Application:
    """Resolve what stands in the way as a careful reviewer would, then approve."""
    for flag in ApplicationFlag.objects.filter(
        application=app, severity=FlagSeverity.WARN, confirmed_at__isnull=True
    ).select_related("application"):
        note = FLAG_NOTES.get(flag.code, "已与申报人核对原件，情况属实。")
        review_services.flag_confirm(flag=flag, actor=actors.reviewer, note=note)
    app.refresh_from_db()
    if app.post_mismatch:
        review_services.post_mismatch_override(
            application=app,
            actor=actors.reviewer,
            reason=f"经车间核实，本人现岗位为{app.current_post}，同时长期承担{slot.offering.occupation.name}工作任务。",
        )
    note = CONFIRM_NOTE if app.eligibility == "confirm" else ""
    return review_services.application_approve(application=app, actor=actors.reviewer, confirm_note=note)


def _reject_reason(app: Application, slot: Slot) -> str:
    if slot.scenario == "mismatch":
        return (
            f"现从事岗位为“{app.current_post}”，经车间核实本人未从事{slot.offering.occupation.name}工作，"
            "申报职业与岗位不一致，不予通过。"
        )
    failed = [r for r in app.eligibility_reasons if "不足" in r] or list(app.eligibility_reasons)
    reason = re.sub(r"^条件（\d+）不符合：", "", failed[0]) if failed else "工作年限不足。"
    level = Level(slot.offering.level).label
    return f"经审核，不符合{level}申报条件：{reason}"[:500]


def _return_reason(slot: Slot) -> str:
    if slot.scenario in ("birth", "fixed"):
        return "表中出生日期与身份证号不一致，请核对身份证后更正出生日期并重新提交。"
    if slot.scenario == "cert_format":
        return "职业技能等级证书编号位数不对（应为22位），请对照证书原件更正后重新提交。"
    return RETURN_REASONS[slot.number % len(RETURN_REASONS)]


def apply_one(slot: Slot, employee: Employee, rnd: Round, actors: Actors) -> Application:
    """One worker's application from the first draft to the slot's status, every step a service call."""
    p = profile(slot, employee, rnd, actors.today)
    app = apply_services.application_start(
        actor=actors.clerk,
        round=rnd,
        offering=slot.offering,
        person=employee.person,
        employee=employee,
        today=actors.today,
    )
    app = apply_services.application_update(
        actor=actors.clerk, application=app, data=p.data, certificates=p.certificates, today=actors.today
    )
    stage = slot.number % 3
    if slot.status in ("draft", "withdrawn") and stage == 0:
        # A draft with the form typed in, nothing uploaded yet (or withdrawn at that point).
        if slot.status == "withdrawn":
            return apply_services.application_withdraw(
                actor=actors.clerk, application=app, reason="本人决定下一批次再申报。"
            )
        return app
    apply_services.application_set_photo(actor=actors.clerk, application=app, data=placeholder_photo(app.sex))
    if slot.status == "draft" and stage == 1:
        return app
    _uploads(app, actors)
    if slot.status == "draft":
        return app
    app = _submit(app, actors)
    if slot.status == "withdrawn":
        return apply_services.application_withdraw(
            actor=actors.clerk, application=app, reason="本人工作岗位调整，申请撤回本次申报。"
        )
    if slot.status == "returned":
        return review_services.application_return(
            application=app, actor=actors.reviewer, reason=_return_reason(slot)
        )
    if slot.status == "rejected":
        return review_services.application_reject(
            application=app, actor=actors.reviewer, reason=_reject_reason(app, slot)
        )
    if slot.status == "approved":
        if slot.scenario == "fixed" and p.birth_fix is not None:
            app = review_services.application_return(
                application=app, actor=actors.reviewer, reason=_return_reason(slot)
            )
            fixed = replace(p.data, birth_date=p.birth_fix)
            app = apply_services.application_update(
                actor=actors.clerk,
                application=app,
                data=fixed,
                certificates=p.certificates,
                today=actors.today,
            )
            app = _submit(app, actors)
        return _approve(app, slot, actors)
    return app


def _open_round(enterprise: Organisation, today: date) -> Round | None:
    return (
        Round.objects.filter(
            enterprise=enterprise,
            status=RoundStatus.PUBLISHED,
            registration_opens__lte=today,
            registration_closes__gte=today,
        )
        .order_by("-registration_opens", "pk")
        .first()
    )


def _user(enterprise: Organisation, role: str, preferred: str) -> User | None:
    users = User.objects.filter(organisation=enterprise, role_assignments__role=role, is_active=True)
    return users.filter(username=preferred).first() or users.order_by("pk").first()


def seed_applications(today: date) -> SeedReport:
    """300 applications to the demo enterprise's open round, in every state and some with flags."""
    report = SeedReport()
    enterprise = Organisation.objects.filter(name=ENTERPRISE).first()
    rnd = _open_round(enterprise, today) if enterprise is not None else None
    if enterprise is None or rnd is None:
        report.lines.append(
            f"跳过：{ENTERPRISE}没有正在报名的认定批次。请先运行 load-catalogue、seed-demo、seed-filings 和 seed-rounds。"
        )
        return report
    clerk = _user(enterprise, Role.ENTERPRISE_ADMIN, "jz_admin")
    reviewer = _user(enterprise, Role.EXAM_STAFF, "jz_exam")
    if clerk is None or reviewer is None:
        report.lines.append(f"跳过：{ENTERPRISE}缺少企业管理员或考务人员账号。请先运行 seed-demo。")
        return report
    existing = Application.objects.filter(round=rnd).count()
    if existing >= TOTAL:
        report.lines.append(f"{ENTERPRISE}“{rnd.name}”已有 {existing} 份申报，未改动")
        return report

    actors = Actors(clerk=clerk, reviewer=reviewer, today=today)
    offerings = list(
        rnd.offerings.select_related("occupation", "job_type", "standard__rule_set").order_by("pk")
    )
    slots = _slots(offerings, random.Random(SEED))
    staffing = Staffing(enterprise, rnd)
    applied = set(Application.objects.filter(round=rnd).values_list("person_id", flat=True))
    created = 0
    for slot in slots:
        employee = staffing.take(slot)
        if employee.person_id in applied:
            continue
        with transaction.atomic():
            app = apply_one(slot, employee, rnd, actors)
        applied.add(employee.person_id)
        created += 1
        if app.status != slot.status:
            report.lines.append(
                f"注意：{app.name} 的申报为“{app.get_status_display()}”，计划为 {slot.status}"
            )
    report.lines.extend(summary(rnd, created=created, hired=staffing.hired))
    return report


def summary(rnd: Round, *, created: int, hired: int) -> list[str]:
    apps = Application.objects.filter(round=rnd)
    by_status = Counter(apps.values_list("status", flat=True))
    labels = dict(ApplicationStatus.choices)
    counts = "，".join(f"{labels[s]} {by_status.get(s, 0)}" for s in ApplicationStatus.values)
    return [
        f"{ENTERPRISE}“{rnd.name}”：新建 {created} 份申报（新入职职工 {hired} 人），共 {apps.count()} 份：{counts}",
        f"  须更正 {apps.filter(blocking_flags__gt=0).count()} 份，请核实 {apps.filter(warning_flags__gt=0).count()} 份，"
        f"岗位不一致 {apps.filter(post_mismatch=True).count()} 份，"
        f"资格待人工确认 {apps.filter(eligibility='confirm').count()} 份",
        "  演示考生 jz_worker 未申报本批次，可登录后自行申报。",
    ]
