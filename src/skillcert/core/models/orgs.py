"""Organisations (authorities and enterprises), departments, people and employee records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcert.core import crypto, idcard

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("省级人力资源社会保障部门")
    CITY = "city", _("市级人力资源社会保障部门")
    ENTERPRISE = "enterprise", _("企业")
    PLATFORM = "platform", _("平台运营方")


class Organisation(models.Model):
    """An authority (provincial, or municipal under a province), an enterprise, or the platform."""

    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("市级人社部门所属的省级部门"),
    )
    authority = models.ForeignKey(
        "self",
        verbose_name=_("备案人社部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("企业在其备案的省级或市级人社部门"),
    )
    is_central_subsidiary = models.BooleanField(
        _("中央企业在鲁子公司或分支机构"),
        default=False,
        help_text=_("调整认定范围前须由集团总部向人社部备案（R1.4）"),
    )
    parent_company = models.CharField(_("集团总部名称"), max_length=120, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        departments: RelatedManager[Department]

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="org_unique_name"),
            models.CheckConstraint(
                condition=~models.Q(kind="enterprise") | models.Q(authority__isnull=False),
                name="org_enterprise_has_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:org_detail", args=[self.pk])

    @property
    def is_authority(self) -> bool:
        return self.kind in (OrgKind.PROVINCE, OrgKind.CITY)

    @property
    def is_enterprise(self) -> bool:
        return self.kind == OrgKind.ENTERPRISE


class Department(models.Model):
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("部门名称"), max_length=80)
    code = models.CharField(_("部门编码"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="dept_unique_name")]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Person(models.Model):
    """A natural person. ID number, phone and photo are encrypted; the blind index finds them (S13)."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_enc = models.BinaryField(_("身份证号（密文）"), editable=False)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    phone_enc = models.BinaryField(null=True, blank=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True, editable=False)
    photo_enc = models.BinaryField(null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        employments: RelatedManager[Employee]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    # Personal-data fields: purpose and retention are documented in docs/dev/personal-data.md (S17).
    def set_id_number(self, number: str) -> None:
        info = idcard.parse(number)
        self.id_number_enc = crypto.encrypt_text(info.number, context="person.id_number")
        self.id_number_index = crypto.blind_index(info.number, purpose="id_number")
        self.id_number_masked = idcard.mask(info.number)

    def reveal_id_number(self) -> str:
        """Decrypt the ID number. Call only through services.person_reveal_id_number (audited)."""
        return crypto.decrypt_text(bytes(self.id_number_enc), context="person.id_number")

    def set_phone(self, phone: str) -> None:
        phone = phone.strip()
        if not phone:
            self.phone_enc, self.phone_masked = None, ""
            return
        self.phone_enc = crypto.encrypt_text(phone, context="person.phone")
        self.phone_masked = crypto.mask_phone(phone)

    def reveal_phone(self) -> str:
        return crypto.decrypt_text(bytes(self.phone_enc), context="person.phone") if self.phone_enc else ""

    def set_photo(self, data: bytes, content_type: str) -> None:
        self.photo_enc = crypto.encrypt(data, context=b"person.photo")
        self.photo_type = content_type

    def photo_bytes(self) -> bytes | None:
        return crypto.decrypt(bytes(self.photo_enc), context=b"person.photo") if self.photo_enc else None


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("正式在岗")
    DISPATCHED = "dispatched", _("劳务派遣")
    OUTSOURCED = "outsourced", _("外包")


class Employee(models.Model):
    """A person's employment in an enterprise: department, post, employee number."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="employments"
    )
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="employees"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    employee_no = models.CharField(_("工号"), max_length=40)
    post = models.CharField(_("岗位"), max_length=80, blank=True)
    employment_type = models.CharField(
        _("用工形式"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.REGULAR
    )
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["enterprise", "employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "employee_no"], name="employee_unique_no"),
            models.UniqueConstraint(fields=["enterprise", "person"], name="employee_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.employee_no}）"
