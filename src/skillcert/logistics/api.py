"""The logistics API router (mounted at /api/v1/logistics/): sessions with rooms and the staff plan, read-only.

Reads follow the selectors' tenancy: enterprise staff see their enterprise's rounds, an authority its
jurisdiction's (read only); everyone else, and every missing round, gets 404. Names of staff appear,
ID numbers never do.
"""

from datetime import date, datetime, time

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from skillcert.core.api import ERRORS, Id, Pagination, principal
from skillcert.enrollment.models import ApplicationStatus
from skillcert.logistics.models import Room, Seat, StaffPlanStatus
from skillcert.logistics.selectors import access_logistics_round, session_list
from skillcert.logistics.selectors_staffing import plan_assignments, settings_of

router = Router(tags=["考务编排"])


# --- schemas -------------------------------------------------------------------------------------


class RoomSeatsOut(Schema):
    id: int = Field(..., description="考场编号")
    name: str = Field(..., description="考场名称，如“第3考场”")
    kind: str = Field(
        ..., description="考场类型：theory 理论（纸笔），cbt 机考，practical 实操，review 综合评审"
    )
    capacity: int = Field(..., description="容量（座位/工位数）")
    seats: int = Field(..., description="本场次在该考场安排的考生数（审核通过的考生）")


class SessionOut(Schema):
    id: int = Field(..., description="场次编号")
    site_id: int = Field(..., description="考点编号")
    site_name: str = Field(..., description="考点名称")
    module: str = Field(
        ..., description="考核模块：theory 理论知识考试，practical 操作技能考核，review 综合评审"
    )
    module_label: str = Field(..., description="考核模块的中文名称")
    delivery: str = Field(..., description="形式：paper 纸笔，cbt 机考，onsite 现场")
    day: date = Field(..., description="日期（YYYY-MM-DD）")
    starts: time = Field(..., description="开始时间（HH:MM:SS）")
    ends: time = Field(..., description="结束时间（HH:MM:SS）")
    offerings: list[str] = Field(..., description="本场次的认定职业（工种）等级名称")
    rooms: list[RoomSeatsOut] = Field(..., description="安排了考生的考场及人数")


class FindingOut(Schema):
    rule: str = Field(..., description="违反的规则编号，如 R6.4")
    code: str = Field(
        ...,
        description="问题类型：group 兼任，overlap 时间冲突，qualification 资质，recusal 回避，count 人数等",
    )
    message: str = Field(..., description="问题说明（中文），写明人员、考场和处理办法")
    person_id: int | None = Field(None, description="涉及的人员编号；不针对个人时为空")
    unit_key: str | None = Field(None, description="涉及的考场单元（“场次编号:考场编号”）；不针对考场时为空")


class AssignmentOut(Schema):
    id: int = Field(..., description="人员安排编号")
    person_id: int = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    role: str = Field(
        ...,
        description="职责：head 考点负责人，proctor 监考人员，tallyer 记分员，assessor 考评员，supervisor 质量督导员",
    )
    role_label: str = Field(..., description="职责的中文名称")
    is_leader: bool = Field(..., description="是否考评组组长")
    site_id: int = Field(..., description="考点编号")
    site_name: str = Field(..., description="考点名称")
    session_id: int | None = Field(None, description="场次编号；考点负责人、督导员为空")
    room_id: int | None = Field(None, description="考场编号；考点负责人、督导员为空")
    room_name: str = Field("", description="考场名称")
    day: date | None = Field(None, description="督导日期（质量督导员按考点、日期安排）")


