"""The worker's own application (R3.1, R3.2): start, fill in, photo and uploads, submit, withdraw, print.

Every function here is one audited write. The applicant reaches them through the online form;
the import and the API create applications their own way but submit through the same checks
(services.evaluation.application_evaluate).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog import eligibility
from skillcert.core import audit, idcard
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Employee, Person, User
from skillcert.enrollment import checks, documents, photos
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationDocument,
    ApplicationSource,
    ApplicationStatus,
    DocumentKind,
)
from skillcert.enrollment.services.evaluation import application_evaluate, rules_of
from skillcert.filings.selectors import require_in_scope
from skillcert.rounds import services as round_services
from skillcert.rounds.models import Round, RoundOffering

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# Uploads every submission needs (R3.3: ID document and education proof), and the years pledge
# needed when the applicant relies on working years.
REQUIRED_DOCUMENTS = (DocumentKind.ID_CARD, DocumentKind.EDUCATION)


@dataclass(frozen=True)
class CertificateData:
    """One existing certificate as the applicant declares it."""

    kind: str
    level: int | None = None
    title_grade: str = ""
    occupation_name: str = ""
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class ApplicationData:
    """Every field of attachment 1 the applicant fills in (the ID number stays on the Person)."""

    offering: RoundOffering
    name: str
    sex: str
    birth_date: date
    education: str = ""
    school: str = ""
    major: str = ""
    graduated_on: date | None = None
    is_current_student: bool = False
    phone: str = ""
    political_status: str = "masses"
    work_started_on: date | None = None
    current_post: str = ""
    post_years: Decimal | None = None
    occupation_years: Decimal | None = None
    job_direction: str = ""
    employment_type: str = ""
    is_exceptional: bool = False
    condition_relied_on: str = ""
    exceptional_grounds: tuple[str, ...] = field(default_factory=tuple)
    work_history: str = ""
    awards: str = ""
    achievements: str = ""


# Application fields written from ApplicationData (phone is encrypted separately).
_DATA_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "education",
    "school",
    "major",
    "graduated_on",
    "is_current_student",
    "political_status",
    "work_started_on",
    "current_post",
    "post_years",
    "occupation_years",
    "job_direction",
    "employment_type",
    "is_exceptional",
    "condition_relied_on",
    "work_history",
    "awards",
    "achievements",
)


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def require_registration_open(*, round: Round, on: date) -> None:
    """Refuse outside the round's registration window, naming the dates (R2.1)."""
    round_services.require_registration_open(round=round, on=on)


def _require_editable(app: Application) -> None:
    if app.status not in EDITABLE:
        raise RuleViolation(
            "R3.3",
            _("申报状态为“%(s)s”，不能修改；只有草稿或退回修改的申报可以修改。")
            % {"s": app.get_status_display()},
        )


def _require_offering(*, round: Round, offering: RoundOffering, on: date) -> None:
    if offering.round_id != round.pk:
        raise RuleViolation("R2.1", _("所选职业（工种）等级不在本批次的认定范围内。"), field="offering")
    require_in_scope(
        enterprise=round.enterprise_id,
        occupation=offering.occupation_id,
        job_type=offering.job_type_id,
        level=offering.level,
        on=on,
    )


def prefill(*, person: Person, employee: Employee | None) -> dict[str, Any]:
    """What the form starts with: name, sex and birth date from the ID number, post and employment from HR."""
    sex, born = person.sex, person.birth_date
    try:
        info = idcard.parse(person.reveal_id_number())
        sex, born = info.sex, info.birth_date
    except (idcard.IdNumberError, ValueError):
        pass
    return {
        "name": person.name,
        "sex": sex,
        "birth_date": born,
        "phone": person.reveal_phone(),
        "current_post": employee.post if employee is not None else "",
        "employment_type": employee.employment_type if employee is not None else "",
    }


def application_start(
    *,
    actor: User,
    round: Round,
    offering: RoundOffering,
    person: Person,
    employee: Employee | None,
    today: date | None = None,
) -> Application:
    """A draft application of `person` to `round`, prefilled from the person and HR record (R3.1)."""
    today = today or timezone.localdate()
    require_registration_open(round=round, on=today)
    _require_offering(round=round, offering=offering, on=today)
    if employee is not None and (
        employee.person_id != person.pk or employee.enterprise_id != round.enterprise_id
    ):
        raise RuleViolation("R3.1", _("只能以本企业职工身份申报本企业的认定批次。"))
    initial = prefill(person=person, employee=employee)
    app = Application(
        round=round,
        offering=offering,
        person=person,
        employee=employee,
        source=ApplicationSource.ONLINE,
        name=initial["name"],
        sex=initial["sex"],
        birth_date=initial["birth_date"],
        current_post=initial["current_post"],
        employment_type=initial["employment_type"],
    )
    app.set_phone(initial["phone"])
    try:
        with transaction.atomic():
            app.save()
            audit.record(
                actor=actor,
                action="application.start",
                obj=app,
                organisation_id=round.enterprise_id,
                summary={"round": round.pk, "offering": offering.pk},
            )
    except IntegrityError:
        raise RuleViolation(
            "R3.2",
            _("每次限申报1个职业（工种）：您在“%(round)s”已有一份申报，请在原申报中修改，不能重复申报。")
            % {"round": round.name},
            field="offering",
        ) from None
    return app


