"""Accounts, roles and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AUTHORITY_REVIEWER = "authority_reviewer", _("人社部门审核员")
    AUTHORITY_ADMIN = "authority_admin", _("人社部门管理员")
    ENTERPRISE_ADMIN = "enterprise_admin", _("企业管理员")
    EXAM_STAFF = "exam_staff", _("考务人员")
    ASSESSOR = "assessor", _("考评员")
    SUPERVISOR = "supervisor", _("内部质量督导员")
    ITEM_WRITER = "item_writer", _("命题人员")
    MARKER = "marker", _("阅卷统分人员")
    COMMITTEE = "committee", _("考核委员会委员")
    CANDIDATE = "candidate", _("考生")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


AUTHORITY_ROLES = frozenset({Role.AUTHORITY_REVIEWER, Role.AUTHORITY_ADMIN})
ENTERPRISE_STAFF_ROLES = frozenset(
    {
        Role.ENTERPRISE_ADMIN,
        Role.EXAM_STAFF,
        Role.ASSESSOR,
        Role.SUPERVISOR,
        Role.ITEM_WRITER,
        Role.MARKER,
        Role.COMMITTEE,
    }
)
# 等保 three separated administrators (S7): no account holds two of them.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that must use a second factor (S4); the paper/score/certificate roles join as those apps arrive.
OTP_ROLES = AUTHORITY_ROLES | ADMIN_ROLES


class User(AbstractUser):
    """A login account. `organisation` is the tenant the account works for."""

    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("core:account_detail", args=[self.pk])

    def role_set(self) -> frozenset[str]:
        """The roles of this account, cached for the request."""
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = (
                frozenset(self.role_assignments.values_list("role", flat=True)) if self.pk else frozenset()
            )
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set().intersection(roles))

    @property
    def is_staff_account(self) -> bool:
        """Staff (not only a candidate): stricter session and password rules apply (S1, S3)."""
        return bool(self.role_set() - {Role.CANDIDATE})

    @property
    def needs_otp(self) -> bool:
        return bool(self.role_set() & OTP_ROLES)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("组织"), null=True, blank=True, on_delete=models.CASCADE
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授予人")
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_unique_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A per-organisation token for system integration. Only a hash is stored."""

    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
