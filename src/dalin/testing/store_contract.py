"""Contract tests every Store backend runs: subclass and provide a ``store`` fixture.

class TestMyStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path): ...
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from dalin.errors import StoreError
from dalin.stores.base import DocumentRecord, EvalRun, IndexedChunk, Store
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


def unit(*values: float, dim: int = 8) -> np.ndarray:
    """A unit vector of ``dim`` dimensions starting with ``values``."""
    v = np.zeros(dim, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def embed_all(store: Store, embedder: str, vectors: dict[str, np.ndarray]) -> None:
    """Give every pending text its vector from ``vectors`` (text -> vector)."""
    pending = store.chunks_without_vectors(embedder, 1000)
    store.put_embeddings(embedder, [(h, vectors[text]) for h, text in pending])


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


#: the vector each test text gets (cosines are easy to work out by hand)
VECTORS = {
    "연차휴가 15일": unit(1, 0),
    "점심시간 12시": unit(0, 1),
    "같은 문장": unit(1, 1),
    "새 문장": unit(0, 0, 1),
}


class VectorStoreContract:
    """Vectors: cached by text per embedder, searched by cosine, dropped with their chunks."""

    E = "test:embedder"

    def test_pending_texts_are_distinct_and_in_chunk_order(self, store: Store) -> None:
        store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("같은 문장", ["b"])]
        )
        store.upsert_document(
            record("/d/b.txt"), [chunk("같은 문장", ["b"]), chunk("점심시간 12시", ["c"])]
        )
        pending = store.chunks_without_vectors(self.E, 10)
        assert [text for _, text in pending] == ["연차휴가 15일", "같은 문장", "점심시간 12시"]
        assert len({h for h, _ in pending}) == 3 and all(len(h) == 64 for h, _ in pending)
        assert store.chunks_without_vectors(self.E, 2) == pending[:2]
        assert store.vector_coverage(self.E) == (0, 4)

    def test_put_embeddings_fills_every_chunk_with_that_text(self, store: Store) -> None:
        a = store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("같은 문장", ["b"])]
        )
        b = store.upsert_document(record("/d/b.txt"), [chunk("같은 문장", ["b"])])
        embed_all(store, self.E, VECTORS)
        assert store.chunks_without_vectors(self.E, 10) == []
        assert store.vector_counts(self.E) == {a: 2, b: 1}
        assert store.vector_coverage(self.E) == (3, 3)
        # another embedder has a cache of its own
        assert len(store.chunks_without_vectors("other:embedder", 10)) == 2
        assert store.vector_counts("other:embedder") == {}

    def test_vector_search_ranks_by_cosine(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"], "제12조")])
        store.upsert_document(record("/d/b.txt"), [chunk("점심시간 12시", ["c"])])
        embed_all(store, self.E, VECTORS)
        hits = store.vector_search(unit(1, 0.2), 5, Filter(), self.E)
        assert [h.document for h in hits] == ["/d/a.txt", "/d/b.txt"]
        assert hits[0].label == "a.txt · 제12조" and hits[0].text == "연차휴가 15일"
        expected = float(unit(1, 0.2) @ unit(1, 0))
        assert hits[0].score == pytest.approx(expected, abs=2e-3)
        assert hits[1].score == pytest.approx(float(unit(1, 0.2) @ unit(0, 1)), abs=2e-3)
        assert len(store.vector_search(unit(1), 1, Filter(), self.E)) == 1
        assert store.vector_search(unit(1), 0, Filter(), self.E) == []
        assert store.vector_search(unit(1), 5, Filter(), "other:embedder") == []

    def test_vector_search_filters_by_document(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"])])
        b = store.upsert_document(record("/d/b.txt"), [chunk("점심시간 12시", ["c"])])
        embed_all(store, self.E, VECTORS)
        hits = store.vector_search(unit(1, 0), 5, Filter((b,)), self.E)
        assert [h.doc_id for h in hits] == [b]
        assert store.vector_search(unit(1, 0), 5, Filter((b + 999,)), self.E) == []

    def test_replacing_a_document_keeps_vectors_of_unchanged_text(self, store: Store) -> None:
        store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("점심시간 12시", ["c"])]
        )
        embed_all(store, self.E, VECTORS)
        doc_id = store.upsert_document(
            record("/d/a.txt", "h2"), [chunk("연차휴가 15일", ["a"]), chunk("새 문장", ["d"])]
        )
        assert [t for _, t in store.chunks_without_vectors(self.E, 10)] == ["새 문장"]
        assert store.vector_counts(self.E) == {doc_id: 1}
        hits = store.vector_search(unit(0, 1), 5, Filter(), self.E)
        assert [h.text for h in hits] == ["연차휴가 15일"]  # the replaced chunk is gone

    def test_deleting_a_document_drops_its_vectors(self, store: Store) -> None:
        a = store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("같은 문장", ["b"])]
        )
        b = store.upsert_document(record("/d/b.txt"), [chunk("같은 문장", ["b"])])
        embed_all(store, self.E, VECTORS)
        store.vector_search(unit(1, 0), 5, Filter(), self.E)  # an index built before the delete
        store.delete_document(a)
        hits = store.vector_search(unit(1, 0), 5, Filter(), self.E)
        assert [h.doc_id for h in hits] == [b]
        assert store.vector_counts(self.E) == {b: 1} and store.vector_coverage(self.E) == (1, 1)
        # the vector of text no chunk holds is gone; shared text kept its vector
        store.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"])])
        assert [t for _, t in store.chunks_without_vectors(self.E, 10)] == ["연차휴가 15일"]

    def test_a_document_whose_texts_have_vectors_counts_each_chunk(self, store: Store) -> None:
        store.upsert_document(record("/d/a.txt"), [chunk("같은 문장", ["b"])])
        embed_all(store, self.E, VECTORS)
        # a new document repeating that text twice and one new text: 3 of 4 chunks covered
        same = chunk("같은 문장", ["b"])
        c = store.upsert_document(record("/d/c.txt"), [same, same, chunk("새 문장", ["d"])])
        assert store.vector_coverage(self.E) == (3, 4)
        assert store.vector_counts(self.E)[c] == 2
        store.delete_document(c)
        assert store.vector_coverage(self.E) == (1, 1)

    def test_vectors_of_one_embedder_have_one_size(self, store: Store) -> None:
        store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("새 문장", ["d"])]
        )
        (first, second) = store.chunks_without_vectors(self.E, 10)
        store.put_embeddings(self.E, [(first[0], unit(1, dim=8))])
        with pytest.raises(StoreError):
            store.put_embeddings(self.E, [(second[0], unit(1, dim=4))])
        with pytest.raises(StoreError):
            store.put_embeddings(self.E, [(second[0], np.array([np.nan] * 8))])
        store.put_embeddings(self.E, [])
        assert store.vector_coverage(self.E) == (1, 2)

    def test_stored_vectors_can_be_read_back(self, store: Store) -> None:
        store.upsert_document(
            record("/d/a.txt"), [chunk("연차휴가 15일", ["a"]), chunk("점심시간 12시", ["c"])]
        )
        pending = dict(store.chunks_without_vectors(self.E, 10))
        embed_all(store, self.E, VECTORS)
        assert store.embedders() == [self.E]
        read = store.vectors(self.E, [*pending, "0" * 64])
        assert set(read) == set(pending)
        for h, text in pending.items():
            assert read[h].dtype == np.float32
            np.testing.assert_allclose(read[h], VECTORS[text], atol=1e-3)
        assert store.vectors("other:embedder", list(pending)) == {}

    def test_empty_store_has_no_vectors(self, store: Store) -> None:
        assert store.vector_search(unit(1), 5, Filter(), self.E) == []
        assert store.chunks_without_vectors(self.E, 5) == []
        assert store.vector_coverage(self.E) == (0, 0) and store.vector_counts(self.E) == {}


def eval_run(run_id: str, started_at: str = "2026-12-01T09:00:00+00:00") -> EvalRun:
    return EvalRun(
        run_id, "queued", "질문.jsonl", ("extractive", "openai:m"), 3, started_at, owner="h:1:a"
    )


class EvalRunContract:
    """Evaluation runs of a served workspace: every process lists, follows and cancels them."""

    def test_runs_are_listed_newest_first_with_what_was_recorded(self, store: Store) -> None:
        store.add_eval_run(eval_run("r1", "2026-12-01T09:00:00+00:00"))
        store.add_eval_run(eval_run("r2", "2026-12-02T09:00:00+00:00"))
        assert [r.run_id for r in store.eval_runs()] == ["r2", "r1"]
        assert [r.run_id for r in store.eval_runs(limit=1)] == ["r2"]
        got = store.eval_run("r1")
        assert got is not None and 0 <= got.idle_seconds < 30
        assert replace(got, idle_seconds=0.0) == eval_run("r1")
        assert store.eval_run("r3") is None and store.eval_report("r1") is None

    def test_an_update_changes_what_it_names_and_says_the_owner_is_alive(
        self, store: Store
    ) -> None:
        store.add_eval_run(eval_run("r1"))
        time.sleep(1.1)
        assert store.eval_run("r1").idle_seconds >= 1.0  # type: ignore[union-attr]
        assert store.update_eval_run("r1", status="running", done=2, total=6) is False
        got = store.eval_run("r1")
        assert got is not None and got.idle_seconds < 1.0
        assert (got.status, got.done, got.total, got.error) == ("running", 2, 6, "")
        store.update_eval_run("r1", status="done", finished_at="2026-12-01T10:00:00+00:00",
                              report='{"results": []}')  # fmt: skip
        got = store.eval_run("r1")
        assert got is not None and (got.status, got.done, got.finished_at) == (
            "done", 2, "2026-12-01T10:00:00+00:00",
        )  # fmt: skip
        assert store.eval_report("r1") == '{"results": []}'

    def test_only_a_live_run_can_be_asked_to_stop(self, store: Store) -> None:
        store.add_eval_run(eval_run("live"))
        store.add_eval_run(replace(eval_run("over"), status="done"))
        assert store.cancel_eval_run("live") is True
        assert store.cancel_eval_run("over") is False and store.cancel_eval_run("none") is False
        assert store.update_eval_run("live", done=1) is True  # the owner learns it here
        assert store.eval_run("live").cancel_requested  # type: ignore[union-attr]
        assert not store.eval_run("over").cancel_requested  # type: ignore[union-attr]

    def test_reports_are_redacted_in_place(self, store: Store) -> None:
        for run_id, report in (("a", "기밀 ZEBRA"), ("b", "공개")):
            store.add_eval_run(eval_run(run_id))
            store.update_eval_run(run_id, status="done", report=report)
        store.add_eval_run(eval_run("c"))  # no report yet: not offered

        def redact(text: str) -> str | None:
            return text.replace("ZEBRA", "[지움]") if "ZEBRA" in text else None

        assert store.redact_eval_reports(redact) == 1
        assert (store.eval_report("a"), store.eval_report("b")) == ("기밀 [지움]", "공개")
        assert store.eval_report("c") is None


class StoreContract(VectorStoreContract, EvalRunContract):
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

    def test_answer_log_filters_by_owner(self, store: Store) -> None:
        store.log_answer({"question": "mine", "conversation": "c1", "owner": "key:1"})
        store.log_answer({"question": "theirs", "conversation": "c1", "owner": "key:2"})
        store.log_answer({"question": "old", "conversation": "c1"})
        assert [e["question"] for e in store.answer_log(owner="key:1")] == ["mine"]
        assert [e["question"] for e in store.answer_log(conversation="c1", owner="")] == ["old"]
        assert len(store.answer_log(conversation="c1")) == 3

    def test_document_ids_are_never_reused(self, store: Store) -> None:
        first = store.upsert_document(record("/d/a.txt"), [chunk("a", ["a"])])
        last = store.upsert_document(record("/d/b.txt"), [chunk("b", ["b"])])
        store.delete_document(last)
        store.record_failure(record("/d/c.txt"), "corrupt", "broken")
        failed = store.get_document("/d/c.txt")
        again = store.upsert_document(record("/d/d.txt"), [chunk("d", ["d"])])
        assert failed is not None and len({first, last, failed.id, again}) == 4
        assert min(failed.id, again) > last

    def test_deleting_a_document_redacts_its_quotes_in_the_answer_log(self, store: Store) -> None:
        secret = store.upsert_document(record("/d/비밀.txt"), [chunk("기밀 내용", ["기밀"])])
        store.upsert_document(record("/d/공개.txt"), [chunk("공개 내용", ["공개"])])

        def cite(path: str, quote: str) -> dict[str, object]:
            return {"number": 1, "label": f"{path} · 제1조", "document": path, "quote": quote}

        cited = store.log_answer(
            {
                "question": "기밀은?",
                "answer": "기밀 내용입니다 [1]",
                "method": "extractive",
                "citations": [cite("/d/비밀.txt", "기밀 내용")],
                "sources": [{"label": "비밀.txt · 제1조", "document": "/d/비밀.txt"}],
            }
        )
        other = store.log_answer(
            {
                "question": "공개는?",
                "answer": "공개 내용입니다 [1]",
                "method": "generative",
                "reasoning": "기밀 내용을 보니",
                "citations": [cite("/d/공개.txt", "공개 내용")],
                "sources": [
                    {"label": "공개.txt", "document": "/d/공개.txt"},
                    {"label": "비밀.txt · 제1조", "document": "/d/비밀.txt"},
                ],
            }
        )
        flagged = store.log_answer(
            {
                "question": "공개 기간은?",
                "answer": "공개 기간은 30일입니다 (⚠ 숫자가 근거와 다름)",
                "method": "generative",
                "citations": [cite("/d/공개.txt", "공개 내용")],
                "sources": [{"label": "비밀.txt · 제1조", "document": "/d/비밀.txt"}],
                "flags": [
                    {"sentence": "기밀 기간은 30일", "reason": "number", "message": "⚠",
                     "action": "marked", "replacement": "기밀 7일", "citation": 0,
                     "detail": "30일 ↔ 기밀 7일", "verifier": "contradicted: 기밀 7일"}
                ],
                "verification": {"model": "m", "verdicts": [
                    {"number": 1, "verdict": "contradicted", "reason": "기밀 내용은 7일"}
                ]},
            }
        )  # fmt: skip
        store.delete_document(secret)
        entries = {e["id"]: e for e in store.answer_log()}
        assert "기밀" not in str(entries[flagged]) and "30일" not in str(entries[flagged])
        assert entries[flagged]["flags"][0]["reason"] == "number"  # type: ignore[index]
        assert "기밀" not in str(entries[cited]["answer"]) + str(entries[cited]["citations"])
        assert "비밀.txt" not in str(entries[cited]) and entries[cited]["question"] == "기밀은?"
        assert entries[other]["answer"] == "공개 내용입니다 [1]"  # cites only the other one
        assert "공개 내용" in str(entries[other]["citations"])
        assert "기밀" not in str(entries[other]["reasoning"]) + str(entries[other]["sources"])
        assert [(p, n) for _, p, n in store.pending_redactions()] == [("/d/비밀.txt", "비밀.txt")]
        store.finish_redaction(store.pending_redactions()[0][0])
        assert store.pending_redactions() == []

    def test_an_answer_logged_after_its_document_was_deleted_is_redacted(
        self, store: Store
    ) -> None:
        secret = store.upsert_document(record("/d/비밀.txt"), [chunk("기밀 내용", ["기밀"])])
        store.delete_document(secret)  # while the answer from it was being written
        logged = store.log_answer(
            {
                "question": "기밀은?",
                "answer": "기밀 내용입니다 [1]",
                "method": "extractive",
                "citations": [
                    {"number": 1, "label": "비밀.txt", "document": "/d/비밀.txt", "quote": "기밀"}
                ],
            }
        )
        (entry,) = [e for e in store.answer_log() if e["id"] == logged]
        assert "기밀" not in str(entry["answer"]) + str(entry["citations"])

    def test_deleting_a_document_redacts_what_tools_read_of_it(self, store: Store) -> None:
        prices = store.upsert_document(record("/d/단가표.xlsx"), [chunk("단가", ["단가"])])
        store.upsert_document(record("/d/공개.txt"), [chunk("공개 내용", ["공개"])])

        def used(summary: str, value: str) -> dict[str, object]:
            return {
                "name": "table_query",
                "arguments": '{"sql": "SELECT 단가 FROM t1 WHERE 코드 = \'HB-200\'"}',
                "summary": summary,
                "seconds": 0.1,
                "error": "",
                "numbers": [{"value": value, "operands": []}],
                "sources": ["표 1 · 13행"],
            }

        def answer(tools: list[dict[str, object]]) -> int:
            return store.log_answer(
                {
                    "question": "HB-200은 얼마?",
                    "answer": "385,000원입니다.",
                    "method": "generative",
                    "citations": [],
                    "sources": [{"label": "공개.txt", "document": "/d/공개.txt"}],
                    "tools": tools,
                }
            )

        read = answer([used("1 rows from t1 (단가표.xlsx)", "385000")])
        other = answer([used("1 rows from t1 (다른표.xlsx)", "385000")])
        store.delete_document(prices)
        entries = {e["id"]: e for e in store.answer_log()}
        assert "385" not in str(entries[read]["answer"]) + str(entries[read]["tools"])
        assert "HB-200" not in str(entries[read]["tools"]) and "단가표" not in str(entries[read])
        assert entries[read]["tools"][0]["name"] == "table_query"  # type: ignore[index]
        assert entries[other]["answer"] == "385,000원입니다."  # read another document only
        assert "다른표.xlsx" in str(entries[other]["tools"])

    def test_imported_answers_keep_when_they_were_asked(self, store: Store) -> None:
        store.log_answer({"question": "now", "conversation": "c2"})
        first, second = "2026-01-02T03:04:05+00:00", "2026-01-02T03:05:00+00:00"
        store.import_answers(
            [
                {"question": "연차는?", "conversation": "c1", "asked_at": first, "id": 77,
                 "cost_usd": 0.5},
                {"question": "며칠?", "conversation": "c1", "asked_at": second,
                 "owner": "key:3"},
            ]
        )  # fmt: skip
        log = store.answer_log(conversation="c1")
        assert [(e["question"], e["asked_at"]) for e in log] == [
            ("며칠?", second),
            ("연차는?", first),
        ]
        assert log[1]["cost_usd"] == 0.5 and log[1]["id"] != 77
        assert [e["question"] for e in store.answer_log(owner="key:3")] == ["며칠?"]

    def test_document_chunks_and_lookup_by_id(self, store: Store) -> None:
        doc_id = store.upsert_document(
            record("/d/a.txt"),
            [chunk("첫째", ["첫째"], "¶1"), chunk("둘째", ["둘째"], "¶2", ["제2조"])],
        )
        assert [(c.text, c.label) for c in store.document_chunks(doc_id)] == [
            ("첫째", "¶1"),
            ("둘째", "¶2"),
        ]
        assert store.document_chunks(doc_id + 999) == []
        scanned = replace(record("/d/scan.pdf"), ocr_pages=((2, 91.5), (1, 60.25)), chars=7)
        scan_id = store.upsert_document(scanned, [chunk("스캔", ["스캔"])])
        assert store.ocr_pages(scan_id) == ((1, 60.25), (2, 91.5)) and store.ocr_pages(doc_id) == ()
        info = store.get_document_by_id(scan_id)
        assert info is not None and (info.ocr_pages, info.ocr_confidence, info.chars) == (
            2,
            60.25,
            7,
        )
        found = store.get_document_by_id(doc_id)
        assert found is not None and found.path == "/d/a.txt" and found.chunks == 2
        assert store.get_document_by_id(doc_id + 999) is None

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
