"""Writes for per-organisation API tokens: create, revoke, and authenticate a bearer token (S6, S10).

Design of the token principal
-----------------------------
Selectors decide what exists from a ``User``, so a token must become one. Each token owns a
dedicated **service account**, created with the token and never used for anything else:

- username ``api:<prefix>`` (a colon never passes Django's username validator, so no person
  can register such a name), no usable password (it cannot log in through the browser),
  ``organisation`` = the token's organisation;
- exactly one role, the narrowest that lets the existing selectors scope it: ``exam_staff``
  for an enterprise (sees its own enterprise), ``authority_reviewer`` for an authority (sees
  its jurisdiction). Never ``enterprise_admin``: a leaked token must not manage accounts,
  roles or tokens, and must not reveal full ID numbers.

Write endpoints that an integration may call (today only ``POST /employees``) admit a token
explicitly, by checking the ``ApiToken`` the authentication attached to the request, and never
because of the service account's role. Revoking a token deactivates its service account, so a
revoked token's principal is also refused by every selector (``access.as_user``).

Only a SHA-256 hash of the token is stored; the plaintext ``skc_<prefix>_<secret>`` is shown
once. The audit ledger records the name, prefix and principal, never the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import access, audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import ApiToken, Organisation, RoleAssignment, User
from skillcert.core.models.accounts import Role

TOKEN_SCHEME = "skc"  # noqa: S105 (the scheme tag, not a secret)
PRINCIPAL_PREFIX = "api:"
# last_used_at is written at most once per this interval, so a busy integration costs no write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)

_PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: prefixes are read aloud and typed
_PREFIX_LENGTH = 8
_TOKEN_RE = re.compile(
    rf"{TOKEN_SCHEME}_([{_PREFIX_ALPHABET}]{{{_PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{32,128}})"
)
# Compared against when the prefix is unknown, so both paths do the same constant-time work.
_NO_MATCH = "0" * 64


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def principal_username(prefix: str) -> str:
    """The service account a token authenticates as."""
    return f"{PRINCIPAL_PREFIX}{prefix}"


def principal_role(organisation: Organisation) -> Role:
    return Role.AUTHORITY_REVIEWER if organisation.is_authority else Role.EXAM_STAFF


def may_manage_tokens(*, user: access.AnyUser, organisation: Organisation | None = None) -> bool:
    """Enterprise admins and authority admins manage their own organisation's tokens."""
    u = access.as_user(user)
    if u is None or u.organisation is None:
        return False
    if organisation is not None and organisation.pk != u.organisation_id:
        return False
    return access.is_enterprise_admin(u) or (
        access.is_authority_staff(u) and u.has_role(Role.AUTHORITY_ADMIN)
    )


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _i in range(_PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


def api_token_create(*, actor: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Create a token and its service account; return the token and its plaintext (shown once)."""
    name = name.strip()
    if not name:
        raise RuleViolation("", _("请填写令牌用途。"), field="name")
    if len(name) > 80:
        raise RuleViolation("", _("令牌用途不能超过80个字。"), field="name")
    if not may_manage_tokens(user=actor, organisation=organisation):
        raise RuleViolation("S6", _("只有本组织的管理员可以创建接口令牌。"))
    if not (organisation.is_enterprise or organisation.is_authority) or not organisation.is_active:
        raise RuleViolation("S6", _("只有启用中的企业或人社部门可以创建接口令牌。"))
    role = principal_role(organisation)
    with transaction.atomic():
        prefix = _new_prefix()
        raw = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        principal = User(
            username=principal_username(prefix),
            display_name=(_("接口令牌：%(name)s") % {"name": name})[:50],
            organisation=organisation,
        )
        principal.set_unusable_password()
        principal.save()
        RoleAssignment.objects.create(user=principal, role=role, organisation=organisation, granted_by=actor)
        token = ApiToken.objects.create(
            organisation=organisation, name=name, prefix=prefix, token_hash=token_hash(raw), created_by=actor
        )
        audit.record(
            actor=actor,
            action="api_token.create",
            obj=token,
            organisation_id=organisation.pk,
            summary={"name": name, "prefix": prefix, "principal": principal.username, "role": role},
        )
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token for good and deactivate its service account."""
    if not may_manage_tokens(user=actor, organisation=token.organisation):
        raise RuleViolation("S6", _("只有本组织的管理员可以吊销接口令牌。"))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
        if token.revoked_at is not None:
            raise RuleViolation(
                "", _("该令牌已于 %(at)s 吊销。") % {"at": timezone.localtime(token.revoked_at)}
            )
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        User.objects.filter(username=principal_username(token.prefix)).update(is_active=False)
        audit.record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            organisation_id=token.organisation_id,
            summary={"name": token.name, "prefix": token.prefix},
        )
    return token


def api_token_authenticate(*, raw: str) -> tuple[ApiToken, User] | None:
    """The token and its service account for a bearer value, or None for any unknown or revoked token.

    Records use in ``last_used_at`` with a single conditional UPDATE, at most once a minute.
    """
    match = _TOKEN_RE.fullmatch(raw.strip())
    if match is None:
        return None
    token = ApiToken.objects.select_related("organisation").filter(prefix=match[1]).first()
    stored = token.token_hash if token is not None else _NO_MATCH
    if not hmac.compare_digest(stored, token_hash(match[0])) or token is None:
        return None
    if token.revoked_at is not None or not token.organisation.is_active:
        return None
    principal = (
        User.objects.select_related("organisation")
        .filter(
            username=principal_username(token.prefix), is_active=True, organisation_id=token.organisation_id
        )
        .first()
    )
    if principal is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token, principal
