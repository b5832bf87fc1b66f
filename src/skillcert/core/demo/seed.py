"""Idempotent demo data: authorities, two enterprises with 300+ employees, every role, printed logins."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from skillcert.core import crypto
from skillcert.core.demo.names import person_rows, phone
from skillcert.core.models import Department, Employee, Organisation, OrgKind, Person, RoleAssignment, User
from skillcert.core.models.accounts import Role
from skillcert.core.services import accounts as account_services
from skillcert.core.services import orgs as org_services
from skillcert.core.services import people as people_services

DEMO_PASSWORD = "Skill#Demo2026"  # noqa: S105  (printed demo logins)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


@dataclass(frozen=True)
class EnterpriseSpec:
    key: str
    name: str
    short_name: str
    credit_code: str
    region_code: str
    authority: str
    address: str
    contact_name: str
    contact_phone: str
    posts: dict[str, list[str]]
    employees: int
    central: bool = False
    parent_company: str = ""


ENTERPRISES = [
    EnterpriseSpec(
        key="jz",
        name="济南重型机械装备有限公司",
        short_name="济南重机",
        credit_code="91370100MA3C8K2X1T",
        region_code="370100",
        authority="济南市人力资源和社会保障局",
        address="山东省济南市历城区工业北路 88 号",
        contact_name="刘红梅",
        contact_phone="0531-88120000",
        posts={
            "金工车间": ["车工", "铣工", "磨工", "钳工"],
            "焊接车间": ["焊工", "焊工", "铆工"],
            "装配车间": ["装配钳工", "机修钳工", "起重装卸机械操作工"],
            "电气车间": ["电工", "维修电工", "仪器仪表维修工"],
            "设备动力部": ["机修钳工", "电工", "锅炉运行值班员"],
            "质量管理部": ["质检员", "无损检测员"],
            "人力资源部": ["企业人力资源管理师"],
        },
        employees=220,
    ),
    EnterpriseSpec(
        key="hc",
        name="青岛海川石化有限公司",
        short_name="海川石化",
        credit_code="91370200MA3D5P7Y2R",
        region_code="370200",
        authority="山东省人力资源和社会保障厅",
        address="山东省青岛市黄岛区石化大道 16 号",
        contact_name="孙志刚",
        contact_phone="0532-86990000",
        posts={
            "炼油一部": ["化工总控工", "化工总控工", "工业废水处理工"],
            "化工二部": ["化工总控工", "化学检验员"],
            "储运部": ["油气储运工", "危险货物运输作业员"],
            "仪表中心": ["仪器仪表维修工"],
            "电气中心": ["电工", "变配电运行值班员"],
            "安全环保部": ["安全评价师", "化学检验员"],
        },
        employees=120,
        central=True,
        parent_company="中国海川石油化工集团有限公司",
    ),
]

STAFF = {
    "jz": [
        ("jz_admin", "刘红梅", Role.ENTERPRISE_ADMIN),
        ("jz_exam", "王建国", Role.EXAM_STAFF),
        ("jz_assessor", "陈志强", Role.ASSESSOR),
        ("jz_supervisor", "赵丽华", Role.SUPERVISOR),
        ("jz_writer", "孙立新", Role.ITEM_WRITER),
        ("jz_marker", "周晓燕", Role.MARKER),
        ("jz_committee", "吴国庆", Role.COMMITTEE),
    ],
    "hc": [
        ("hc_admin", "孙志刚", Role.ENTERPRISE_ADMIN),
        ("hc_exam", "马春燕", Role.EXAM_STAFF),
    ],
}


def _org(
    name: str,
    *,
    kind: str,
    parent: Organisation | None = None,
    authority: Organisation | None = None,
    **fields: str | bool,
) -> Organisation:
    org = Organisation.objects.filter(name=name).first()
    if org is not None:
        return org
    return org_services.organisation_create(
        actor=None, kind=kind, name=name, parent=parent, authority=authority, **fields
    )


def _account(
    username: str, display_name: str, org: Organisation, role: str, person: Person | None = None
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.account_create(
            actor=None,
            username=username,
            organisation=org,
            password=DEMO_PASSWORD,
            display_name=display_name,
            person=person,
            must_change_password=False,
        )
    if not RoleAssignment.objects.filter(user=user, role=role).exists():
        account_services.role_grant(actor=None, user=user, role=role)
    return user


def seed(*, today: date | None = None) -> list[DemoLogin]:
    today = today or timezone.localdate()
    logins: list[DemoLogin] = []
    with transaction.atomic():
        platform = _org(
            "山东省职业技能评价服务平台运营中心", kind=OrgKind.PLATFORM, short_name="平台运营中心"
        )
        province = _org(
            "山东省人力资源和社会保障厅",
            kind=OrgKind.PROVINCE,
            region_code="370000",
            short_name="省人社厅",
            address="山东省济南市历下区经十路",
        )
        jinan = _org(
            "济南市人力资源和社会保障局",
            kind=OrgKind.CITY,
            parent=province,
            region_code="370100",
            short_name="济南市人社局",
        )
        qingdao = _org(
            "青岛市人力资源和社会保障局",
            kind=OrgKind.CITY,
            parent=province,
            region_code="370200",
            short_name="青岛市人社局",
        )
        authorities = {o.name: o for o in (province, jinan, qingdao)}

        for username, name, org, role in [
            ("sd_admin", "省厅管理员", province, Role.AUTHORITY_ADMIN),
            ("sd_review", "省厅审核员", province, Role.AUTHORITY_REVIEWER),
            ("jn_review", "济南市审核员", jinan, Role.AUTHORITY_REVIEWER),
            ("qd_review", "青岛市审核员", qingdao, Role.AUTHORITY_REVIEWER),
            ("sysadmin", "系统管理员", platform, Role.SYSTEM_ADMIN),
            ("secadmin", "安全管理员", platform, Role.SECURITY_ADMIN),
            ("auditadmin", "审计管理员", platform, Role.AUDIT_ADMIN),
        ]:
            _account(username, name, org, role)
            logins.append(DemoLogin(username, str(Role(role).label), org.name))

        for seq, spec in enumerate(ENTERPRISES):
            ent = _org(
                spec.name,
                kind=OrgKind.ENTERPRISE,
                authority=authorities[spec.authority],
                short_name=spec.short_name,
                credit_code=spec.credit_code,
                region_code=spec.region_code,
                address=spec.address,
                contact_name=spec.contact_name,
                contact_phone=spec.contact_phone,
                is_central_subsidiary=spec.central,
                parent_company=spec.parent_company,
            )
            depts = {}
            for dname in spec.posts:
                depts[dname] = Department.objects.filter(
                    enterprise=ent, name=dname
                ).first() or org_services.department_create(actor=None, enterprise=ent, name=dname)
            _seed_employees(ent, depts, spec, seed=seq + 1, today=today)
            key = spec.key
            for username, name, role in STAFF[key]:
                _account(username, name, ent, role)
                logins.append(DemoLogin(username, str(Role(role).label), ent.name))
            # A worker who logs in as a candidate, linked to an employee record.
            worker = (
                Employee.objects.filter(enterprise=ent)
                .order_by("employee_no")
                .select_related("person")
                .first()
            )
            assert worker is not None
            _account(f"{key}_worker", worker.person.name, ent, Role.CANDIDATE, person=worker.person)
            logins.append(DemoLogin(f"{key}_worker", str(Role.CANDIDATE.label), ent.name))
    return logins


def _seed_employees(
    ent: Organisation, depts: dict[str, Department], spec: EnterpriseSpec, *, seed: int, today: date
) -> None:
    rng = random.Random(seed * 7919)
    posts = spec.posts
    names = list(depts)
    for i, (name, _sex, born, number) in enumerate(person_rows(spec.employees, seed=seed, today=today)):
        employee_no = f"{spec.key.upper()}{i + 1:05d}"
        if Employee.objects.filter(enterprise=ent, employee_no=employee_no).exists():
            continue
        index = crypto.blind_index(number, purpose="id_number")
        person = Person.objects.filter(id_number_index=index).first() or people_services.person_create(
            actor=None, name=name, id_number=number, phone=phone(rng)
        )
        dept_name = names[i % len(names)]
        started = max(born + timedelta(days=365 * 19 + rng.randrange(0, 365 * 6)), date(1988, 7, 1))
        hired = min(started + timedelta(days=rng.randrange(0, 365 * 8)), today - timedelta(days=30))
        people_services.employee_create(
            actor=None,
            person=person,
            enterprise=ent,
            employee_no=employee_no,
            department=depts[dept_name],
            post=rng.choice(posts[dept_name]),
            employment_type=rng.choices(["regular", "dispatched", "outsourced"], weights=[85, 10, 5])[0],
            hired_on=hired,
        )
