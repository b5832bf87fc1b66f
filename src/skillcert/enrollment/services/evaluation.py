"""Run the automatic checks and the eligibility evaluation on a stored application and keep the result."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from skillcert.catalog import eligibility
from skillcert.catalog.models import EligibilityRuleSet
from skillcert.enrollment import checks
from skillcert.enrollment.evaluation import AppRow, CertRow, Outcome, assess
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationFlag,
    ApplicationStatus,
    PostOccupation,
)


def rules_of(rule_set: EligibilityRuleSet | None) -> eligibility.RuleSet | None:
    if rule_set is None:
        return None
    try:
        return eligibility.from_json(rule_set.rules)
    except eligibility.RuleSetError:
        return None


def mapped_posts(*, enterprise_id: int) -> dict[str, frozenset[int]]:
    table: dict[str, set[int]] = defaultdict(set)
    for post, occupation_id in PostOccupation.objects.filter(enterprise_id=enterprise_id).values_list(
        "post", "occupation_id"
    ):
        table[post.strip()].add(occupation_id)
    return {k: frozenset(v) for k, v in table.items()}


def app_row(application: Application, certificates: list[ApplicationCertificate]) -> AppRow:
    return AppRow(
        name=application.name,
        sex=application.sex,
        birth_date=application.birth_date,
        id_number=application.person.reveal_id_number(),
        phone=application.reveal_phone(),
        education=application.education,
        graduated_on=application.graduated_on,
        is_current_student=application.is_current_student,
        major=application.major,
        work_started_on=application.work_started_on,
        occupation_years=float(application.occupation_years)
        if application.occupation_years is not None
        else None,
        exceptional_grounds=tuple(str(g) for g in application.exceptional_grounds or ()),
        certificates=tuple(
            CertRow(
                kind=c.kind,
                level=c.level,
                title_grade=c.title_grade,
                occupation_name=c.occupation_name,
                occupation_id=c.occupation_id,
                number=c.number,
                issued_on=c.issued_on,
                relation_confirmed=c.relation_confirmed,
            )
            for c in certificates
        ),
        current_post=application.current_post,
    )


def _known_certificates(application: Application, numbers: list[str], own_id: str) -> dict[str, str]:
    """Certificate numbers of this form that are recorded for someone: number → that person's ID number."""
    known: dict[str, str] = {}
    if not numbers:
        return known
    others = (
        ApplicationCertificate.objects.filter(number_normalised__in=numbers)
        .exclude(application_id=application.pk)
        .select_related("application__person")
    )
    for cert in others:
        person = cert.application.person
        known[cert.number_normalised] = (
            own_id if person.pk == application.person_id else person.reveal_id_number()
        )
    return known


def store_outcome(application: Application, outcome: Outcome, *, on: date) -> None:
    """Write flags (keeping a reviewer's confirmations of the same finding) and the verdict."""
    confirmed = {
        (f.code, f.field, f.message): f
        for f in ApplicationFlag.objects.filter(application=application, confirmed_by__isnull=False)
    }
    ApplicationFlag.objects.filter(application=application).delete()
    rows = []
    for flag in outcome.flags:
        kept = confirmed.get((flag.code, flag.field, flag.message))
        rows.append(
            ApplicationFlag(
                application=application,
                code=flag.code,
                severity=flag.severity,
                field=flag.field,
                rule=flag.rule,
                message=flag.message[:500],
                confirmed_by=kept.confirmed_by if kept else None,
                confirmed_at=kept.confirmed_at if kept else None,
                confirm_note=kept.confirm_note if kept else "",
            )
        )
    ApplicationFlag.objects.bulk_create(rows)
    verdict = outcome.verdict
    application.eligibility = verdict.result if verdict is not None else ""
    application.eligibility_reasons = list(verdict.reasons) if verdict is not None else []
    matched = verdict.matched if verdict is not None and verdict.matched is not None else None
    application.eligibility_condition = (
        (matched.label or matched.describe())[:500] if matched is not None else ""
    )
    application.eligibility_on = on
    application.blocking_flags = outcome.blocking
    application.warning_flags = outcome.warnings
    application.post_mismatch = outcome.post_mismatch
    application.save(
        update_fields=[
            "eligibility",
            "eligibility_reasons",
            "eligibility_condition",
            "eligibility_on",
            "blocking_flags",
            "warning_flags",
            "post_mismatch",
            "updated_at",
        ]
    )


def application_evaluate(*, application: Application, today: date | None = None) -> Application:
    """Check the form (R3.3) and evaluate eligibility at the round's reference date (R3.3, R3.4)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "offering__occupation", "offering__standard__rule_set", "person")
            .get(pk=application.pk)
        )
        certificates = list(app.certificates.all())
        row = app_row(app, certificates)
        own_id = checks.normalise_id(row.id_number) or ""
        numbers = [c.number_normalised for c in certificates if c.number_normalised]
        # A withdrawn application no longer holds the person's place in the round (R3.2).
        in_round = (
            Application.objects.filter(round_id=app.round_id, person_id=app.person_id)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .count()
        )
        outcome = assess(
            row,
            rules=rules_of(app.offering.standard.rule_set),
            level=app.offering.level,
            on=app.round.reference_on,
            today=today,
            occupation_id=app.offering.occupation_id,
            occupation_name=app.offering.occupation.name,
            known_certificates=_known_certificates(app, numbers, own_id),
            id_numbers_in_round={own_id: in_round} if own_id else {},
            self_key=own_id or None,
            mapped_posts=mapped_posts(enterprise_id=app.round.enterprise_id),
        )
        store_outcome(app, outcome, on=app.round.reference_on)
    return app
