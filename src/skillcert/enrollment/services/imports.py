"""Bulk import of applications from Excel or the HR-system API (R3.4): check everything, then write in bulk.

One path for both sources: :func:`import_applications` reads the Excel file into records and
calls :func:`import_records`, which the API calls with its JSON items. Steps:

1. the round must be published and open for registration today (R2.1) — an enterprise's HR
   system is held to the same window as its workers;
2. every cell of every row is checked (``importer.validate``); then, against the database, the
   person (an ID number already registered must carry the same name, as in
   ``core.services.people.person_find_or_create``) and the employee number (工号: new numbers
   create the employee record in the round's enterprise; a number of another person, or a person
   with another number, is an error);
3. each row is matched to the person's application in the round (one per person per round,
   R3.2): none → created (status submitted, source import/api); one still open (draft,
   submitted, returned) → only the fields that differ are updated, and a draft or returned one
   is submitted; nothing differs → unchanged, nothing is written. An application already
   approved or rejected is never changed: the row is reported "已审核，未更改". Nor is one the
   worker withdrew ("已撤回，未更改"): re-applying is the worker's decision, made online;
4. the automatic checks and the eligibility evaluation run on every created or updated row
   (``evaluation.assess``, the same as the online form) and their flags are stored for the
   reviewer; only an invalid ID number is an import error (a person cannot exist without one);
5. mode ``all_or_nothing`` (the default) writes nothing when any row is bad; ``good_rows_only``
   writes the good rows. Everything is written in one transaction, with one audit event for the
   whole import (counts), not one per row.

The certificate columns describe one certificate: it is added to the application, or updates
the certificate with the same number; certificates entered otherwise are never removed. A
blank optional cell is a value (it clears the field); a column absent from the file (or a key
absent from an API item) leaves the field as it is.

Speed (50,000 rows ≤ 60 s, docs/benchmarks.md): people, employees and the round's applications
are fetched once into dicts; rows are written with bulk_create/bulk_update in batches; only new
values are encrypted; no query and no audit event per row.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog import eligibility
from skillcert.core import audit, crypto, documents, idcard
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Employee, Person, User
from skillcert.core.services import jobs
from skillcert.enrollment import checks, importer
from skillcert.enrollment.evaluation import AppRow, CertRow, Outcome, assess
from skillcert.enrollment.importer import COLUMN_BY_KEY, CertificateData, Issue, Record
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationFlag,
    ApplicationSource,
    ApplicationStatus,
)
from skillcert.enrollment.services.evaluation import mapped_posts, rules_of
from skillcert.rounds.models import Round, RoundOffering, RoundStatus

logger = logging.getLogger(__name__)

ImportMode = Literal["all_or_nothing", "good_rows_only"]
MODES: tuple[ImportMode, ...] = ("all_or_nothing", "good_rows_only")
RowStatus = Literal["created", "updated", "unchanged", "skipped", "error"]

# An application in one of these states is not the import's to change: reviewed ones are the
# reviewer's, and a withdrawal is the worker's own decision (they may apply again online).
LOCKED = {
    ApplicationStatus.APPROVED: "已审核，未更改",
    ApplicationStatus.REJECTED: "已审核，未更改",
    ApplicationStatus.WITHDRAWN: "已撤回，未更改",
}
REOPEN = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})
IN_BATCH = 900  # ids per `IN (...)` query: under SQLite's oldest limit of 999 variables
WRITE_BATCH = 500
ANALYZE_AFTER = 1000  # rows written by one import
EVALUATION_FIELDS = [
    "eligibility",
    "eligibility_reasons",
    "eligibility_condition",
    "eligibility_on",
    "blocking_flags",
    "warning_flags",
    "post_mismatch",
]

T = TypeVar("T")


@dataclass(eq=False)
class RowOutcome:
    """What happened to one row (or API item)."""

    row: int
    status: RowStatus
    application_id: int | None = None
    errors: list[Issue] = field(default_factory=list)
    message: str = ""
    name: str = ""
    id_masked: str = ""


@dataclass(eq=False)
class ImportResult:
    round_id: int
    mode: ImportMode
    source: str
    written: bool
    rows: list[RowOutcome]
    file_errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    persons_created: int = 0
    employees_created: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for the benchmark

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(r.status for r in self.rows)
        return {
            "rows": len(self.rows),
            "created": tally["created"],
            "updated": tally["updated"],
            "unchanged": tally["unchanged"],
            "reviewed": sum(1 for r in self.rows if r.status == "unchanged" and r.message),
            "skipped": tally["skipped"],
            "error_rows": tally["error"],
            "errors": len(self.file_errors) + sum(len(r.errors) for r in self.rows),
            "persons_created": self.persons_created,
            "employees_created": self.employees_created,
        }

    @property
    def errors(self) -> list[Issue]:
        found = [*self.file_errors]
        for r in self.rows:
            found.extend(r.errors)
        return found

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.status == "error" for r in self.rows)


# --- the window and the offerings ----------------------------------------------------------------


def require_import_window(*, round: Round, today: date) -> None:
    """Refuse unless the round is published and its registration is open today (R2.1), naming the dates."""
    if round.status != RoundStatus.PUBLISHED:
        raise RuleViolation(
            "R2.1",
            _("该批次未发布或已取消（当前状态：%(s)s），不能导入申报。") % {"s": round.get_status_display()},
        )
    if not round.registration_open_on(today):
        raise RuleViolation(
            "R2.1",
            _("报名时间为 %(a)s 至 %(b)s，今天（%(t)s）不在报名期内，不能导入申报。")
            % {"a": round.registration_opens, "b": round.registration_closes, "t": today},
        )


def round_offerings(*, round: Round) -> list[RoundOffering]:
    return list(
        RoundOffering.objects.filter(round=round)
        .select_related("occupation", "job_type", "standard__rule_set")
        .order_by("occupation__code", "job_type__name", "-level", "pk")
    )


def offering_labels(offerings: Iterable[RoundOffering]) -> dict[str, int]:
    """Label → offering id; two offerings that would read alike get the occupation code added."""
    labels: dict[str, int] = {}
    items = list(offerings)
    plain = Counter(
        importer.offering_label(o.occupation.name, o.job_type.name if o.job_type else None, o.level)
        for o in items
    )
    for o in items:
        label = importer.offering_label(o.occupation.name, o.job_type.name if o.job_type else None, o.level)
        if plain[label] > 1:
            label = f"{label}（{o.occupation.code}）"
        labels[label] = o.pk
    return labels


# --- entry points --------------------------------------------------------------------------------


def import_applications(
    *,
    actor: User,
    round: Round,
    data: bytes,
    mode: ImportMode = "all_or_nothing",
    job_id: UUID | str | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the rows of an Excel file made from the template (see the module docstring)."""
    today = today or timezone.localdate()
    require_import_window(round=round, today=today)
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    if job_id is not None:
        jobs.job_advance(job_id=job_id, by=0, message=_("正在读取文件……"))
    started = time.perf_counter()
    sheet = importer.read_records(data)
    read_s = time.perf_counter() - started
    if sheet.errors:
        _audit_refusal(
            actor=actor, round=round, mode=mode, source=ApplicationSource.IMPORT, rows=0, job_id=job_id
        )
        return ImportResult(
            round_id=round.pk,
            mode=mode,
            source=ApplicationSource.IMPORT,
            written=False,
            rows=[],
            file_errors=sheet.errors,
            notices=sheet.notices,
        )
    result = import_records(
        actor=actor,
        round=round,
        records=sheet.records,
        mode=mode,
        source=ApplicationSource.IMPORT,
        job_id=job_id,
        notices=sheet.notices,
        today=today,
    )
    result.timings = {"read": read_s, **result.timings}
    return result


