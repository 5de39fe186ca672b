"""Everything a user reads: tables, machine formats, sentences, the timeline, help.

``FORMATS`` is the one list of output formats (``--format``): options, their help and
completion, and validation are all built from it. rich is imported lazily, only by
``tables`` and ``chart``.
"""

from __future__ import annotations

FORMATS = {
    "table": "表格",
    "json": "JSON",
    "csv": "CSV",
    "csv-zh": "中文CSV",
    "markdown": "Markdown",
    "xlsx": "Excel",
}
TASK_FORMATS = ("table", "json", "csv", "csv-zh")  # listings of tasks and units
REPORT_FORMATS = ("table", "json", "csv", "csv-zh", "markdown")
TEXT_FORMATS = ("table", "json")  # date, history
SCORE_FORMATS = ("table", "json", "csv", "csv-zh", "xlsx")
