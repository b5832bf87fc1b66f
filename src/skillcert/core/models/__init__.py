"""Core models: organisations, people, accounts and roles, audit ledger, calendar, jobs, API tokens."""

from .accounts import ApiToken, Role, RoleAssignment, User
from .audit import AuditEvent, AuditHead
from .calendar import CalendarDay, CalendarYear
from .jobs import JobProgress, JobStatus
from .orgs import Department, Employee, EmploymentType, Organisation, OrgKind, Person, Sex

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "Employee",
    "EmploymentType",
    "JobProgress",
    "JobStatus",
    "OrgKind",
    "Organisation",
    "Person",
    "Role",
    "RoleAssignment",
    "Sex",
    "User",
]