def import_records(
    *,
    actor: User,
    round: Round,
    records: Sequence[tuple[int, Mapping[str, object]]],
    mode: ImportMode = "all_or_nothing",
    source: str = ApplicationSource.IMPORT,
    job_id: UUID | str | None = None,
    notices: Sequence[Issue] = (),
    today: date | None = None,
) -> ImportResult:
    """Import records ``(row number, {column key: value})``: Excel rows or API items alike.

    A key absent from a record leaves that field of an existing application as it is; a key
    present with a blank value clears it (see ``importer.validate``).
    """
    today = today or timezone.localdate()
    require_import_window(round=round, today=today)
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    offerings = round_offerings(round=round)
    by_id = {o.pk: o for o in offerings}

    def advance(n: int) -> None:
        if job_id is not None:
            jobs.job_advance(job_id=job_id, by=n, message=_("正在检查第 %(n)s 行……") % {"n": n})

    if job_id is not None:
        jobs.job_start(job_id=job_id, total=2 * len(records))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    results = importer.validate(records, offerings=offering_labels(offerings), today=today, progress=advance)
    timings["validate"] = time.perf_counter() - started
    started = time.perf_counter()
    plan = _Plan(round=round, offerings=by_id, today=today)
    plan.resolve(results)
    timings["resolve"] = time.perf_counter() - started
    if job_id is not None:
        jobs.job_advance(job_id=job_id, by=0, message=_("正在核查并核算申报资格……"))

    bad = any(o.status == "error" for o in plan.outcomes)
    if bad and mode == "all_or_nothing":
        for outcome in plan.outcomes:
            if outcome.status != "error":
                outcome.status = "skipped"
                outcome.message = _("因其他行有误，本次未导入。")
        _audit_refusal(actor=actor, round=round, mode=mode, source=source, rows=len(records), job_id=job_id)
        return ImportResult(
            round_id=round.pk,
            mode=mode,
            source=source,
            written=False,
            rows=plan.outcomes,
            notices=list(notices),
            timings=timings,
        )

    started = time.perf_counter()
    plan.evaluate(progress=advance if job_id is not None else None)
    timings["evaluate"] = time.perf_counter() - started
    started = time.perf_counter()
    if job_id is not None:
        jobs.job_advance(job_id=job_id, by=0, message=_("正在写入……"))
    try:
        with transaction.atomic():
            locked = Round.objects.select_for_update().get(pk=round.pk)
            require_import_window(round=locked, today=today)
            plan.write(actor=actor, source=source)
            result = ImportResult(
                round_id=round.pk,
                mode=mode,
                source=source,
                written=True,
                rows=plan.outcomes,
                notices=list(notices),
                persons_created=plan.persons_created,
                employees_created=plan.employees_created,
                timings=timings,
            )
            audit.record(
                actor=actor,
                action="application.import",
                obj=locked,
                organisation_id=locked.enterprise_id,
                summary={"source": source, "mode": mode, "job": str(job_id or ""), **result.counts},
            )
    except IntegrityError:
        logger.warning("import into round %s raced another write", round.pk, exc_info=True)
        raise RuleViolation(
            "", _("导入时本批次的申报或人员被同时修改，本次未导入任何数据，请重新导入。")
        ) from None
    if plan.rows_written >= ANALYZE_AFTER:
        _analyze(Person, Employee, Application, ApplicationCertificate, ApplicationFlag)
    timings["write"] = time.perf_counter() - started
    return result


