"""The names tables give their columns, by task key: a hint to what a column holds, never the
only way to know it (``columns`` reads the cells too). A new shape of table needs a name here,
not new code. Names are matched without spaces, in simplified script (``normal``)."""

from __future__ import annotations

from zwgk_cli.patterns import lazy

__all__ = ["COLUMNS", "EXTRA_COLUMNS", "SOLE_TEXT", "SUBHEADER"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Each task key, and the names tables give its column, the usual one first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": _words("序号 编号"),
    "category": _words(
        """
        工作任务 重点任务 类别 一级任务 任务类别 工作类别 主要任务 公开事项
        目录分类 一级指标 一级目录 一级事项 具体职责 政府信息公开类别及事项 项目名称 任务
        """
    ),
    "subcategory": _words("二级任务 二级指标 二级目录 二级事项"),
    "title": _words(
        """
        具体任务 具体要求 工作内容 主要内容 任务内容 公开内容 工作措施 具体内容
        工作要求 业务事项 任务目标 民生实事 重点工作 工作事项 具体措施 主要措施
        """
    ),
    "lead": _words("牵头单位 牵头部门 牵头责任单位 牵头组织实施单位 牵头科室 牵头股室"),
    "responsible": _words(
        """
        主体责任单位 责任单位 责任科室 责任部门 承办单位 公开主体 负责单位 落实单位
        负责科室 责任股室 主要责任单位 责任主体 实施单位 完成单位
        """
    ),
    "cooperating": _words("配合单位 协办单位 参与单位 配合部门 协同责任单位 其他责任单位 配合科室"),
    "supervising": _words("主管单位 督办单位 指导单位"),
    "deadline": _words(
        """
        完成时间 完成时限 时限要求 时限 时间节点 公开时限 完成期限 时间要求
        办理时限 时间安排 完成时间节点
        """
    ),
    "note": _words("备注"),
}
# Columns kept under their own names (task.extra).
EXTRA_COLUMNS = _words(
    """
    公开依据 公开渠道 公开渠道和载体 公开形式 公开方式 公开层级 公开范围 公开对象
    完成情况 信息类别 内容标准 分管领导 区政府分管领导 县政府分线领导 牵头负责领导 法定基础
    三级指标
    """
)
# A table's only text column, when it has no other: the task itself, not a category.
SOLE_TEXT = _words("工作任务 任务 重点任务 主要任务 公开事项 项目名称 具体职责")
# A second header row under cells that span columns: 一级 | 二级, or the options of tick columns.
SUBHEADER = lazy(
    r"^(?:[一二三四五六七八九]级.{0,4}|全社会|特定群众|特定群体|主动|依申请公开?|[县区镇村乡市、]+级)$"
)
