"""Contract tests every Store backend runs: subclass and provide a ``store`` fixture.

class TestMyStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path): ...
"""

from __future__ import annotations

import pytest

from dalin.stores.base import DocumentRecord, IndexedChunk, Store
from dalin.types import Chunk, Filter, StoredTable, Table


def record(path: str, content_hash: str = "h1") -> DocumentRecord:
    return DocumentRecord(
        path=path,
        name=path.rsplit("/", 1)[-1],
        size=10,
        mtime_ns=1,
        content_hash=content_hash,
        format="txt",
        chars=100,
    )


def chunk(
    text: str, tokens: list[str], label: str = "¶1", section: list[str] | None = None
) -> IndexedChunk:
    return IndexedChunk(Chunk(text, 0, len(text), label), tokens, section or [])


def price_table(index: int = 1) -> StoredTable:
    table = Table(
        header=("품목", "단가", "재고"),
        rows=(("볼트 M8", "120", "3,000"), ("너트 M8", "80", "")),
        caption="재고",
        sheet="재고",
        header_row=11,
        row_numbers=(12, 14),
        first_column=1,
        last_column=3,
    )
    return StoredTable(0, index, table, page=None, start=5, end=60)


class StoreContract:
    """Behaviour every Store must show; the subclass supplies the ``store`` fixture."""

    def test_answer_log_keeps_entries_newest_first(self, store: Store) -> None:
        first = store.log_answer({"question": "연차는?", "conversation": "c1", "cost_usd": 0.1})
        store.log_answer({"question": "other", "conversation": "c2", "model": "local"})
        second = store.log_answer({"question": "며칠?", "conversation": "c1", "tokens": [1, 2]})
        log = store.answer_log()
        assert [e["id"] for e in log] == [second, second - 1, first]
        assert log[0]["tokens"] == [1, 2] and log[-1]["cost_usd"] == 0.1
        assert [e["question"] for e in store.answer_log(conversation="c1")] == ["며칠?", "연차는?"]
        assert len(store.answer_log(limit=1)) == 1 and log[0]["asked_at"]

    def test_tables_round_trip_with_provenance(self, store: Store) -> None:
        plain = StoredTable(0, 2, Table(("a", "b"), (("1", "2"),)), page=3, start=70, end=80)
        doc_id = store.upsert_document(
            record("/d/재고.xlsx"), [chunk("볼트", ["볼트"])], [price_table(), plain]
        )
        tables = store.tables(doc_id)
        assert tables == [
            StoredTable(doc_id, 1, price_table().table, None, 5, 60),
            StoredTable(doc_id, 2, plain.table, 3, 70, 80),
        ]
        assert store.documents()[0].tables == 2
        assert store.tables(doc_id + 999) == []

    def test_replacing_or_deleting_a_document_drops_its_tables(self, store: Store) -> None:
        doc_id = store.upsert_document(record("/d/a.xlsx"), [chunk("x", ["x"])], [price_table()])
        other = store.upsert_document(record("/d/b.xlsx"), [chunk("y", ["y"])], [price_table()])
        store.upsert_document(record("/d/a.xlsx", "h2"), [chunk("x", ["x"])])
        assert store.tables(doc_id) == []
        store.delete_document(other)
        assert store.tables(other) == []

    def test_upsert_then_search(self, store: Store) -> None:
        store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["연차", "휴가", "15일"])]
        )
        store.upsert_document(record("/d/b.txt"), [chunk("점심시간", ["점심", "시간"])])
        hits = store.keyword_search(["휴가"], 5, Filter())
        assert [h.document for h in hits] == ["/d/a.txt"]
        assert hits[0].label == "a.txt · ¶1" and hits[0].text == "연차휴가 15일"
        assert hits[0].score > 0

    def test_replace_swaps_all_chunks_atomically(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("old", ["old"]), chunk("old2", ["old"])])
        store.upsert_document(record("/d/a.txt", "h2"), [chunk("new", ["new"])])
        assert store.keyword_search(["old"], 5, Filter()) == []
        assert len(store.keyword_search(["new"], 5, Filter())) == 1
        docs = store.documents()
        assert len(docs) == 1 and docs[0].chunks == 1 and docs[0].content_hash == "h2"

    def test_deleted_document_is_never_retrieved_again(self, store: Store) -> None:
        doc_id = store.upsert_document(record("/d/a.txt"), [chunk("canary", ["canary"])])
        store.upsert_document(record("/d/b.txt"), [chunk("other", ["other"])])
        store.delete_document(doc_id)
        assert store.keyword_search(["canary"], 10, Filter()) == []
        assert store.document_frequencies(["canary"])["canary"] == 0
        assert store.get_document("/d/a.txt") is None
        assert store.chunk_count() == 1

    def test_failure_is_recorded_and_keeps_an_indexed_version(self, store: Store) -> None:
        store.record_failure(record("/d/bad.pdf"), "encrypted", "password needed")
        bad = store.get_document("/d/bad.pdf")
        assert bad is not None and bad.status == "failed" and bad.error_code == "encrypted"
        store.upsert_document(record("/d/a.txt"), [chunk("kept", ["kept"])])
        store.record_failure(record("/d/a.txt", "h9"), "corrupt", "truncated")
        a = store.get_document("/d/a.txt")
        assert a is not None and a.status == "indexed" and a.error == "truncated"
        assert len(store.keyword_search(["kept"], 5, Filter())) == 1

    def test_filter_by_document(self, store: Store) -> None:
        a = store.upsert_document(record("/d/a.txt"), [chunk("x", ["shared"])])
        store.upsert_document(record("/d/b.txt"), [chunk("y", ["shared"])])
        hits = store.keyword_search(["shared"], 10, Filter((a,)))
        assert [h.doc_id for h in hits] == [a]

    def test_section_tokens_are_searchable_and_weighted(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("본문", ["본문", "휴가"], "제1조")])
        store.upsert_document(record("/d/b.txt"), [chunk("본문", ["본문"], "제2조", ["휴가"])])
        hits = store.keyword_search(["휴가"], 5, Filter())
        assert [h.document for h in hits] == ["/d/b.txt", "/d/a.txt"]

    def test_document_frequencies(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("a", ["x", "y"]), chunk("b", ["x"])])
        assert dict(store.document_frequencies(["x", "y", "z"])) == {"x": 2, "y": 1, "z": 0}

    def test_tokens_that_look_like_query_syntax_are_literal(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("a", ["near", "or", "and"])])
        for token in ['"', "NEAR", "*", "OR", "and", "(", "col:x", "^"]:
            store.keyword_search([token], 5, Filter())  # must not raise
        assert len(store.keyword_search(["OR"], 5, Filter())) == 1

    def test_empty_query_returns_nothing(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("a", ["x"])])
        assert store.keyword_search([], 5, Filter()) == []
        assert store.keyword_search(["x"], 0, Filter()) == []

    @pytest.mark.parametrize("n", [3])
    def test_results_are_ranked_best_first(self, store: Store, n: int) -> None:
        for i in range(n):
            tokens = ["term"] * (i + 1) + ["pad"] * 5
            store.upsert_document(record(f"/d/{i}.txt"), [chunk(str(i), tokens)])
        hits = store.keyword_search(["term"], n, Filter())
        assert [h.document for h in hits] == [f"/d/{i}.txt" for i in reversed(range(n))]
        assert hits[0].score >= hits[-1].score