def _analyze(*models: type[Model]) -> None:
    """Refresh PostgreSQL's table statistics after a large insert, so the reviewer's list is planned
    for the real row counts at once rather than after autovacuum gets round to it."""
    connection = connections[router.db_for_write(models[0])]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _audit_refusal(
    *, actor: User, round: Round, mode: str, source: str, rows: int, job_id: UUID | str | None
) -> None:
    audit.record(
        actor=actor,
        action="application.import",
        obj=round,
        organisation_id=round.enterprise_id,
        outcome="refused",
        summary={"source": source, "mode": mode, "rows": rows, "job": str(job_id or "")},
    )


# --- the plan: match rows to people, employees and applications; evaluate; write ------------------


@dataclass(eq=False)
class _Row:
    record: Record
    outcome: RowOutcome
    person_index: str
    person_id: int | None = None
    employee_id: int | None = None
    new_employee: bool = False
    app: Application | None = None  # the existing application
    changes: dict[str, object] = field(default_factory=dict)
    certificate_change: str = ""  # "", "add" or "update"
    certificate_match: ApplicationCertificate | None = None
    result: Outcome | None = None


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Plan:
    def __init__(self, *, round: Round, offerings: Mapping[int, RoundOffering], today: date) -> None:
        self.round = round
        self.offerings = offerings
        self.today = today
        self.now = timezone.now()
        self.outcomes: list[RowOutcome] = []
        self.rows: list[_Row] = []
        self.certificates: dict[int, list[ApplicationCertificate]] = defaultdict(list)
        self.persons_created = 0
        self.employees_created = 0

    @property
    def rows_written(self) -> int:
        return len(self.rows)

    # ---- step 2 and 3: people, employee numbers, existing applications

    def resolve(self, results: Sequence[importer.RowResult]) -> None:
        rows: list[_Row] = []
        for result in results:
            outcome = RowOutcome(
                row=result.row, status="error" if result.errors else "unchanged", errors=result.errors
            )
            self.outcomes.append(outcome)
            record = result.record
            if record is not None:
                outcome.name = str(record.fields.get("name", ""))
                outcome.id_masked = idcard.mask(record.id_number)
                index = crypto.blind_index(record.id_number, purpose="id_number")
                rows.append(_Row(record=record, outcome=outcome, person_index=index))
        if not rows:
            return
        persons: dict[str, tuple[int, str]] = {}
        indexes = sorted({r.person_index for r in rows})
        for batch in _chunks(indexes, IN_BATCH):
            for pk, index, name in Person.objects.filter(id_number_index__in=batch).values_list(
                "pk", "id_number_index", "name"
            ):
                persons[index] = (pk, name)
        by_no: dict[str, tuple[int, int]] = {}
        by_person: dict[int, tuple[int, str]] = {}
        for pk, no, person_id in Employee.objects.filter(enterprise_id=self.round.enterprise_id).values_list(
            "pk", "employee_no", "person_id"
        ):
            by_no[no] = (pk, person_id)
            by_person[person_id] = (pk, no)
        # The person's live application in the round, else their withdrawn one (R3.2: one live per round).
        apps: dict[int, Application] = {}
        for a in Application.objects.filter(round=self.round).defer("photo_enc").order_by("pk"):
            if a.status != ApplicationStatus.WITHDRAWN or a.person_id not in apps:
                apps[a.person_id] = a
        if apps:
            for cert in ApplicationCertificate.objects.filter(application__round=self.round).order_by("pk"):
                self.certificates[cert.application_id].append(cert)

        for row in rows:
            record, outcome = row.record, row.outcome
            found = persons.get(row.person_index)
            name = str(record.fields.get("name", ""))
            if found is not None:
                row.person_id = found[0]
                if found[1] != name:
                    outcome.errors.append(
                        Issue(
                            record.row,
                            COLUMN_BY_KEY["name"].header,
                            name,
                            _("该身份证号已登记，登记的姓名与填写的姓名不一致，请核对。"),
                            "name",
                        )
                    )
            no_column = COLUMN_BY_KEY["employee_no"].header
            holder = by_no.get(record.employee_no)
            if holder is not None and holder[1] != row.person_id:
                outcome.errors.append(
                    Issue(
                        record.row,
                        no_column,
                        record.employee_no,
                        _("工号 %(no)s 已是本企业另一名员工的工号。") % {"no": record.employee_no},
                        "employee_no",
                    )
                )
            elif row.person_id is not None and row.person_id in by_person and holder is None:
                outcome.errors.append(
                    Issue(
                        record.row,
                        no_column,
                        record.employee_no,
                        _("该人员在本企业的工号为 %(no)s，与填写的不一致。")
                        % {"no": by_person[row.person_id][1]},
                        "employee_no",
                    )
                )
            elif holder is not None:
                row.employee_id = holder[0]
            else:
                row.new_employee = True
            if outcome.errors:
                outcome.status = "error"
                continue
            app = apps.get(row.person_id) if row.person_id is not None else None
            row.app = app
            if app is None:
                outcome.status = "created"
            elif app.status in LOCKED:
                outcome.status = "unchanged"
                outcome.message = LOCKED[ApplicationStatus(app.status)]
                outcome.application_id = app.pk
            else:
                outcome.application_id = app.pk
                self._compare(row, app)
                outcome.status = "updated" if row.changes or row.certificate_change else "unchanged"
            if outcome.status in ("created", "updated"):
                self.rows.append(row)

    def _compare(self, row: _Row, app: Application) -> None:
        record = row.record
        changes: dict[str, object] = {}
        for name, value in record.fields.items():
            current: object = app.reveal_phone() if name == "phone" else getattr(app, name)
            if current != value:  # Decimal("8.0") == Decimal("8"); lists compare by content
                changes[name] = value
        if app.offering_id != record.offering_id:
            changes["offering_id"] = record.offering_id
        if row.new_employee:
            changes["employee_id"] = None  # the id is known once the employee record is written
        elif row.employee_id is not None and app.employee_id != row.employee_id:
            changes["employee_id"] = row.employee_id
        if app.status in REOPEN:
            changes["status"] = ApplicationStatus.SUBMITTED
        row.changes = changes
        cert = record.certificate
        if cert is not None:
            match = _matching_certificate(cert, self.certificates.get(app.pk, []))
            if match is None:
                row.certificate_change = "add"
            elif not _same_certificate(cert, match):
                row.certificate_change = "update"
                row.certificate_match = match

    # ---- step 4: checks and eligibility on every row that will be written

    def evaluate(self, *, progress: Callable[[int], None] | None) -> None:
        if not self.rows:
            if progress is not None:
                progress(len(self.outcomes))
            return
        posts = mapped_posts(enterprise_id=self.round.enterprise_id)
        rules: dict[int, eligibility.RuleSet | None] = {
            pk: rules_of(o.standard.rule_set) for pk, o in self.offerings.items()
        }
        app_rows = [(row, self._app_row(row)) for row in self.rows]
        holders = self._certificate_holders(app_rows)
        on = self.round.reference_on
        pending = len(self.outcomes) - len(self.rows)
        for row, app_row in app_rows:
            own = row.record.id_number
            known = {}
            for cert in app_row.certificates:
                number = checks.normalise_certificate_number(cert.number)
                others = holders.get(number, set()) - {own} if number else set()
                if others:
                    known[number] = min(others)
            offering = self.offerings[row.record.offering_id]
            row.result = assess(
                app_row,
                rules=rules[offering.pk],
                level=offering.level,
                on=on,
                today=self.today,
                occupation_id=offering.occupation_id,
                occupation_name=offering.occupation.name,
                known_certificates=known,
                id_numbers_in_round={},
                self_key=None,
                mapped_posts=posts,
            )
            pending += 1
            if progress is not None and pending >= 2000:
                progress(pending)
                pending = 0
        if progress is not None and pending:
            progress(pending)

    def _app_row(self, row: _Row) -> AppRow:
        """The application as it will read after the import: the stored one with the changes, or the row."""
        values: dict[str, object]
        app = row.app
        if app is None:
            values = {
                "name": "",
                "sex": "",
                "birth_date": None,
                "phone": "",
                "education": "",
                "graduated_on": None,
                "is_current_student": False,
                "major": "",
                "work_started_on": None,
                "occupation_years": None,
                "exceptional_grounds": [],
                "current_post": "",
            }
            certificates: list[CertRow] = []
        else:
            values = {
                "name": app.name,
                "sex": app.sex,
                "birth_date": app.birth_date,
                "phone": app.reveal_phone(),
                "education": app.education,
                "graduated_on": app.graduated_on,
                "is_current_student": app.is_current_student,
                "major": app.major,
                "work_started_on": app.work_started_on,
                "occupation_years": app.occupation_years,
                "exceptional_grounds": app.exceptional_grounds,
                "current_post": app.current_post,
            }
            certificates = [
                _cert_row_of(c) for c in self.certificates.get(app.pk, []) if c is not row.certificate_match
            ]
        values.update({k: v for k, v in row.record.fields.items() if k in values})
        cert = row.record.certificate
        if cert is not None and (app is None or row.certificate_change):
            certificates.append(
                CertRow(
                    kind=cert.kind,
                    level=cert.level,
                    title_grade=cert.title_grade,
                    occupation_name=cert.occupation_name,
                    occupation_id=None,
                    number=cert.number,
                    issued_on=cert.issued_on,
                )
            )
        years = values["occupation_years"]
        birth = values["birth_date"]
        grounds = values["exceptional_grounds"]
        return AppRow(
            name=str(values["name"]),
            sex=str(values["sex"]),
            birth_date=birth if isinstance(birth, date) else None,
            id_number=row.record.id_number,
            phone=str(values["phone"]),
            education=str(values["education"]),
            graduated_on=_date_or_none(values["graduated_on"]),
            is_current_student=bool(values["is_current_student"]),
            major=str(values["major"]),
            work_started_on=_date_or_none(values["work_started_on"]),
            occupation_years=float(years) if isinstance(years, Decimal | int | float) else None,
            exceptional_grounds=tuple(str(g) for g in grounds) if isinstance(grounds, list | tuple) else (),
            certificates=tuple(certificates),
            current_post=str(values["current_post"]),
        )

    def _certificate_holders(self, app_rows: Sequence[tuple[_Row, AppRow]]) -> dict[str, set[str]]:
        """Certificate number → the ID numbers of the people it is recorded for (database and file)."""
        holders: dict[str, set[str]] = defaultdict(set)
        for row, app_row in app_rows:
            for cert in app_row.certificates:
                number = checks.normalise_certificate_number(cert.number)
                if number:
                    holders[number].add(row.record.id_number)
        numbers = sorted(holders)
        if not numbers:
            return holders
        id_of_person = {
            row.person_id: row.record.id_number for row, _a in app_rows if row.person_id is not None
        }
        recorded: list[tuple[str, int]] = []
        for batch in _chunks(numbers, IN_BATCH):
            recorded.extend(
                ApplicationCertificate.objects.filter(number_normalised__in=batch).values_list(
                    "number_normalised", "application__person_id"
                )
            )
        unknown = sorted({pid for _n, pid in recorded if pid not in id_of_person})
        for ids in _chunks(unknown, IN_BATCH):
            for person in Person.objects.filter(pk__in=ids).only("pk", "id_number_enc"):
                id_of_person[person.pk] = person.reveal_id_number()
        for number, person_id in recorded:
            holders[number].add(id_of_person[person_id])
        return holders

    # ---- step 5: write (inside the caller's transaction)

    def write(self, *, actor: User, source: str) -> None:
        self._create_people()
        self._create_employees()
        self._create_applications(actor=actor, source=source)
        self._update_applications(actor=actor)

    def _create_people(self) -> None:
        """Register the people not yet known: sex and birth date come from the ID number, as in person_create."""
        rows: list[dict[str, object]] = []
        indexes: list[str] = []
        seen: set[str] = set()
        for row in self.rows:
            if row.person_id is not None or row.person_index in seen:
                continue
            seen.add(row.person_index)
            number = row.record.id_number  # validated, 18 characters
            phone = str(row.record.fields.get("phone", "")).strip()
            rows.append(
                {
                    "name": str(row.record.fields["name"]),
                    "sex": "M" if int(number[16]) % 2 else "F",
                    "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    "id_number_enc": crypto.encrypt_text(number, context="person.id_number"),
                    "id_number_index": row.person_index,
                    "id_number_masked": idcard.mask(number),
                    "phone_enc": crypto.encrypt_text(phone, context="person.phone") if phone else None,
                    "phone_masked": crypto.mask_phone(phone),
                }
            )
            indexes.append(row.person_index)
        ids = dict(zip(indexes, _bulk_insert(Person, rows, key="id_number_index"), strict=True))
        self.persons_created = len(rows)
        for row in self.rows:
            if row.person_id is None:
                row.person_id = ids[row.person_index]

    def _create_employees(self) -> None:
        """An employee record in the round's enterprise for each new 工号 (as employee_create does)."""
        new = [row for row in self.rows if row.new_employee]
        rows = [
            {
                "person_id": row.person_id,
                "enterprise_id": self.round.enterprise_id,
                "employee_no": row.record.employee_no,
                "post": str(row.record.fields.get("current_post", "")),
                "employment_type": str(row.record.fields.get("employment_type") or "regular"),
            }
            for row in new
        ]
        inserted = _bulk_insert(
            Employee, rows, key="person_id", scope={"enterprise_id": self.round.enterprise_id}
        )
        for row, pk in zip(new, inserted, strict=True):
            row.employee_id = pk
            if row.app is not None:
                row.changes["employee_id"] = pk
        self.employees_created = len(rows)

    def _create_applications(self, *, actor: User, source: str) -> None:
        created = [row for row in self.rows if row.app is None]
        if not created:
            return
        on = self.round.reference_on
        rows: list[dict[str, object]] = []
        for row in created:
            values = dict(row.record.fields)
            phone = str(values.pop("phone", "")).strip()
            values.update(
                round_id=self.round.pk,
                offering_id=row.record.offering_id,
                person_id=row.person_id,
                employee_id=row.employee_id,
                status=ApplicationStatus.SUBMITTED,
                source=source,
                submitted_at=self.now,
                phone_enc=crypto.encrypt_text(phone, context="application.phone") if phone else None,
                phone_masked=crypto.mask_phone(phone),
                **_outcome_fields(row.result, on=on),
            )
            if values.get("unit_opinion"):
                values.update(unit_opinion_by_id=actor.pk, unit_opinion_at=self.now)
            rows.append(values)
        ids = _bulk_insert(Application, rows, key="person_id", scope={"round_id": self.round.pk})
        certificates: list[dict[str, object]] = []
        flags: list[dict[str, object]] = []
        for row, pk in zip(created, ids, strict=True):
            row.outcome.application_id = pk
            if row.record.certificate is not None:
                certificates.append(_certificate_values(pk, row.record.certificate))
            flags.extend(_flag_values(pk, row.result, {}))
        _bulk_insert(ApplicationCertificate, certificates)
        _bulk_insert(ApplicationFlag, flags)

    def _update_applications(self, *, actor: User) -> None:
        updated = [row for row in self.rows if row.app is not None]
        if not updated:
            return
        on = self.round.reference_on
        names: set[str] = {"updated_at", *EVALUATION_FIELDS}
        apps: list[Application] = []
        new_certificates: list[dict[str, object]] = []
        changed_certificates: list[ApplicationCertificate] = []
        for row in updated:
            app = row.app
            assert app is not None
            for name, value in row.changes.items():
                if name == "phone":
                    app.set_phone(str(value))
                    names.update(("phone_enc", "phone_masked"))
                    continue
                setattr(app, name, value)
                names.add(name)
            if row.changes.get("status") == ApplicationStatus.SUBMITTED:
                app.submitted_at = self.now
                # A form sent back for correction is resubmitted by the import: the old remark goes.
                app.review_reason = ""
                names.update(("submitted_at", "review_reason"))
            if "unit_opinion" in row.changes:
                app.unit_opinion_by, app.unit_opinion_at = actor, self.now
                names.update(("unit_opinion_by", "unit_opinion_at"))
            app.updated_at = self.now
            for name, value in _outcome_fields(row.result, on=on).items():
                setattr(app, name, value)
            apps.append(app)
            cert = row.record.certificate
            if row.certificate_change == "add" and cert is not None:
                new_certificates.append(_certificate_values(app.pk, cert))
            elif (
                row.certificate_change == "update" and cert is not None and row.certificate_match is not None
            ):
                match = row.certificate_match
                match.kind, match.level, match.title_grade = cert.kind, cert.level, cert.title_grade
                match.occupation_name, match.number, match.issued_on = (
                    cert.occupation_name,
                    cert.number,
                    cert.issued_on,
                )
                match.number_normalised = checks.normalise_certificate_number(cert.number)
                changed_certificates.append(match)
        Application.objects.bulk_update(apps, sorted(names), batch_size=WRITE_BATCH)
        _bulk_insert(ApplicationCertificate, new_certificates)
        ApplicationCertificate.objects.bulk_update(
            changed_certificates,
            ["kind", "level", "title_grade", "occupation_name", "number", "number_normalised", "issued_on"],
            batch_size=WRITE_BATCH,
        )
        # Flags are replaced; a reviewer's confirmation of the same finding is kept (as store_outcome does).
        ids = [app.pk for app in apps]
        confirmed: dict[int, dict[tuple[str, str, str], ApplicationFlag]] = defaultdict(dict)
        for batch in _chunks(ids, IN_BATCH):
            for flag in ApplicationFlag.objects.filter(application_id__in=batch, confirmed_by__isnull=False):
                confirmed[flag.application_id][(flag.code, flag.field, flag.message)] = flag
            ApplicationFlag.objects.filter(application_id__in=batch).delete()
        flags: list[dict[str, object]] = []
        for row in updated:
            assert row.app is not None
            flags.extend(_flag_values(row.app.pk, row.result, confirmed.get(row.app.pk, {})))
        _bulk_insert(ApplicationFlag, flags)


