"""The questions and rules of the supervision cycle: query, report, score, notices, verification."""
