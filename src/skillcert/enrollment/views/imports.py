"""Enrollment pages: the bulk import of applications from Excel (R3.4) and its template."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from skillcert.core import selectors as core_selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.services import jobs as job_services
from skillcert.enrollment import tasks, template_xlsx
from skillcert.enrollment.services import imports as services
from skillcert.rounds.models import Round
from skillcert.rounds.selectors import access_round

MAX_UPLOAD = 30 * 1024 * 1024  # a 100,000-row file is about 11 MB
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE)
RECENT = 10


def job_kind(round: Round) -> str:
    """The JobProgress kind of a round's imports, so the upload page lists them."""
    return f"application_import:{round.pk}"


class ImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        help_text=gettext_lazy("用本页下载的模板填写，.xlsx 格式，最大 30 MB。"),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("有错误时"),
        choices=[
            ("all_or_nothing", gettext_lazy("全部不导入（默认）：改正所有错误后再导入整个文件")),
            ("good_rows_only", gettext_lazy("只导入正确的行：有误的行列入错误报告，改正后可再导入")),
        ],
        initial="all_or_nothing",
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".xls")):
            raise forms.ValidationError(_("请上传 Excel 文件（.xlsx）。"))
        if upload.size is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件过大：最大 30 MB，请分批导入。"))
        head = upload.read(4)
        upload.seek(0)
        if not head.startswith(_MAGIC):
            raise forms.ValidationError(_("该文件不是有效的 Excel 文件，请用下载的模板填写后上传。"))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Upload a filled template; the import runs as a task and the job page shows its progress."""
    rnd = access_round(user=request.user, pk=round_pk, for_write=True)
    today = timezone.localdate()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.require_import_window(round=rnd, today=today)
        except RuleViolation as exc:
            form.add_error(None, str(exc))
        else:
            upload = tasks.upload_save(form.cleaned_data["file"].read())
            job = job_services.job_create(
                actor=request.user, kind=job_kind(rnd), title=_("%(r)s 申报导入") % {"r": rnd.name}
            )
            tasks.import_applications_task.enqueue(
                job_id=str(job.pk),
                round_id=rnd.pk,
                user_id=request.user.pk,
                mode=form.cleaned_data["mode"],
                upload=upload,
            )
            return redirect("core:job_detail", pk=job.pk)
    window_open = rnd.registration_open_on(today)
    recent = (
        core_selectors.job_list(user=request.user).filter(kind=job_kind(rnd)).order_by("-created_at")[:RECENT]
    )
    return render(
        request,
        "enrollment/imports/upload.html",
        {"round": rnd, "form": form, "window_open": window_open, "recent": recent, "today": today},
    )


@login_required
@require_GET
def import_template(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """The Excel template of a round: its offerings in the drop-down, a notes sheet."""
    rnd = access_round(user=request.user, pk=round_pk, for_write=True)
    labels = list(services.offering_labels(services.round_offerings(round=rnd)))
    data = template_xlsx.build_template(
        round_name=rnd.name,
        enterprise_name=rnd.enterprise.name,
        registration_opens=rnd.registration_opens,
        registration_closes=rnd.registration_closes,
        offerings=labels,
    )
    filename = _("%(r)s-申报导入模板.xlsx") % {"r": rnd.name}
    return file_response(
        data,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


urlpatterns: list[URLPattern] = [
    path("rounds/<int:round_pk>/import/", import_upload, name="import_upload"),
    path("rounds/<int:round_pk>/import/template.xlsx", import_template, name="import_template"),
]
