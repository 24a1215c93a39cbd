"""Whether to show the model-free reader's answer: a small learned gate over its evidence.

The reader's rules choose *what* the answer is; they were written from the questions they
fail, and on questions written later they move little (docs/benchmarks.md). Whether the
chosen answer deserves to be shown is a different question with a simple shape: how much
of what was asked its cited passages hold, which rare word of the question none of them
writes, what kind of value was asked and whether the lead states one. A logistic model over
those measures, fitted on questions whose answers were checked by value
(``bench/confidence_fit.py``), gives the probability that an answer is right; below the
fitted threshold the reader says it found nothing rather than show a line that is probably
wrong. The weights live in ``data/confidence.json`` with the command that made them; an
absent file means no gate.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from dalin.answer.intent import Asked, read_intent
from dalin.answer.reader_question import Candidate, Evidence
from dalin.text.korean import tokenize
from dalin.types import Hit

#: the measures, in the order the weights are stored
FEATURES = (
    "score",  # the reader's own score of the line it chose (the lowest, for two facts)
    "margin",  # how far that line scored above the best line stating something else
    "focus",  # the share of the words of what is asked that line holds
    "chosen",  # the answer is a line the reader chose (not computed or summed)
    "passage_cover",  # IDF-weighted share of the topic words the cited passages hold
    "quote_cover",  # … that the cited quotes hold
    "lead_cover",  # … that the first line holds
    "missing_idf",  # the rarest topic word no cited passage holds, against the rarest asked
    "missing_share",  # the share of topic words no cited passage holds
    "best_share",  # the best gate coverage among all passages found
    "cited_rank",  # where the first cited passage stood in the search (0 first, 1 last)
    "lead_number",  # the first line writes a number
    "value_asked",  # an amount, date, count, … is asked
    "yes_no",  # a yes/no question
    "operation",  # arithmetic is asked (sum, difference, …)
    "citations",  # how many passages the answer cites (capped at 4, over 4)
)

_MARKER = re.compile(r"\s*[\[{]\d+[\]}]")


@dataclass(frozen=True)
class Gate:
    """A fitted logistic model: standardised measures, weights, and the threshold below
    which an answer is withheld."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, measures: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, measures, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def shows(self, measures: Sequence[float]) -> bool:
        return self.probability(measures) >= self.threshold

    def to_json(self) -> dict[str, object]:
        return {"features": list(FEATURES), "mean": list(self.mean),
                "scale": list(self.scale), "weights": list(self.weights),
                "bias": self.bias, "threshold": self.threshold}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Gate:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("confidence weights were fitted on other measures; refit them")
        mean, scale, weights = (
            tuple(float(v) for v in data[k]) for k in ("mean", "scale", "weights")
        )
        return cls(mean, scale, weights, float(data["bias"]), float(data["threshold"]))


@cache
def bundled_gate() -> Gate | None:
    """The gate shipped with dalin (``data/confidence.json``), or None when there is none."""
    data = resources.files("dalin.answer") / "data" / "confidence.json"
    if not data.is_file():
        return None
    return Gate.from_json(json.loads(data.read_text(encoding="utf-8")))


def measures(
    question: str,
    topic: Sequence[str],
    idf: Mapping[str, float],
    hits: Sequence[Hit],
    relevant: Sequence[tuple[Hit, float]],
    lines: Sequence[str],
    evidence: Sequence[Evidence],
    chosen: Sequence[Candidate],
    passage_tokens: Mapping[int, set[str]],
) -> list[float]:
    """The :data:`FEATURES` of an answer: ``lines`` as the reader composed them (``{n}``
    citing ``evidence[n]``), from the ``chosen`` candidates (none when computed);
    ``passage_tokens`` the tokens each hit (by chunk id) holds, glossary equivalents and
    file-name words included, as the gate read them."""
    cited = sorted({int(n) for line in lines for n in re.findall(r"\{(\d+)\}", line)})
    shown = [evidence[n] for n in cited if n < len(evidence)]
    passages: set[str] = set().union(*(passage_tokens.get(e.hit.chunk_id, set()) for e in shown))
    quotes = set(tokenize(" ".join(e.display for e in shown)))
    lead = _MARKER.sub("", lines[0]) if lines else ""
    said = set(tokenize(lead))
    total = sum(idf.get(t, 0.0) for t in topic) or 1.0
    rarest = max((idf.get(t, 0.0) for t in topic), default=0.0) or 1.0
    missing = [t for t in topic if t not in passages]
    order = [h.chunk_id for h in hits]
    first = shown[0].hit.chunk_id if shown else None
    rank = order.index(first) / max(1, len(order) - 1) if first in order else 1.0
    intent = read_intent(question)
    return [
        min((c.score for c in chosen), default=0.0),
        min((c.margin for c in chosen), default=0.0),
        min((c.focus for c in chosen), default=0.0),
        float(bool(chosen)),
        sum(idf.get(t, 0.0) for t in topic if t in passages) / total,
        sum(idf.get(t, 0.0) for t in topic if t in quotes) / total,
        sum(idf.get(t, 0.0) for t in topic if t in said) / total,
        max((idf.get(t, 0.0) for t in missing), default=0.0) / rarest,
        len(missing) / max(1, len(topic)),
        max((share for _, share in relevant), default=0.0),
        rank,
        float(any(ch.isdigit() for ch in lead)),
        float(bool(intent.value_kinds) or bool(intent.counter)),
        float(intent.asked is Asked.YES_NO),
        float(intent.operation is not None),
        min(4.0, float(len(shown))),
    ]


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], *, l2: float = 1.0, steps: int = 50
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], float]:
    """Mean, scale, weights and bias of an L2-regularised logistic regression, by Newton's
    method on standardised measures (deterministic: same rows, same model)."""
    import numpy as np

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -60, 60)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z.T * (p * (1 - p))) @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return tuple(mean.tolist()), tuple(scale.tolist()), tuple(w[1:].tolist()), float(w[0])
