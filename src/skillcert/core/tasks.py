"""Background tasks of the core app; each reports its progress in a JobProgress row (house rule 10)."""

from __future__ import annotations

import io
import logging
from uuid import UUID

import xlsxwriter
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from skillcert.core import selectors
from skillcert.core.models import User
from skillcert.core.services import jobs

logger = logging.getLogger(__name__)

# Progress is reported once per chunk: one UPDATE per 200 rows, not per row.
ROSTER_CHUNK = 200
ROSTER_HEADERS = ("序号", "工号", "姓名", "性别", "身份证号", "部门", "岗位", "用工形式", "入职日期", "在职")


@task()
def roster_export_task(job_id: str, organisation_id: int, user_id: int) -> dict[str, int]:
    """Write an enterprise's employee roster to an XLSX file attached to the job.

    Reads through the selectors as the requesting user, so the task sees exactly what the
    user could see when it runs (access may have changed since it was queued).
    ID numbers are masked (S14).
    """
    job_key = UUID(str(job_id))
    try:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        if user is None:
            raise Http404
        org = selectors.access_organisation(user=user, pk=organisation_id)
        if not org.is_enterprise:
            raise Http404
        employees = (
            selectors.employee_list(user=user)
            .filter(enterprise=org)
            .order_by("department__name", "employee_no", "pk")
        )
        total = employees.count()
        jobs.job_start(job_id=job_key, total=total)

        buffer = io.BytesIO()
        # strings_to_formulas off: a name typed as "=HYPERLINK(…)" stays text (formula injection).
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet(_("花名册"))
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, [_(h) for h in ROSTER_HEADERS], bold)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 3, 12)
        sheet.set_column(4, 4, 22)
        sheet.set_column(5, 7, 16)
        sheet.set_column(8, 9, 12)
        written = 0
        for row, emp in enumerate(employees.iterator(chunk_size=ROSTER_CHUNK), start=1):
            values = (
                row,
                emp.employee_no,
                emp.person.name,
                emp.person.get_sex_display(),
                emp.person.id_number_masked,
                emp.department.name if emp.department else "",
                emp.post,
                emp.get_employment_type_display(),
                emp.hired_on.isoformat() if emp.hired_on else "",
                _("是") if emp.is_active else _("否"),
            )
            sheet.write_number(row, 0, row)
            for col, value in enumerate(values[1:], start=1):
                sheet.write_string(row, col, str(value))
            written = row
            if row % ROSTER_CHUNK == 0:
                jobs.job_advance(
                    job_id=job_key,
                    by=ROSTER_CHUNK,
                    message=_("已写入 %(n)s / %(t)s 行") % {"n": row, "t": total},
                )
        if written % ROSTER_CHUNK:
            jobs.job_advance(job_id=job_key, by=written % ROSTER_CHUNK)
        book.close()

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        jobs.job_attach_file(
            job_id=job_key, filename=f"roster-{org.pk}-{stamp}.xlsx", content=buffer.getvalue()
        )
        jobs.job_finish(
            job_id=job_key,
            result={"rows": written, "organisation_id": org.pk},
            message=_("%(org)s 花名册已生成，共 %(n)s 人。") % {"org": org.name, "n": written},
        )
        return {"rows": written}
    except Http404:
        jobs.job_fail(job_id=job_key, message=_("该组织不存在，或您无权导出其花名册。"))
        return {"rows": 0}
    except Exception:
        logger.exception("roster export %s failed", job_key)
        jobs.job_fail(job_id=job_key, message=_("导出失败，请稍后重试；仍失败请联系管理员。"))
        raise
