"""The confidence gate: its measures, its fit, the shipped weights, and its wiring into ask."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dalin
import dalin.workspace
from dalin.answer.confidence import FEATURES, Gate, bundled_gate, fit, measures
from dalin.answer.extractive import extractive_answer
from dalin.answer.reader_question import Candidate, Evidence
from dalin.types import Hit

RULES = "제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 연차휴가 15일을 준다.\n"
QUESTION = "연차휴가는 며칠인가요?"


def _hit(chunk_id: int, text: str) -> Hit:
    return Hit(chunk_id, 1, "/d/규칙.docx", "규칙.docx", "규칙.docx", 1.0, text, 0, len(text))


def _measured(
    topic: tuple[str, ...], passage: set[str], lead: str, score: float = 2.0
) -> dict[str, float]:
    hit = _hit(7, "연차휴가 15일")
    evidence = Evidence(hit, "규칙.docx", "연차휴가 15일", 0, 9, "연차휴가 15일")
    chosen = Candidate(score, lead, evidence, margin=0.5, focus=1.0)
    idf = dict.fromkeys(topic, 1.0) | {"휴가": 3.0}
    lines = [f"{lead} {{0}}", "연차휴가 15일 {0}"]
    found = measures(QUESTION, topic, idf, [_hit(1, "다른 글"), hit], [(hit, 0.6)], lines,
                     [evidence], [chosen], {7: passage})  # fmt: skip
    assert len(found) == len(FEATURES)
    return dict(zip(FEATURES, found, strict=True))


def test_measures_read_the_chosen_line_and_what_its_passage_lacks() -> None:
    held = _measured(("연차", "휴가"), {"연차", "휴가"}, "15일")
    lacking = _measured(("연차", "휴가"), {"연차"}, "15일")
    assert held["missing_share"] == 0 and lacking["missing_share"] == 0.5
    assert held["missing_idf"] == 0 and lacking["missing_idf"] == 1.0  # 휴가 is the rarest
    assert held["passage_cover"] == 1.0 and lacking["passage_cover"] == pytest.approx(0.25)
    assert held["score"] == 2.0 and held["margin"] == 0.5 and held["chosen"] == 1.0
    assert held["lead_number"] == 1.0 and held["value_asked"] == 1.0  # 며칠 asks a count of days
    assert held["cited_rank"] == 1.0  # the cited passage stood second of two
    assert _measured(("연차",), {"연차"}, "휴가")["lead_number"] == 0.0


def test_fit_learns_which_way_a_measure_points_and_is_deterministic() -> None:
    rng = random.Random(3)
    rows = [[rng.random(), rng.random()] for _ in range(300)]
    labels = [int(x > 0.5) for x, _ in rows]
    first, again = fit(rows, labels), fit(rows, labels)
    assert first == again
    mean, scale, weights, bias = first
    assert weights[0] > 2 * abs(weights[1])  # the first measure decides, the second is noise
    gate = Gate(mean, scale, weights, bias, 0.5)
    assert gate.shows([0.9, 0.5]) and not gate.shows([0.1, 0.5])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=3, max_size=3), st.floats(0, 1))
def test_probability_is_a_probability_and_the_threshold_decides(x: list[float], t: float) -> None:
    gate = Gate((0.0, 1.0, -2.0), (1.0, 2.0, 0.5), (0.7, -1.2, 30.0), -0.3, t)
    p = gate.probability(x)
    assert 0.0 <= p <= 1.0
    assert gate.shows(x) == (p >= t)


def test_weights_fitted_on_other_measures_are_refused() -> None:
    data = Gate((0.0,), (1.0,), (1.0,), 0.0, 0.2).to_json()
    data["features"] = ["score"]
    with pytest.raises(ValueError, match="refit"):
        Gate.from_json(data)


def test_the_shipped_gate_matches_the_measures_and_names_its_command() -> None:
    gate = bundled_gate()
    assert gate is not None
    assert len(gate.weights) == len(gate.mean) == len(gate.scale) == len(FEATURES)
    assert 0.0 < gate.threshold < 0.5  # it withholds only answers it thinks probably wrong
    assert Gate.from_json(gate.to_json()) == gate
    path = Path(dalin.answer.confidence.__file__).parent / "data" / "confidence.json"
    assert "bench/confidence_fit.py" in json.loads(path.read_text(encoding="utf-8"))["command"]


def test_the_gate_withholds_below_its_threshold_and_shows_above() -> None:
    hits = [_hit(1, RULES)]
    idf = dict.fromkeys(["연차", "휴가", "연차휴가"], 1.0)
    zero = (0.0,) * len(FEATURES)
    ones = (1.0,) * len(FEATURES)
    doubting = Gate(zero, ones, zero, 0.0, 0.9)  # every answer is a coin flip: p = 0.5
    trusting = Gate(zero, ones, zero, 0.0, 0.1)
    assert not extractive_answer(QUESTION, hits, lambda w: idf, gate=trusting).abstained
    withheld = extractive_answer(QUESTION, hits, lambda w: idf, gate=doubting)
    assert withheld.abstained and not withheld.citations
    assert not extractive_answer(QUESTION, hits, lambda w: idf).abstained  # no gate


def test_ask_uses_the_shipped_gate_unless_the_workspace_turns_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zero = (0.0,) * len(FEATURES)
    doubting = Gate(zero, (1.0,) * len(FEATURES), zero, 0.0, 0.9)
    monkeypatch.setattr(dalin.workspace, "bundled_gate", lambda: doubting)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "규칙.md").write_text(RULES, encoding="utf-8")
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.add([tmp_path / "docs"])
        assert ws.ask(QUESTION).abstained
    config = tmp_path / "ws" / "dalin.toml"
    text = config.read_text(encoding="utf-8")
    assert "confidence_gate = true" in text
    config.write_text(text.replace("confidence_gate = true", "confidence_gate = false"))
    with dalin.Workspace.open(tmp_path / "ws") as ws:
        answer = ws.ask(QUESTION)
    assert not answer.abstained and "15일" in answer.text.splitlines()[0]
