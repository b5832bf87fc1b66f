"""Background tasks of the logistics app; each reports its progress in a JobProgress row (house rule 10)."""

from __future__ import annotations

import logging
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from django_tasks import task

from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.core.services import jobs
from skillcert.logistics.models import StaffPlanStatus
from skillcert.logistics.selectors import access_logistics_round
from skillcert.logistics.services.staffing import staff_plan_generate

logger = logging.getLogger(__name__)


def staffing_job_kind(round_id: int) -> str:
    return f"logistics.staff_plan:{round_id}"


@task()
def staff_plan_generate_task(job_id: str, round_id: int, user_id: int) -> dict[str, int]:
    """Generate a round's staff plan with the optimiser, reporting the solver's progress to the job.

    Runs as the requesting user: access is checked again when the task runs.
    """
    job_key = UUID(str(job_id))
    try:
        user = User.objects.select_related("organisation").filter(pk=user_id, is_active=True).first()
        if user is None:
            raise Http404
        rnd = access_logistics_round(user=user, pk=round_id, for_write=True)
        jobs.job_start(job_id=job_key, total=100)
        reported = [0]

        def progress(done: int, total: int) -> None:
            # The bar is in percent; only forward movement is written (one UPDATE per step).
            percent = min(99, int(done * 100 / total)) if total else 0
            if percent > reported[0]:
                jobs.job_advance(
                    job_id=job_key,
                    by=percent - reported[0],
                    message=_("正在编排：%(p)s%%") % {"p": percent},
                )
                reported[0] = percent

        plan = staff_plan_generate(actor=user, round=rnd, progress=progress)
        explanations = (
            list(plan.stats.get("explanations", [])) if plan.stats.get("status") == "infeasible" else []
        )
        if explanations:
            jobs.job_finish(
                job_id=job_key,
                result={"round_id": rnd.pk, "refused": True, "infeasible": True},
                message=_("未找到满足全部硬性规则的编排方案：%(why)s") % {"why": "；".join(explanations)},
            )
            return {"assignments": 0}
        count = plan.assignments.count()
        jobs.job_finish(
            job_id=job_key,
            result={"round_id": rnd.pk, "assignments": count, "draft": plan.status == StaffPlanStatus.DRAFT},
            message=_("编排完成：%(n)s 项人员安排，目标值 %(o)s（贪心基线 %(b)s）。")
            % {"n": count, "o": plan.objective, "b": plan.baseline_objective},
        )
        return {"assignments": count}
    except Http404:
        jobs.job_fail(job_id=job_key, message=_("该认定批次不存在，或您无权编排其人员。"))
        return {"assignments": 0}
    except RuleViolation as exc:
        jobs.job_fail(job_id=job_key, message=str(exc))
        return {"assignments": 0}
    except Exception:
        logger.exception("staff plan generation %s failed", job_key)
        jobs.job_fail(job_id=job_key, message=_("编排失败，未改动已有方案；请稍后重试，仍失败请联系管理员。"))
        raise