def _certificate_rows(app: Application, certificates: list[CertificateData]) -> list[ApplicationCertificate]:
    rows = []
    for c in certificates:
        number = c.number.strip()
        rows.append(
            ApplicationCertificate(
                application=app,
                kind=c.kind,
                level=c.level,
                title_grade=c.title_grade,
                occupation_name=c.occupation_name.strip(),
                number=number,
                number_normalised=checks.normalise_certificate_number(number),
                issued_on=c.issued_on,
            )
        )
    return rows


def application_update(
    *,
    actor: User,
    application: Application,
    data: ApplicationData,
    certificates: list[CertificateData],
    today: date | None = None,
) -> Application:
    """Save the form (draft or returned only), then re-run the checks so the applicant sees them at once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
        )
        _require_editable(app)
        if data.offering.pk != app.offering_id:
            _require_offering(round=app.round, offering=data.offering, on=today)
        changed = [f for f in _DATA_FIELDS if getattr(app, f) != getattr(data, f)]
        for name in _DATA_FIELDS:
            setattr(app, name, getattr(data, name))
        if list(app.exceptional_grounds or []) != list(data.exceptional_grounds):
            changed.append("exceptional_grounds")
        app.exceptional_grounds = list(data.exceptional_grounds)
        if data.offering.pk != app.offering_id:
            changed.append("offering")
        app.offering = data.offering
        if app.reveal_phone() != data.phone.strip():
            changed.append("phone")
            app.set_phone(data.phone)
        app.save(
            update_fields=[
                *_DATA_FIELDS,
                "exceptional_grounds",
                "offering",
                "phone_enc",
                "phone_masked",
                "updated_at",
            ]
        )
        old = [
            (c.kind, c.level, c.title_grade, c.occupation_name, c.number, c.issued_on)
            for c in app.certificates.order_by("pk")
        ]
        rows = _certificate_rows(app, certificates)
        new = [(c.kind, c.level, c.title_grade, c.occupation_name, c.number, c.issued_on) for c in rows]
        if old != new:
            app.certificates.all().delete()
            ApplicationCertificate.objects.bulk_create(rows)
            changed.append("certificates")
        audit.record(
            actor=actor,
            action="application.update",
            obj=app,
            organisation_id=app.round.enterprise_id,
            summary={"fields": changed, "certificates": len(rows)},
        )
        application_evaluate(application=app, today=today)
    app.refresh_from_db()
    return app


def application_set_photo(*, actor: User, application: Application, data: bytes) -> Application:
    """Check the 2-inch photo (JPEG/PNG, ≤ 5 MB, 35:49), resize it to 413×579 and store it encrypted."""
    try:
        jpeg = photos.prepare_photo(data)
    except photos.UploadError as exc:
        raise RuleViolation("R3.1", str(exc), field="photo") from None
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
        )
        _require_editable(app)
        app.set_photo(jpeg, "image/jpeg")
        app.save(update_fields=["photo_enc", "photo_type", "updated_at"])
        audit.record(
            actor=actor,
            action="application.photo",
            obj=app,
            organisation_id=app.round.enterprise_id,
            summary={"uploaded_bytes": len(data), "stored_bytes": len(jpeg)},
        )
    return app


def _clean_filename(filename: str, content_type: str) -> str:
    base = os.path.basename(filename.replace("\\", "/")).strip().replace("\x00", "")
    if not base:
        base = _("材料")
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]
    stem, ext = os.path.splitext(base)
    if ext.lower() not in (suffix, ".jpeg" if suffix == ".jpg" else suffix):
        stem, ext = base, suffix
    return stem[: 200 - len(ext)] + ext


def application_add_document(
    *, actor: User, application: Application, kind: str, filename: str, data: bytes
) -> ApplicationDocument:
    """Store an ID document, education proof, years pledge or other upload (PDF/JPEG/PNG ≤ 10 MB), encrypted."""
    field_name = f"doc_{kind}"
    if kind not in DocumentKind.values:
        raise RuleViolation("R3.3", _("未知的材料类别。"), field=field_name)
    try:
        content_type = photos.check_document(data)
    except photos.UploadError as exc:
        raise RuleViolation("R3.3", str(exc), field=field_name) from None
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
        )
        _require_editable(app)
        doc = ApplicationDocument(
            application=app,
            kind=kind,
            filename=_clean_filename(filename, content_type),
            content_type=content_type,
            uploaded_by=actor,
        )
        doc.set_data(data)
        doc.save()
        audit.record(
            actor=actor,
            action="application.document_add",
            obj=doc,
            organisation_id=app.round.enterprise_id,
            summary={"application": app.pk, "kind": kind, "size": doc.size, "content_type": content_type},
        )
    return doc


def application_remove_document(*, actor: User, document: ApplicationDocument) -> None:
    """Remove an upload of a draft or returned application."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=document.application_id)
        )
        _require_editable(app)
        audit.record(
            actor=actor,
            action="application.document_remove",
            obj=document,
            organisation_id=app.round.enterprise_id,
            summary={"application": app.pk, "kind": document.kind, "size": document.size},
        )
        ApplicationDocument.objects.filter(pk=document.pk).delete()


