"""Applications (申报表, attachment 1), their automatic check flags, uploads, and the eligibility review (R3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import Level, Occupation
from skillcert.core import crypto, workflow

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("不予通过")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.APPROVED, S.REJECTED, S.RETURNED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # An approved candidate may still withdraw (or be withdrawn) before the exam (R5 amendments).
    S.APPROVED: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class ApplicationSource(models.TextChoices):
    ONLINE = "online", _("网上申报")
    IMPORT = "import", _("批量导入")
    API = "api", _("系统对接")


class Education(models.TextChoices):
    """Kinds of schooling, the same keys as catalog.eligibility.EDUCATION_KINDS."""

    SKILLED_INTERMEDIATE = "skilled_intermediate", _("技工院校中级工班")
    SKILLED_ADVANCED = "skilled_advanced", _("技工院校高级工班")
    SKILLED_TECHNICIAN = "skilled_technician", _("技工院校预备技师（技师）班")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中等职业学校")
    HIGHER_VOCATIONAL = "higher_vocational", _("高等职业学校")
    JUNIOR_COLLEGE = "junior_college", _("大学专科")
    BACHELOR = "bachelor", _("大学本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")
    HIGH_SCHOOL = "high_school", _("普通高中")
    JUNIOR_SCHOOL = "junior_school", _("初中及以下")
    OTHER = "other", _("其他学历")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATION = "cpc_probation", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    DEMOCRATIC = "democratic", _("民主党派")
    NONE = "masses", _("群众")


class Eligibility(models.TextChoices):
    PENDING = "", _("未核算")
    ELIGIBLE = "eligible", _("符合")
    INELIGIBLE = "ineligible", _("不符合")
    CONFIRM = "confirm", _("待人工确认")


class Application(models.Model):
    """One worker's application to one round: one occupation (job type) per round (R3.2)."""

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("认定批次"), on_delete=models.PROTECT, related_name="applications"
    )
    offering = models.ForeignKey(
        "rounds.RoundOffering",
        verbose_name=_("申报职业（工种）等级"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="applications"
    )
    employee = models.ForeignKey(
        "core.Employee",
        verbose_name=_("任职记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=S.DRAFT, db_index=True
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=ApplicationSource.choices, default=ApplicationSource.ONLINE
    )

    # Attachment 1: the applicant (a snapshot as declared; the ID number lives encrypted on the Person).
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    birth_date = models.DateField(_("出生日期"))
    photo_enc = models.BinaryField(null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    education = models.CharField(_("文化程度"), max_length=30, choices=Education.choices)
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=80, blank=True)
    graduated_on = models.DateField(_("毕业时间"), null=True, blank=True)
    is_current_student = models.BooleanField(_("在校学生"), default=False)
    phone_enc = models.BinaryField(null=True, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.NONE
    )
    work_started_on = models.DateField(_("参加工作时间"), null=True, blank=True)
    current_post = models.CharField(_("现从事岗位"), max_length=80)
    post_years = models.DecimalField(
        _("本岗位工作年限"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    occupation_years = models.DecimalField(
        _("本职业或相关职业累计工作年限"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    job_direction = models.CharField(_("工种方向"), max_length=80, blank=True)
    employment_type = models.CharField(
        _("人员来源"), max_length=20, blank=True, help_text=_("正式在岗、劳务派遣或外包")
    )

    # The application proper.
    is_exceptional = models.BooleanField(_("破格申报"), default=False)
    condition_relied_on = models.CharField(_("所依据的申报条件"), max_length=300, blank=True)
    exceptional_grounds = models.JSONField(_("破格依据"), default=list, blank=True)
    work_history = models.TextField(_("工作经历"), max_length=4000, blank=True)
    awards = models.TextField(_("奖惩情况"), max_length=2000, blank=True)
    achievements = models.TextField(_("工作业绩与成果"), max_length=4000, blank=True)
    pledge_accepted_at = models.DateTimeField(_("个人承诺签署时间"), null=True, blank=True)
    pledge_ip = models.CharField(_("签署IP"), max_length=45, blank=True)
    unit_opinion = models.TextField(_("单位意见"), max_length=1000, blank=True)
    unit_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_opinion_at = models.DateTimeField(null=True, blank=True)

    # Automatic checks and eligibility, kept on the row so the reviewer's list filters without joins.
    eligibility = models.CharField(
        _("资格核算结果"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.PENDING,
        blank=True,
        db_index=True,
    )
    eligibility_reasons = models.JSONField(_("核算说明"), default=list, blank=True)
    eligibility_condition = models.CharField(_("符合的条件"), max_length=500, blank=True)
    eligibility_on = models.DateField(_("核算基准日"), null=True, blank=True)
    blocking_flags = models.PositiveSmallIntegerField(_("阻断性问题数"), default=0)
    warning_flags = models.PositiveSmallIntegerField(_("提示性问题数"), default=0)
    post_mismatch = models.BooleanField(_("岗位与申报职业不一致"), default=False)
    post_override_reason = models.CharField(_("岗位不一致的确认理由"), max_length=300, blank=True)
    post_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Review.
    review_reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    if TYPE_CHECKING:
        certificates: RelatedManager[ApplicationCertificate]
        flags: RelatedManager[ApplicationFlag]
        documents: RelatedManager[ApplicationDocument]

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-submitted_at", "-pk"]
        # R3.2: one live application per person per round; after withdrawing, a worker may apply again.
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_per_round",
            )
        ]
        indexes = [
            models.Index(fields=["round", "status", "eligibility"]),
            models.Index(fields=["round", "offering"]),
            models.Index(fields=["round", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.offering}"

    def get_absolute_url(self) -> str:
        return reverse("enrollment:application_detail", args=[self.pk])

    def require_transition(self, target: str) -> None:
        workflow.require_transition(
            current=self.status,
            target=target,
            transitions=APPLICATION_TRANSITIONS,
            labels={k: str(v) for k, v in ApplicationStatus.choices},
            rule="R3.3",
        )

    def set_phone(self, phone: str) -> None:
        phone = phone.strip()
        self.phone_enc = crypto.encrypt_text(phone, context="application.phone") if phone else None
        self.phone_masked = crypto.mask_phone(phone)

    def reveal_phone(self) -> str:
        return (
            crypto.decrypt_text(bytes(self.phone_enc), context="application.phone") if self.phone_enc else ""
        )

    def set_photo(self, data: bytes, content_type: str) -> None:
        self.photo_enc = crypto.encrypt(data, context=b"application.photo")
        self.photo_type = content_type

    def photo_bytes(self) -> bytes | None:
        return crypto.decrypt(bytes(self.photo_enc), context=b"application.photo") if self.photo_enc else None


class CertificateKind(models.TextChoices):
    QUALIFICATION = "qualification", _("职业资格证书")
    SKILL_LEVEL = "skill_level", _("职业技能等级证书")
    PROFESSIONAL = "professional", _("专业技术职务（职称）证书")
    OTHER = "other", _("其他证书")


class ApplicationCertificate(models.Model):
    """A certificate the applicant already holds (several allowed)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书类别"), max_length=20, choices=CertificateKind.choices)
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices, null=True, blank=True)
    title_grade = models.CharField(
        _("职称级别"),
        max_length=12,
        blank=True,
        choices=[("junior", _("初级")), ("intermediate", _("中级")), ("senior", _("高级"))],
    )
    occupation_name = models.CharField(_("职业（工种）或专业"), max_length=80, blank=True)
    occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.CharField(_("证书编号"), max_length=40, blank=True)
    number_normalised = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    relation_confirmed = models.CharField(
        _("与申报职业的关系"),
        max_length=10,
        blank=True,
        choices=[("same", _("本职业")), ("related", _("相关职业")), ("unrelated", _("不相关"))],
        help_text=_("审核人员确认；为空时按证书职业名称自动判断"),
    )

    class Meta:
        verbose_name = _("已有证书")
        verbose_name_plural = _("已有证书")
        ordering = ["application", "issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class FlagSeverity(models.TextChoices):
    BLOCK = "block", _("须更正")
    WARN = "warn", _("请核实")


class ApplicationFlag(models.Model):
    """Contradictory or doubtful information found by the automatic checks (R3.3)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(_("检查项"), max_length=40)
    severity = models.CharField(_("性质"), max_length=5, choices=FlagSeverity.choices)
    field = models.CharField(_("栏目"), max_length=60, blank=True)
    rule = models.CharField(_("依据"), max_length=10, default="R3.3")
    message = models.CharField(_("说明"), max_length=500)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    confirm_note = models.CharField(_("核实说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审核提示")
        verbose_name_plural = _("审核提示")
        ordering = ["application", "-severity", "pk"]

    def __str__(self) -> str:
        return self.message


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("身份证件")
    EDUCATION = "education", _("学历证明")
    YEARS_PLEDGE = "years_pledge", _("工作年限承诺书")
    CERTIFICATE = "certificate", _("证书扫描件")
    OTHER = "other", _("其他材料")


class ApplicationDocument(models.Model):
    """An uploaded supporting document, encrypted at rest like other personal data (S13)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类别"), max_length=20, choices=DocumentKind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    data_enc = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["application", "kind", "pk"]

    def __str__(self) -> str:
        return self.filename

    def set_data(self, data: bytes) -> None:
        self.data_enc = crypto.encrypt(data, context=b"application.document")
        self.size = len(data)

    def data(self) -> bytes:
        return crypto.decrypt(bytes(self.data_enc), context=b"application.document")


class PostOccupation(models.Model):
    """Which occupations a post of the enterprise matches (R3.2: the applied occupation must match the post)."""

    enterprise = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="post_occupations"
    )
    post = models.CharField(_("岗位"), max_length=80)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("岗位与职业对应")
        verbose_name_plural = _("岗位与职业对应")
        ordering = ["enterprise", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "post", "occupation"], name="post_occupation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.occupation.name}"
