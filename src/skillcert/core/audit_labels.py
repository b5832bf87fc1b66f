"""Chinese names for audit actions and outcomes, so the audit administrator reads words, not codes."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.login_throttled": _("登录限流"),
    "auth.lockout": _("账号锁定"),
    "auth.logout": _("退出登录"),
    "auth.password_change": _("修改密码"),
    "auth.password_reset": _("重置密码"),
    "auth.otp_enrol": _("绑定动态口令"),
    "auth.otp_verify": _("动态口令验证"),
    "auth.otp_reset": _("重置动态口令"),
    "auth.lockout_clear": _("解除锁定"),
    "account.create": _("新建账号"),
    "account.activate": _("启用账号"),
    "account.deactivate": _("停用账号"),
    "role.grant": _("授予角色"),
    "role.revoke": _("撤销角色"),
    "organisation.create": _("新建组织"),
    "organisation.update": _("修改组织"),
    "department.create": _("新建部门"),
    "department.update": _("修改部门"),
    "person.create": _("登记人员"),
    "person.update": _("修改人员"),
    "person.photo": _("上传照片"),
    "person.view": _("查看人员信息"),
    "person.reveal_id_number": _("查看完整身份证号"),
    "employee.create": _("登记任职"),
    "employee.update": _("修改任职"),
    "export.roster": _("导出花名册"),
    "audit.export": _("导出审计日志"),
    "calendar.load": _("载入工作日历"),
    "calendar.enter": _("录入工作日历"),
    "api_token.create": _("创建接口令牌"),
    "api_token.revoke": _("吊销接口令牌"),
    "job.download": _("下载任务结果"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "ok": _("成功"),
    "denied": _("拒绝"),
    "failed": _("失败"),
    "error": _("出错"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def outcome_label(code: str) -> str:
    label = OUTCOME_LABELS.get(code)
    return str(label) if label is not None else code


def object_label(object_type: str) -> str:
    """The model's Chinese name for an `app.model` label, or the label itself."""
    if "." not in object_type:
        return object_type
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
