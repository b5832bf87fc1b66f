"""Core models: organisations, people, accounts, audit ledger, calendar, jobs, tokens, deadlines, notices."""

from .accounts import ApiToken, Role, RoleAssignment, User
from .audit import AuditEvent, AuditHead
from .calendar import CalendarDay, CalendarYear
from .jobs import JobProgress, JobStatus
from .notify import Deadline, DeadlineState, Notification, NotificationKind
from .orgs import Department, Employee, EmploymentType, Organisation, OrgKind, Person, Sex

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "CalendarDay",
    "CalendarYear",
    "Deadline",
    "DeadlineState",
    "Department",
    "Employee",
    "EmploymentType",
    "JobProgress",
    "JobStatus",
    "Notification",
    "NotificationKind",
    "OrgKind",
    "Organisation",
    "Person",
    "Role",
    "RoleAssignment",
    "Sex",
    "User",
]
