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
    "auth.unlock": _("解除锁定"),
    "auth.otp_prepare": _("生成动态口令密钥"),
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
    "deadline.open": _("开始计算期限"),
    "deadline.reopen": _("重新计算期限"),
    "deadline.close": _("期限事项完成"),
    "deadline.scan": _("期限检查并发出提醒"),
    # Catalogue (R1.2)
    "occupation.import": _("导入职业目录"),
    "job_type.create": _("新增工种"),
    "job_type.update": _("修改工种"),
    "standard.create": _("新增标准/评价规范"),
    "standard.update": _("修改标准/评价规范"),
    "rule_set.create": _("新增申报条件规则集"),
    "rule_set.update": _("修改申报条件规则集"),
    "rule_set.template_load": _("载入申报条件模板"),
    # Filing, scope and adjustments (R1)
    "filing.create": _("登记备案"),
    "adjustment.create": _("起草范围调整"),
    "adjustment.update": _("修改范围调整"),
    "adjustment.item_add": _("增加调整项"),
    "adjustment.item_remove": _("增加减少项"),
    "adjustment.item_delete": _("删除调整项"),
    "adjustment.parent_filing": _("上传集团备案材料"),
    "adjustment.parent_filing_view": _("查看集团备案材料"),
    "adjustment.submit": _("提交范围调整"),
    "adjustment.reopen": _("重新编辑范围调整"),
    "adjustment.return": _("退回范围调整"),
    "adjustment.forward": _("报送人社部"),
    "adjustment.approve": _("登记人社部同意意见"),
    "adjustment.refuse": _("登记人社部不同意意见"),
    "export.adjustment": _("导出范围调整材料"),
    "site.create": _("新增考评场地"),
    "site.update": _("修改考评场地"),
    "equipment.create": _("新增设备"),
    "equipment.update": _("修改设备"),
    "equipment.delete": _("删除设备"),
    "pool.create": _("人员库新增"),
    "pool.update": _("人员库修改"),
    "relationship.create": _("申报回避关系"),
    "relationship.delete": _("删除回避关系"),
    # Rounds (R2.1)
    "round.create": _("新建认定批次"),
    "round.update": _("修改认定批次"),
    "round.offering_add": _("增加认定职业等级"),
    "round.offering_remove": _("删除认定职业等级"),
    "round.publish": _("发布认定公告"),
    "round.cancel": _("取消认定批次"),
    "round.move_evaluation": _("调整评价日期（认定计划确认前）"),
    # Applications and review (R3)
    "application.start": _("开始申报"),
    "application.update": _("修改申报"),
    "application.photo": _("上传申报照片"),
    "application.document_add": _("上传申报材料"),
    "application.document_remove": _("删除申报材料"),
    "application.document_view": _("查看申报材料"),
    "application.submit": _("提交申报"),
    "application.resubmit": _("重新提交申报"),
    "application.withdraw": _("撤回申报"),
    "application.print": _("打印申报表"),
    "application.view": _("查看申报"),
    "application.evaluate": _("核算申报条件"),
    "application.approve": _("审核通过"),
    "application.reject": _("审核不通过"),
    "application.return": _("退回修改"),
    "application.flag_confirm": _("核实提示"),
    "application.post_override": _("确认岗位不一致"),
    "application.certificate_relation": _("确认证书对应关系"),
    "application.import": _("批量导入申报"),
    "export.approved": _("导出审核通过名单"),
    # Assessment plan and certification plan (R4, R5)
    "assessment_plan.update": _("修改考核方案"),
    "plan_method.set": _("设置评价方式"),
    "certification_plan.pledge_upload": _("上传审核承诺书"),
    "certification_plan.submit": _("提交认定计划"),
    "certification_plan.confirm": _("确认认定计划"),
    "certification_plan.return": _("退回认定计划"),
    "certification_plan.amend": _("登记认定计划变更"),
    "certification_plan.move_date": _("调整评价日期"),
    # Rooms, sessions, seating, tickets (R6.1)
    "room.create": _("新建考场"),
    "room.update": _("修改考场"),
    "site.head_set": _("设置考点负责人"),
    "exam_session.create": _("新建考试场次"),
    "exam_session.update": _("修改考试场次"),
    "exam_session.delete": _("删除考试场次"),
    "exam_session.finish": _("确认场次结束"),
    "seating.assign": _("编排座位"),
    "seating.release": _("释放座位"),
    "ticket.issue": _("生成准考证"),
    "ticket.print": _("打印准考证"),
    # Staff plan (R6.3–R6.5)
    "staff_plan.settings": _("修改编排设置"),
    "staff_plan.generate": _("自动编排人员"),
    "staff_plan.edit": _("手工调整人员"),
    "staff_plan.save": _("保存人员编排"),
    "staff_plan.save_refused": _("人员编排保存被拒"),
    # Documents (R6.2, R6.6, R6.7)
    "house_rules.update": _("修改考务手册文本"),
    "logistics_document.print": _("生成考务文书"),
    # Exam day (R7)
    "exam_check.record": _("登记考前检查"),
    "seat.check_in": _("考生签到"),
    "seat.absent": _("登记缺考"),
    "room_log.add": _("填写考场记录"),
    "violation.record": _("登记违纪"),
    "violation.rule": _("督导认定违纪"),
    "violation.evidence_view": _("查看违纪证据"),
    "exam_check.attachment_view": _("查看考前检查附件"),
    "material.seal": _("材料密封"),
    "supervision_report.submit": _("提交质量督导表"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "ok": _("成功"),
    "denied": _("拒绝"),
    "refused": _("未通过校验"),
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
