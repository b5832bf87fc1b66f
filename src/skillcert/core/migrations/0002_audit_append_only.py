"""The database refuses UPDATE on audit events, and DELETE of events younger than the retention (S11)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION skillcert_audit_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'core_auditevent is append-only: UPDATE refused (S11)';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'core_auditevent: events younger than 180 days cannot be deleted (S11)';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_guard BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION skillcert_audit_guard();
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION skillcert_audit_guard();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS skillcert_audit_guard();
"""
SQLITE_UP = [
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only: UPDATE refused (S11)'); END;""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       WHEN julianday(OLD.at) > julianday('now') - 180
       BEGIN SELECT RAISE(ABORT, 'core_auditevent: events younger than 180 days cannot be deleted (S11)'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