# --- writing many rows fast ----------------------------------------------------------------------


def _adapter(f: Field[object, object], connection: BaseDatabaseWrapper) -> Callable[[object], object] | None:
    """How one field's Python value becomes a query parameter; None when it goes as it is."""
    internal = f.get_internal_type()
    ops = connection.ops
    if internal == "DateField":
        return lambda value: ops.adapt_datefield_value(value)  # type: ignore[arg-type]
    if internal == "DateTimeField":
        return lambda value: ops.adapt_datetimefield_value(value)  # type: ignore[arg-type]
    if internal in ("JSONField", "BinaryField", "DecimalField"):
        return lambda value: f.get_db_prep_save(value, connection)
    return None


def _bulk_insert(
    model: type[Model],
    rows: Sequence[Mapping[str, object]],
    *,
    key: str | None = None,
    scope: Mapping[str, object] | None = None,
) -> list[int]:
    """INSERT many rows given as ``{attname: value}``; with ``key``, return their ids in order.

    What ``bulk_create`` does, without building a model instance and preparing each field of
    each row in Python: at 50,000 rows that costs more than the database. Fields missing from
    a row take their default (``auto_now`` ones the current time). Values must already be clean.
    SQLite gets multi-row ``INSERT … RETURNING`` statements. PostgreSQL gets ``COPY`` (a
    client-bound INSERT with thousands of placeholders is re-parsed on every call, and one
    statement per row costs a round of the server's work each); the ids are then read back by
    ``key``, a field whose values are unique among the rows within ``scope`` (equality filters).
    """
    if not rows:
        return []
    scope = scope or {}
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    unknown = set(rows[0]) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"unknown fields for {model.__name__}: {sorted(unknown)}")
    now = timezone.now()
    plan: list[tuple[str, object, Callable[[object], object] | None]] = []
    for f in fields:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if auto else f.get_default()
        plan.append((f.attname, default, _adapter(f, connection)))
    cache: list[tuple[object, object]] = [(_NOTHING, None)] * len(plan)

    def values(row: Mapping[str, object]) -> list[Any]:
        out: list[Any] = []
        for i, (name, default, adapt) in enumerate(plan):
            value = row.get(name, default)
            if adapt is None or value is None:
                out.append(value)
                continue
            seen, adapted = cache[i]
            if value is not seen:  # the same object again (a timestamp, a default): adapted once
                adapted = adapt(value)
                cache[i] = (value, adapted)
            out.append(adapted)
        return out

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    # wrap_database_errors: the raw psycopg cursor below raises psycopg's errors; callers catch Django's.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT statements; the ids are looked up afterwards.
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            if key is None:
                return []
            column_of = {f.attname: f.column for f in fields}
            key_column, pk_column = quote(column_of[key]), quote(model._meta.pk.column)
            found: dict[object, int] = {}
            wanted = [row[key] for row in rows]
            if scope:
                # All of the scope's rows in one scan: with fresh rows and no statistics yet, the
                # planner handles `key = ANY(…)` next to a scope filter badly (seconds, not ms).
                where = " AND ".join(f"{quote(column_of[k])} = %s" for k in scope)
                raw.execute(
                    f"SELECT {key_column}, {pk_column} FROM {table} WHERE {where}",  # noqa: S608
                    list(scope.values()),
                )
                found.update(raw.fetchall())
            else:
                for batch in _chunks(wanted, 10_000):
                    raw.execute(
                        f"SELECT {key_column}, {pk_column} FROM {table} WHERE {key_column} = ANY(%s)",  # noqa: S608
                        [list(batch)],
                    )
                    found.update(raw.fetchall())
            return [found[k] for k in wanted]
        suffix = f" RETURNING {quote(model._meta.pk.column)}" if key is not None else ""
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Rows per statement: under SQLite's 32,766 variables.
        per_statement = max(1, min(500, 30_000 // len(fields)))
        ids: list[int] = []
        for batch in _chunks(rows, per_statement):
            params: list[Any] = []
            for row in batch:
                params.extend(values(row))
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}{suffix}"  # noqa: S608
            cursor.execute(sql, params)
            if key is not None:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


_NOTHING = object()


# --- small helpers -------------------------------------------------------------------------------


def _date_or_none(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _cert_row_of(cert: ApplicationCertificate) -> CertRow:
    return CertRow(
        kind=cert.kind,
        level=cert.level,
        title_grade=cert.title_grade,
        occupation_name=cert.occupation_name,
        occupation_id=cert.occupation_id,
        number=cert.number,
        issued_on=cert.issued_on,
        relation_confirmed=cert.relation_confirmed,
    )


def _matching_certificate(
    cert: CertificateData, existing: Sequence[ApplicationCertificate]
) -> ApplicationCertificate | None:
    """The stored certificate this row describes: the same number, or (no number) the same kind, level and date."""
    number = checks.normalise_certificate_number(cert.number)
    for c in existing:
        if number:
            if c.number_normalised == number:
                return c
        elif (
            not c.number_normalised
            and c.kind == cert.kind
            and c.level == cert.level
            and c.title_grade == cert.title_grade
            and c.issued_on == cert.issued_on
        ):
            return c
    return None


def _same_certificate(cert: CertificateData, stored: ApplicationCertificate) -> bool:
    return (
        stored.kind == cert.kind
        and stored.level == cert.level
        and stored.title_grade == cert.title_grade
        and stored.occupation_name == cert.occupation_name
        and stored.number == cert.number
        and stored.issued_on == cert.issued_on
    )


def _certificate_values(application_id: int, cert: CertificateData) -> dict[str, object]:
    return {
        "application_id": application_id,
        "kind": cert.kind,
        "level": cert.level,
        "title_grade": cert.title_grade,
        "occupation_name": cert.occupation_name,
        "number": cert.number,
        "number_normalised": checks.normalise_certificate_number(cert.number),
        "issued_on": cert.issued_on,
    }


def _outcome_fields(outcome: Outcome | None, *, on: date) -> dict[str, object]:
    """The stored verdict and flag counts, as services.evaluation.store_outcome writes them."""
    verdict = outcome.verdict if outcome is not None else None
    matched = verdict.matched if verdict is not None else None
    return {
        "eligibility": verdict.result if verdict is not None else "",
        "eligibility_reasons": list(verdict.reasons) if verdict is not None else [],
        "eligibility_condition": (matched.label or matched.describe())[:500] if matched is not None else "",
        "eligibility_on": on,
        "blocking_flags": outcome.blocking if outcome is not None else 0,
        "warning_flags": outcome.warnings if outcome is not None else 0,
        "post_mismatch": outcome.post_mismatch if outcome is not None else False,
    }


def _flag_values(
    application_id: int, outcome: Outcome | None, confirmed: Mapping[tuple[str, str, str], ApplicationFlag]
) -> list[dict[str, object]]:
    if outcome is None:
        return []
    rows: list[dict[str, object]] = []
    for flag in outcome.flags:
        message = flag.message[:500]
        kept = confirmed.get((flag.code, flag.field, message))
        rows.append(
            {
                "application_id": application_id,
                "code": flag.code,
                "severity": flag.severity,
                "field": flag.field,
                "rule": flag.rule,
                "message": message,
                "confirmed_by_id": kept.confirmed_by_id if kept else None,
                "confirmed_at": kept.confirmed_at if kept else None,
                "confirm_note": kept.confirm_note if kept else "",
            }
        )
    return rows


# --- the report ----------------------------------------------------------------------------------

_STATUS_LABELS = {
    "created": "新建",
    "updated": "更新",
    "unchanged": "未变化",
    "skipped": "未导入",
    "error": "有误",
}


def import_report_xlsx(result: ImportResult, *, round_name: str) -> bytes:
    """The downloadable report: a summary, every error (row, column, value, reason), rows left as they were."""
    counts = result.counts
    if result.written:
        verdict = _("已导入。")
    elif result.file_errors:
        verdict = _("文件有误，未导入任何数据。")
    else:
        verdict = _("有 %(n)s 行有误，按“有误则全部不导入”方式，未导入任何数据。") % {
            "n": counts["error_rows"]
        }
    mode = _("有误则全部不导入") if result.mode == "all_or_nothing" else _("只导入正确的行")
    summary = documents.Sheet(
        title=_("导入结果"),
        headers=(_("项目"), _("数值")),
        rows=[
            (_("认定批次"), round_name),
            (_("导入方式"), mode),
            (_("结果"), verdict),
            (_("数据行数"), counts["rows"]),
            (_("新建申报"), counts["created"] if result.written else 0),
            (_("更新申报"), counts["updated"] if result.written else 0),
            (_("内容相同、未变化"), counts["unchanged"] - counts["reviewed"]),
            (_("已审核或已撤回、未更改"), counts["reviewed"]),
            (_("有误的行"), counts["error_rows"]),
            (_("错误条数"), counts["errors"]),
            (_("新登记人员"), counts["persons_created"]),
            (_("新建员工记录"), counts["employees_created"]),
        ],
        widths=(24, 60),
        notes=(_("身份证号、联系电话已脱敏。"),),
    )
    order = {c.header: i for i, c in enumerate(importer.COLUMNS)}
    issues = sorted(result.errors, key=lambda i: (i.row, order.get(i.column, 99)))
    errors = documents.Sheet(
        title=_("错误明细"),
        headers=(_("行号"), _("列"), _("填写的值"), _("原因")),
        rows=[(i.row or "", i.column, i.value, i.reason) for i in issues],
        widths=(8, 22, 30, 80),
    )
    sheets = [summary, errors]
    if result.notices:
        sheets.append(
            documents.Sheet(
                title=_("提示"),
                headers=(_("行号"), _("列"), _("说明")),
                rows=[(i.row or "", i.column, i.reason) for i in result.notices],
                widths=(8, 22, 60),
            )
        )
    kept = [r for r in result.rows if r.status == "unchanged" and r.message]
    if kept:
        sheets.append(
            documents.Sheet(
                title=_("已审核未更改"),
                headers=(_("行号"), _("姓名"), _("身份证号"), _("说明")),
                rows=[(r.row, r.name, r.id_masked, r.message) for r in kept],
                widths=(8, 12, 22, 30),
            )
        )
    return documents.write_xlsx(sheets)


def import_summary(result: ImportResult) -> str:
    """One sentence for the job page."""
    c = result.counts
    if result.file_errors:
        return _("文件有误（%(n)s 处），未导入任何数据，请下载报告查看。") % {"n": len(result.file_errors)}
    if not result.written:
        return _("共 %(rows)s 行，其中 %(bad)s 行有误，未导入任何数据，请下载错误报告修改后重新导入。") % {
            "rows": c["rows"],
            "bad": c["error_rows"],
        }
    text = _("共 %(rows)s 行：新建 %(created)s，更新 %(updated)s，未变化 %(unchanged)s") % c
    if c["reviewed"]:
        text += _("（其中已审核未更改 %(n)s）") % {"n": c["reviewed"]}
    if c["error_rows"]:
        text += _("；%(n)s 行有误未导入，请下载错误报告") % {"n": c["error_rows"]}
    return text + "。"
