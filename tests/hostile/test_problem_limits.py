"""A file with thousands of problems: the report stays bounded, and so does the cost
of the did-you-mean suggestions (2,000 misspelled ids took 80 s of CPU)."""

from __future__ import annotations

import pytest

from archlint.specs import SpecError, load_text
from archlint.specs.errors import MAX_PROBLEMS_PER_FILE
from archlint.specs.values import Suggester, suggestion


def misspelled(count: int) -> str:
    lines = ["archlint: 1", "name: x", "resources:"]
    for i in range(count):
        lines += [f"  queue-{i}:", "    type: sqs.queue", f"    dead_letter: dlqq-{i}", f"  dlq-{i}:", "    type: sqs.queue"]
    return "\n".join(lines) + "\n"


def test_problems_are_capped_per_file_and_the_rest_counted():
    with pytest.raises(SpecError) as caught:
        load_text(misspelled(2000), "many.yaml")
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message.startswith("and 1,900 more problems")
    # the ones shown come first in the file
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_suggestions_are_budgeted_per_file():
    suggest = Suggester([f"dlq-{i}" for i in range(2000)], budget=3)
    answers = [suggest(f"dlqq-{i}") for i in range(5)]
    assert answers[:3] == [f' (did you mean "dlq-{i}"?)' for i in range(3)]
    assert answers[3:] == ["", ""]


@pytest.mark.parametrize("word", ["dlqq", "orders-queu", "q", "billing-dlq-extra-long-name", "zzzz", "ab"])
def test_the_length_index_finds_what_difflib_finds(word):
    candidates = ["dlq", "orders-queue", "queue", "billing-dlq", "q", "a", "abc", "billing-dead-letter-queue"]
    assert Suggester(candidates)(word) == suggestion(word, candidates)
