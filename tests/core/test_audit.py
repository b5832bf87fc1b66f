"""The audit ledger: hash chain, append-only at the database, tamper detection (S9–S12)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import TestCase

from skillcert.core import audit, context
from skillcert.core.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory


def _disable_guard() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_guard")
        else:
            cur.execute("DROP TRIGGER core_auditevent_no_update")
            cur.execute("DROP TRIGGER core_auditevent_no_delete")


class TestAuditChain(TestCase):
    def setUp(self) -> None:
        self.org = OrganisationFactory(kind="platform", name="平台")
        self.user = UserFactory(organisation=self.org)
        start = AuditEvent.objects.count()
        token = context.bind(context.RequestContext(ip="10.1.2.3", request_id="req-12345678"))
        try:
            for i in range(5):
                audit.record(
                    actor=self.user,
                    action="test.action",
                    object_type="thing",
                    object_id=i,
                    summary={"n": i, "id_number": "370102199001011234"},
                )
        finally:
            context.reset(token)
        self.events = list(AuditEvent.objects.order_by("seq")[start:])

    def test_events_link_to_their_predecessor(self) -> None:
        for prev, event in zip(self.events, self.events[1:], strict=False):
            assert event.prev_hash == prev.hash
            assert event.seq == prev.seq + 1
        assert audit.verify_chain().ok

    def test_event_records_who_where_and_request(self) -> None:
        event = self.events[0]
        assert event.actor_id == self.user.pk
        assert event.actor_name == self.user.username
        assert event.organisation_id == self.org.pk
        assert event.ip == "10.1.2.3"
        assert event.request_id == "req-12345678"

    def test_full_id_number_never_enters_the_ledger(self) -> None:
        assert "370102199001011234" not in str(self.events[0].summary)

    def test_database_refuses_update(self) -> None:
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=self.events[0].pk).update(action="forged")

    def test_database_refuses_delete_of_young_events(self) -> None:
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=self.events[1].pk).delete()

    def test_edit_behind_the_apps_back_is_named(self) -> None:
        _disable_guard()
        target = self.events[2]
        with connection.cursor() as cur:
            cur.execute("UPDATE core_auditevent SET action = %s WHERE id = %s", ["forged", target.pk])
        report = audit.verify_chain()
        assert not report.ok
        assert report.broken_seq == target.seq
        assert "改动" in report.reason
        with pytest.raises(CommandError, match=f"第 {target.seq} 号事件"):
            call_command("audit-verify")

    def test_deleted_event_is_named(self) -> None:
        _disable_guard()
        target = self.events[3]
        with connection.cursor() as cur:
            cur.execute("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
        report = audit.verify_chain()
        assert report.broken_seq == target.seq

    def test_audit_verify_command_reports_intact_chain(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command("audit-verify", stdout=out)
        assert "完整" in out.getvalue()

    def test_audit_failure_fails_the_operation(self) -> None:
        """S12: the write it records is rolled back when the audit write fails."""
        from unittest import mock

        from skillcert.core.models import Organisation
        from skillcert.core.services import orgs

        province = OrganisationFactory(kind="province", name="某省")
        with (
            mock.patch.object(AuditEvent.objects, "create", side_effect=DatabaseError("disk full")),
            pytest.raises(DatabaseError),
        ):
            orgs.organisation_create(
                actor=self.user, kind="enterprise", name="不应存在的企业", authority=province
            )
        assert not Organisation.objects.filter(name="不应存在的企业").exists()
