"""Workspace.search: keyword, dense and fused search over a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from dalin import Workspace
from dalin.errors import EmbedderUnreachable, WorkspaceError
from dalin.retrieval.hybrid import SearchPlan, keyword_coverage
from dalin.testing.fake_embedder import HashEmbedder
from dalin.text.korean import tokenize

DOCS = {
    "leave.md": "# 연차휴가\n\n1년간 80퍼센트 이상 출근한 근로자에게 15일의 유급휴가를 준다.\n",
    "tax.md": "# 세무\n\n부가가치세는 분기마다 신고하고 납부한다.\n",
    "price.md": "# 가격표\n\n부품 HB-200의 단가는 12,000원이다.\n",
}


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    workspace = Workspace.create(tmp_path / "ws")
    workspace.embedder = HashEmbedder()
    workspace.add([folder])
    yield workspace
    workspace.close()


def names(hits: Sequence[object]) -> list[str]:
    return [h.name for h in hits]  # type: ignore[attr-defined]


def test_search_is_keyword_only_until_every_chunk_has_a_vector(ws: Workspace) -> None:
    embedder = HashEmbedder()
    ws.embedder = embedder
    ws.search("연차휴가 며칠", fusion="weighted")
    assert embedder.calls == []  # no query embedding while vectors are missing
    assert ws.embed_pending() > 0
    ws.search("연차휴가 며칠", fusion="weighted")
    assert embedder.calls  # now the dense side runs


def test_every_fusion_finds_the_obvious_passage(ws: Workspace) -> None:
    ws.embed_pending()
    for fusion in ("lexical", "dense", "weighted", "rrf"):
        assert names(ws.search("연차휴가 유급휴가 15일", k=3, fusion=fusion))[0] == "leave.md"


def test_dense_only_finds_what_keywords_cannot(ws: Workspace) -> None:
    ws.embed_pending()
    # HashEmbedder hashes tokens: the dense side alone ranks price.md first on its words
    # (none of them in the general glossary, whose expansions would change the hashed query)
    dense = ws.search("HB-200 12,000원", k=1, fusion="dense")
    assert names(dense) == ["price.md"]


def test_document_filter_applies_to_both_sides(ws: Workspace) -> None:
    ws.embed_pending()
    tax = next(d for d in ws.documents() if d.name == "tax.md")
    for fusion in ("lexical", "dense", "weighted", "rrf"):
        hits = ws.search("연차휴가", k=5, documents=[tax.id], fusion=fusion)
        assert set(names(hits)) <= {"tax.md"}


def test_the_glossary_expands_the_query(ws: Workspace) -> None:
    assert ws.search("부가세 신고", fusion="lexical") != []  # 신고 alone matches
    (ws.path / "glossary.txt").write_text("부가세 = 부가가치세\n", encoding="utf-8")
    first = ws.search("부가세", k=1, fusion="lexical")
    assert names(first) == ["tax.md"]


def test_the_glossary_lets_the_answer_use_a_synonym(ws: Workspace) -> None:
    # an in-house abbreviation: "VAT" itself is in the bundled Korean–English list
    before = ws.ask("BGS 신고 주기는?")
    assert before.abstained  # "BGS" is in no document
    (ws.path / "glossary.txt").write_text("BGS = 부가가치세\n", encoding="utf-8")
    after = ws.ask("BGS 신고 주기는?")
    assert not after.abstained
    assert after.citations and after.citations[0].document.endswith("tax.md")
    assert "분기" in after.text


class _Down:
    name, dim = "down:1", 64

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray:
        raise EmbedderUnreachable("the embedding server at http://127.0.0.1:9 is not answering")


def test_an_unreachable_embedder_degrades_to_keyword_search(ws: Workspace) -> None:
    ws.embed_pending()
    lexical = ws.search("연차휴가", fusion="lexical")
    down = _Down()
    ws.embedder = down  # type: ignore[assignment]
    ws.store.put_embeddings(
        down.name, [(h, np.ones(64)) for h, _ in ws.store.chunks_without_vectors(down.name, 100)]
    )
    assert ws.search("연차휴가", fusion="weighted") == lexical


def test_a_bad_plan_is_refused() -> None:
    with pytest.raises(ValueError, match="fusion must be one of"):
        SearchPlan(fusion="magic")
    with pytest.raises(ValueError, match="dense_weight"):
        SearchPlan(dense_weight=1.5)
    with pytest.raises(ValueError, match="dense_weight_non_korean"):
        SearchPlan(dense_weight_non_korean=-0.1)


def test_the_dense_share_follows_the_question_language() -> None:
    plan = SearchPlan(dense_weight=0.3, dense_weight_non_korean=0.6)
    assert plan.dense_share("연차휴가는 며칠인가요?") == 0.3
    assert plan.dense_share("VAT 신고 주기는?") == 0.3  # any Hangul makes it Korean
    assert plan.dense_share("ㅇㅋ") == 0.3  # compatibility jamo count too
    assert plan.dense_share("How many days of annual leave?") == 0.6
    assert plan.dense_share("年次有給休暇は何日ですか") == 0.6


def test_dalin_toml_sets_both_dense_weights_and_the_gate(ws: Workspace) -> None:
    toml = ws.path / "dalin.toml"
    text = toml.read_text(encoding="utf-8")
    assert "dense_weight = 0.1\n" in text and "dense_weight_non_korean = 0.6\n" in text
    assert "dense_gate = 0.8\n" in text
    toml.write_text(
        text.replace("dense_weight_non_korean = 0.6", "dense_weight_non_korean = 0.9").replace(
            "dense_gate = 0.8", "dense_gate = 2"
        ),
        encoding="utf-8",
    )
    reopened = Workspace.open(ws.path)
    try:
        assert reopened.settings.dense_weight_non_korean == 0.9
        assert reopened.settings.dense_weight == 0.1
        assert reopened.settings.dense_gate == 2.0
    finally:
        reopened.close()


def test_a_dense_weight_out_of_range_in_dalin_toml_is_named(ws: Workspace) -> None:
    toml = ws.path / "dalin.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace("dense_weight_non_korean = 0.6", "dense_weight_non_korean = 2"),
        encoding="utf-8",
    )
    with pytest.raises(WorkspaceError, match=r"dense_weight_non_korean = 2 is not allowed"):
        Workspace.open(ws.path)


def test_keyword_coverage_is_the_share_of_query_tokens_the_top_passage_holds(
    ws: Workspace,
) -> None:
    tokens = tokenize("연차휴가 유급휴가 며칠")
    hits = ws.search("연차휴가 유급휴가 며칠", k=3, fusion="lexical")
    held = set(tokenize(hits[0].section + "\n" + hits[0].text))
    expected = len(set(tokens) & held) / len(set(tokens))
    assert 0 < keyword_coverage(tokens, hits) == expected < 1
    assert keyword_coverage(tokens, []) == 0.0 and keyword_coverage([], hits) == 0.0


def test_a_korean_question_its_keywords_answer_is_not_embedded(ws: Workspace) -> None:
    ws.embed_pending()
    embedder = HashEmbedder()
    ws.embedder = embedder
    # every keyword of the question is in leave.md: keyword search answers alone
    hits = ws.search("연차휴가 유급휴가 15일", k=3)
    assert names(hits)[0] == "leave.md" and embedder.calls == []
    # a word no passage holds: the question is embedded and the lists fused
    ws.search("연차휴가 며칠 쉬나요", k=3)
    assert embedder.calls
    # English questions are always fused (no Kiwi edge to trust)
    calls = len(embedder.calls)
    ws.search("HB-200 unit price", k=3)
    assert len(embedder.calls) == calls + 1


def test_the_gate_depends_on_language_and_coverage() -> None:
    plan = SearchPlan(dense_gate=0.8)
    assert plan.keywords_suffice("연차휴가 며칠", 0.8)
    assert not plan.keywords_suffice("연차휴가 며칠", 0.79)
    assert not plan.keywords_suffice("annual leave days", 1.0)
    assert not SearchPlan(dense_gate=1.01).keywords_suffice("연차휴가", 1.0)
    with pytest.raises(ValueError, match="dense_gate"):
        SearchPlan(dense_gate=-1)
