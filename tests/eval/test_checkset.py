"""The grounding check set and how a checker is scored on it, per type."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dalin.answer.grounding import OverlapChecker
from dalin.errors import EvalError
from dalin.eval.checkset import (
    FAITHFUL_TYPES,
    UNFAITHFUL_TYPES,
    CheckOutcome,
    format_checks,
    load_check_set,
    run_checks,
    score_checks,
)

GROUNDING = Path(__file__).resolve().parents[2] / "examples" / "grounding"


def test_the_set_is_large_enough_and_its_held_out_half_covers_every_type() -> None:
    items = load_check_set(GROUNDING)
    assert len(items) >= 200 and len({i.id for i in items}) == len(items)
    heldout = Counter(i.type for i in items if i.split == "heldout")
    assert set(heldout) == {*FAITHFUL_TYPES, *UNFAITHFUL_TYPES}
    assert min(heldout.values()) >= 10
    assert {i.label for i in items if i.type in FAITHFUL_TYPES} == {"faithful"}
    assert {i.label for i in items if i.type in UNFAITHFUL_TYPES} == {"unfaithful"}
    assert all(i.passages and i.passages[0].count("\n") >= 1 for i in items)  # label, text
    assert load_check_set(GROUNDING, "dev") and load_check_set(GROUNDING, "heldout")


def test_the_second_held_out_split_covers_every_type_with_new_sentences() -> None:
    items = load_check_set(GROUNDING)
    second = [i for i in items if i.split == "heldout2"]
    assert Counter(i.type for i in second).keys() == {*FAITHFUL_TYPES, *UNFAITHFUL_TYPES}
    assert min(Counter(i.type for i in second).values()) >= 8
    earlier = {i.sentence for i in items if i.split != "heldout2"}
    assert not [i.id for i in second if i.sentence in earlier]


def test_the_third_held_out_split_is_new_sentences_with_as_many_faithful_as_the_others() -> None:
    items = load_check_set(GROUNDING)
    third = [i for i in items if i.split == "heldout3"]
    assert len(third) >= 120
    assert Counter(i.type for i in third).keys() == {*FAITHFUL_TYPES, *UNFAITHFUL_TYPES}
    assert min(Counter(i.type for i in third).values()) >= 10
    assert 0.4 <= sum(i.label == "faithful" for i in third) / len(third) <= 0.6
    earlier = {i.sentence for i in items if i.split != "heldout3"}
    assert not [i.id for i in third if i.sentence in earlier]


def test_the_fourth_held_out_split_is_new_sentences_balanced_like_the_third() -> None:
    items = load_check_set(GROUNDING)
    fourth = load_check_set(GROUNDING, "heldout4")
    assert len(fourth) >= 120 and {i.split for i in fourth} == {"heldout4"}
    assert Counter(i.type for i in fourth).keys() == {*FAITHFUL_TYPES, *UNFAITHFUL_TYPES}
    assert min(Counter(i.type for i in fourth).values()) >= 10
    assert 0.4 <= sum(i.label == "faithful" for i in fourth) / len(fourth) <= 0.6
    earlier = {i.sentence for i in items if i.split != "heldout4"}
    assert not [i.id for i in fourth if i.sentence in earlier]


def test_the_fifth_held_out_split_is_new_sentences_mostly_over_new_passages() -> None:
    items = load_check_set(GROUNDING)
    fifth = load_check_set(GROUNDING, "heldout5")
    assert len(fifth) >= 110 and all(i.id.startswith("h5-") for i in fifth)
    assert Counter(i.type for i in fifth).keys() == {*FAITHFUL_TYPES, *UNFAITHFUL_TYPES}
    assert min(Counter(i.type for i in fifth).values()) >= 10
    assert 0.4 <= sum(i.label == "faithful" for i in fifth) / len(fifth) <= 0.6
    earlier = [i for i in items if i.split != "heldout5"]
    assert not [i.id for i in fifth if i.sentence in {e.sentence for e in earlier}]
    cited_before = {p for i in earlier for p in i.passages}
    assert sum(all(p not in cited_before for p in i.passages) for i in fifth) / len(fifth) >= 0.8


def test_a_bad_check_set_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "passages.jsonl").write_text(
        json.dumps({"id": "p", "label": "a · b", "text": "연차는 15일이다."}) + "\n"
    )
    row = {"id": "g1", "split": "dev", "label": "faithful", "type": "paraphrase",
           "sentence": "연차는 15일입니다.", "passages": ["missing"]}  # fmt: skip
    (tmp_path / "checks.jsonl").write_text(json.dumps(row) + "\n")
    with pytest.raises(EvalError, match=r"checks.jsonl, line 1: unknown passage"):
        load_check_set(tmp_path)
    with pytest.raises(EvalError, match="unknown split"):
        load_check_set(tmp_path, "test")


def test_per_type_recall_and_precision_are_counted_as_documented() -> None:
    outcomes = [
        CheckOutcome("a", "paraphrase", "faithful", False),
        CheckOutcome("b", "paraphrase", "faithful", True, "contradiction"),
        CheckOutcome("c", "negation", "unfaithful", True, "contradiction"),
        CheckOutcome("d", "negation", "unfaithful", False),
        CheckOutcome("e", "number", "unfaithful", True, "contradiction"),
    ]
    report = score_checks(outcomes, split="dev", checker="x")
    by_type = {t.type: t for t in report.per_type}
    assert by_type["paraphrase"].rate == 0.5 and by_type["paraphrase"].precision is None
    negation = by_type["negation"]
    # caught 1 of 2; of the 3 "contradiction" flags, 2 were unfaithful
    assert (negation.right, negation.rate, negation.flagged_as) == (1, 0.5, 3)
    assert negation.precision == pytest.approx(2 / 3)
    assert by_type["number"].precision is None and by_type["number"].rate == 1.0
    assert report.faithful_accepted == 0.5 and report.unfaithful_caught == pytest.approx(2 / 3)
    assert report.flag_precision == pytest.approx(2 / 3)
    assert "| negation | unfaithful | 2 | 1 | 50.0% | 66.7% (3) |" in format_checks(report)


def test_the_meaning_checker_beats_the_lexical_one_on_the_dev_split() -> None:
    items = [i for i in load_check_set(GROUNDING, "dev") if i.type in ("negation", "scope")]
    lexical = score_checks(run_checks(items, OverlapChecker())[0], split="dev", checker="lex")
    meaning = score_checks(run_checks(items)[0], split="dev", checker="meaning")
    assert lexical.unfaithful_caught < 0.2 < 0.9 < meaning.unfaithful_caught
