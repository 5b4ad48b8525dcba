"""Problems found in an input file: each with its file, line and column."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


# A file with thousands of problems is not read by anyone past the first screens, and
# printing (and formatting for CI) every one costs time: the rest are counted.
MAX_PROBLEMS_PER_FILE = 100


class SpecError(Exception):
    """A file could not be read as a spec; `problems` lists the problems found, the
    first MAX_PROBLEMS_PER_FILE of each file and then one saying how many more."""

    def __init__(self, problems: list[Problem]):
        self.problems = _capped(sorted(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _capped(problems: list[Problem]) -> list[Problem]:
    per_file = Counter(problem.file for problem in problems)
    if all(count <= MAX_PROBLEMS_PER_FILE for count in per_file.values()):
        return problems
    kept, shown = [], Counter()
    for problem in problems:
        shown[problem.file] += 1
        if shown[problem.file] <= MAX_PROBLEMS_PER_FILE:
            kept.append(problem)
        elif shown[problem.file] == MAX_PROBLEMS_PER_FILE + 1:
            more = per_file[problem.file] - MAX_PROBLEMS_PER_FILE
            kept.append(Problem(problem.file, problem.line, problem.column,
                                f"and {more:,} more problem{'s' if more != 1 else ''} from here on, not shown (the first {MAX_PROBLEMS_PER_FILE} are)"))
    return kept
