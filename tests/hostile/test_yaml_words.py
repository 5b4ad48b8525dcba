"""YAML 1.1 reads on/off/yes/no/true/false as booleans and 1.0 as a number equal to 1:
ids so written are ids, and the format version is the integer 1."""

from __future__ import annotations

import pytest

from archlint.specs import SpecError, load_text


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "true", "false"])
def test_boolean_words_are_ids_as_keys(word):
    graph = load_text(f"archlint: 1\nname: x\nresources:\n  {word}:\n    type: sqs.queue\n  f:\n    type: lambda.function\n"
                      f"flows:\n  - {word} -> f\n", "s.yaml")
    assert word in graph.nodes and graph.has_edge(word, "f")


def test_a_boolean_word_as_a_reference_says_to_quote_it():
    with pytest.raises(SpecError) as caught:
        load_text("archlint: 1\nname: x\nresources:\n  q:\n    type: sqs.queue\n    dead_letter: no\n  'no':\n    type: sqs.queue\n", "s.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (6, 18)
    assert "write 'no' in quotes" in problem.message


@pytest.mark.parametrize("written", ["1.0", "true", "'1'", "1e0"])
def test_the_format_version_is_the_integer_1(written):
    with pytest.raises(SpecError) as caught:
        load_text(f"archlint: {written}\nname: x\nresources:\n  q:\n    type: sqs.queue\n", "s.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (1, 11) and "format 1" in problem.message