def application_document_view(*, actor: User, document: ApplicationDocument) -> bytes:
    """The decrypted upload for the applicant or a reviewer; every view is audited (S9)."""
    data = document.data()
    audit.record(
        actor=actor,
        action="application.document_view",
        obj=document,
        organisation_id=document.application.round.enterprise_id,
        summary={"application": document.application_id, "kind": document.kind},
    )
    return data


def relies_on_years(app: Application) -> bool:
    """Whether the applicant counts working years, so a written pledge of those years is needed (R3.3)."""
    return app.occupation_years is not None and app.occupation_years > 0


def missing_for_submit(app: Application) -> list[tuple[str, str]]:
    """(field, label) of what the form still lacks before it can be submitted, in form order."""
    missing: list[tuple[str, str]] = []
    required = (
        ("name", _("姓名")),
        ("sex", _("性别")),
        ("education", _("文化程度")),
        ("current_post", _("现从事岗位")),
        ("work_started_on", _("参加工作时间")),
    )
    for name, label in required:
        if not getattr(app, name):
            missing.append((name, label))
    if not app.phone_enc:
        missing.append(("phone", _("联系电话")))
    if not app.photo_enc:
        missing.append(("photo", _("二寸近期免冠照片")))
    rules = rules_of(app.offering.standard.rule_set)
    has_conditions = rules is not None and bool(rules.levels.get(eligibility.Level(app.offering.level)))
    if (has_conditions or app.is_exceptional) and not app.condition_relied_on.strip():
        missing.append(("condition_relied_on", _("申报条件")))
    kinds = set(app.documents.values_list("kind", flat=True))
    needed = list(REQUIRED_DOCUMENTS)
    if relies_on_years(app):
        needed.append(DocumentKind.YEARS_PLEDGE)
    for kind in needed:
        if kind not in kinds:
            missing.append((f"doc_{kind}", str(DocumentKind(kind).label)))
    return missing


def application_submit(
    *,
    actor: User,
    application: Application,
    pledge_ip: str,
    today: date,
    pledge_accepted: bool = True,
) -> Application:
    """Submit inside the registration window with the personal pledge accepted (R2.1, R3.1).

    The online form passes ``pledge_accepted`` from the pledge checkbox; the time and IP of the
    acceptance are recorded. The automatic checks and eligibility run, and the reviewer takes over.
    """
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "offering__standard__rule_set")
            .get(pk=application.pk)
        )
        app.require_transition(ApplicationStatus.SUBMITTED)
        require_registration_open(round=app.round, on=today)
        if not pledge_accepted:
            raise RuleViolation("R3.1", _("请阅读并勾选个人承诺后再提交。"), field="pledge")
        missing = missing_for_submit(app)
        if missing:
            raise RuleViolation(
                "R3.3",
                _("申报材料不完整，请补充：%(items)s。")
                % {"items": "、".join(label for _f, label in missing)},
                field=missing[0][0],
            )
        _require_offering(round=app.round, offering=app.offering, on=today)
        application_evaluate(application=app, today=today)
        app.refresh_from_db()
        was = app.status
        now = timezone.now()
        app.status = ApplicationStatus.SUBMITTED
        app.submitted_at = now
        app.pledge_accepted_at = now
        app.pledge_ip = pledge_ip[:45]
        app.save(update_fields=["status", "submitted_at", "pledge_accepted_at", "pledge_ip", "updated_at"])
        audit.record(
            actor=actor,
            action="application.resubmit" if was == ApplicationStatus.RETURNED else "application.submit",
            obj=app,
            organisation_id=app.round.enterprise_id,
            summary={
                "eligibility": app.eligibility,
                "blocking_flags": app.blocking_flags,
                "warning_flags": app.warning_flags,
                "post_mismatch": app.post_mismatch,
            },
        )
    return app


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    """The applicant withdraws; the application is closed, and the worker may apply again within the window (R3.2)."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
        )
        app.require_transition(ApplicationStatus.WITHDRAWN)
        was = app.status
        app.status = ApplicationStatus.WITHDRAWN
        app.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="application.withdraw",
            obj=app,
            organisation_id=app.round.enterprise_id,
            summary={"from": was, "reason": reason.strip()[:200]},
        )
    return app


def application_print(*, actor: User, application: Application, fmt: str) -> bytes:
    """The printable 申报表 (PDF or DOCX) with the full ID number, as signed and filed; audited (S14)."""
    sheet = documents.build_sheet(application=application)
    data = documents.application_pdf(sheet) if fmt == "pdf" else documents.application_docx(sheet)
    audit.record(
        actor=actor,
        action="application.print",
        obj=application,
        organisation_id=application.round.enterprise_id,
        summary={"format": fmt, "id_number_masked": application.person.id_number_masked},
    )
    return data