class StaffPlanOut(Schema):
    round_id: int = Field(..., description="批次编号")
    status: StaffPlanStatus = Field(..., description="状态：empty 未编排，draft 待保存，saved 已保存")
    status_label: str = Field(..., description="状态的中文名称")
    recuse_same_department: bool = Field(..., description="是否同部门回避")
    rotation_rounds: int = Field(..., description="轮换期：同一考评员连续考评同一职业超过该批次数时尽量轮换")
    objective: int | None = Field(None, description="编排方案的目标值（软性规则罚分，越低越好）")
    baseline_objective: int | None = Field(None, description="同一次运行中贪心基线方案的目标值")
    generated_at: datetime | None = Field(None, description="编排时间（ISO 8601）")
    saved_at: datetime | None = Field(None, description="保存时间（ISO 8601）")
    findings: list[FindingOut] = Field(..., description="校验程序发现的硬性规则问题；为空表示可以保存")
    explanations: list[str] = Field(..., description="最近一次编排未找到可行方案时的原因（中文）")
    assignments: list[AssignmentOut] = Field(..., description="人员安排，按考点、场次、考场排列")


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "/rounds/{id}/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="批次的考试场次与考场",
    description="批次的全部考试场次，按日期和开始时间排列，每个场次附安排了考生的考场及人数（R6.1）。"
    "本企业人员和辖区人社部门可查看；分页，每页最多 200 条；不存在或无权查看的批次一律返回 404。",
)
@paginate(Pagination)
def sessions(request: HttpRequest, id: Id) -> list[SessionOut]:
    user = principal(request)
    rnd = access_logistics_round(user=user, pk=id)
    rows = list(
        session_list(user=user, round=rnd).prefetch_related("offerings__occupation", "offerings__job_type")
    )
    counts: dict[int, list[tuple[int, int]]] = {}
    for session_id, room_id, n in (
        Seat.objects.filter(session__in=rows, application__status=ApplicationStatus.APPROVED)
        .values_list("session_id", "room_id")
        .annotate(n=Count("pk"))
        .order_by("session_id", "room__name")
    ):
        counts.setdefault(session_id, []).append((room_id, n))
    rooms = Room.objects.in_bulk([r for pairs in counts.values() for r, _n in pairs])
    return [
        SessionOut(
            id=s.pk,
            site_id=s.site_id,
            site_name=s.site.name,
            module=s.module,
            module_label=str(s.get_module_display()),
            delivery=s.delivery,
            day=s.day,
            starts=s.starts,
            ends=s.ends,
            offerings=[str(o) for o in s.offerings.all()],
            rooms=[
                RoomSeatsOut(
                    id=room_id,
                    name=rooms[room_id].name,
                    kind=rooms[room_id].kind,
                    capacity=rooms[room_id].capacity,
                    seats=n,
                )
                for room_id, n in counts.get(s.pk, [])
            ],
        )
        for s in rows
    ]


@router.get(
    "/rounds/{id}/staff-plan",
    response={200: StaffPlanOut, **ERRORS},
    summary="批次的人员编排方案",
    description="考点负责人、监考人员、记分员、考评组（含组长）和质量督导员的安排，目标值与贪心基线，"
    "以及校验程序发现的硬性规则问题（R6.3–R6.5）。只列姓名，不含身份证号。本企业人员和辖区人社部门可查看；"
    "不存在或无权查看的批次一律返回 404。",
)
def staff_plan(request: HttpRequest, id: Id) -> StaffPlanOut:
    user = principal(request)
    rnd = access_logistics_round(user=user, pk=id)
    plan = settings_of(round=rnd)
    rows = list(plan_assignments(plan=plan)) if plan.pk else []
    explanations = plan.stats.get("explanations", []) if plan.stats.get("status") == "infeasible" else []
    return StaffPlanOut(
        round_id=rnd.pk,
        status=StaffPlanStatus(plan.status),
        status_label=str(plan.get_status_display()),
        recuse_same_department=plan.recuse_same_department,
        rotation_rounds=plan.rotation_rounds,
        objective=plan.objective,
        baseline_objective=plan.baseline_objective,
        generated_at=plan.generated_at,
        saved_at=plan.saved_at,
        findings=[
            FindingOut(
                rule=str(f.get("rule", "")),
                code=str(f.get("code", "")),
                message=str(f.get("message", "")),
                person_id=f.get("person_id"),
                unit_key=f.get("unit_key"),
            )
            for f in plan.findings
        ],
        explanations=[str(e) for e in explanations],
        assignments=[
            AssignmentOut(
                id=a.pk,
                person_id=a.person_id,
                name=a.person.name,
                role=a.role,
                role_label=str(a.get_role_display()),
                is_leader=a.is_leader,
                site_id=a.site_id,
                site_name=a.site.name,
                session_id=a.session_id,
                room_id=a.room_id,
                room_name=a.room.name if a.room else "",
                day=a.day,
            )
            for a in rows
        ],
    )
