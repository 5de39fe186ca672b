"""The ranking of ``zwgk score`` as a table (JSON and CSV are in ``records``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from zwgk_cli.render.tables import Cell

if TYPE_CHECKING:
    from zwgk_cli.tracking.score import UnitScore

__all__ = ["SCORE_STATUS", "score_table"]

SCORE_STATUS = {"on_time": "按时完成", "late": "逾期完成", "overdue": "逾期未完成"}


def score_table(scores: Sequence[UnitScore]) -> tuple[list[str], list[list[Cell]]]:
    """The ranking: each unit's rank, total and how its tasks went."""
    headers = ["排名", "单位", "得分", "按时完成", "逾期完成", "逾期未完成", "退回次数"]
    cells: list[list[Cell]] = []
    for s in scores:
        counts = [sum(1 for t in s.tasks if t.status == key) for key in SCORE_STATUS]
        returns = sum(t.returns for t in s.tasks)
        rank = "—" if s.rank is None else str(s.rank)  # nothing due yet: not ranked
        cells.append([rank, s.unit, f"{s.total:g}", *(str(n) for n in counts), str(returns)])
    return headers, cells
