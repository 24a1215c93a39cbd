"""The PostgreSQL store against the Store contract, and its BM25 against the SQLite store's."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from dalin.stores import postgres_lexical
from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.postgres import PostgresStore, create_workspace
from dalin.stores.postgres_db import Database, database
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.postgres import PostgresURLs
from dalin.testing.store_contract import StoreContract
from dalin.types import Chunk, Filter

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
_names = itertools.count()
#: the awkward tokens of test_sparse_index.py: phrases for FTS5, symbols, dotted numbers
VOCAB = [
    "연차", "휴가", "15일", "근로", "기준법", "제60조", "하", "있", "되", "년", "월", "일",
    "쇼와 천황", "화양연화 pt.2", "MT비", "×", "1.5", "3,000", "t-모바일", "hb200", "pdf",
]  # fmt: skip


@pytest.fixture
def db(postgres: PostgresURLs) -> Database:
    return database(postgres.app)


def new_store(db: Database) -> PostgresStore:
    slug = f"t{next(_names)}-{random.randrange(10**9)}"
    create_workspace(db, slug)
    return PostgresStore(db, slug)


class TestPostgresStoreContract(StoreContract):
    @pytest.fixture
    def store(self, db: Database) -> PostgresStore:
        return new_store(db)


def add_document(
    store: PostgresStore | SQLiteStore, name: str, chunks: Sequence[tuple[list[str], list[str]]]
) -> int:
    """A document whose chunks have the given (section tokens, body tokens)."""
    indexed = [
        IndexedChunk(Chunk(" ".join(body), i, i + 1, f"p.{i + 1}", None, ""), body, section)
        for i, (section, body) in enumerate(chunks)
    ]
    record = DocumentRecord(path=f"/t/{name}", name=name, size=1, mtime_ns=0, content_hash=name)
    return store.upsert_document(record, indexed)


@pytest.fixture
def pair(db: Database, tmp_path: Path) -> Iterator[tuple[PostgresStore, SQLiteStore]]:
    sqlite = SQLiteStore(tmp_path / "t.db")
    yield new_store(db), sqlite
    sqlite.close()


def ranked(
    store: PostgresStore | SQLiteStore, tokens: list[str], k: int, docs: Sequence[int] = ()
) -> list[tuple[int, str, float]]:
    hits = store.keyword_search(tokens, k, Filter(tuple(docs)))
    return [(i, h.text, h.score) for i, h in enumerate(hits)]


def assert_same(
    got: list[tuple[int, str, float]], want: list[tuple[int, str, float]], query: object
) -> None:
    assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in want], query
    for (_, _, a), (_, _, b) in zip(got, want, strict=True):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), query


@pytest.fixture(
    params=[postgres_lexical._FIRST_BUDGET, 1, 40, 2_000],
    ids=["budget-default", "budget-1", "budget-40", "budget-2000"],
)
def budget(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Round 1's budget of postings: small ones send most queries through round 2 (the
    chunks holding only the next-rarest terms), which must find the same k best."""
    monkeypatch.setattr(postgres_lexical, "_FIRST_BUDGET", request.param)
    return int(request.param)


def random_corpus(
    pg: PostgresStore, sqlite: SQLiteStore, rng: random.Random
) -> list[tuple[int, int]]:
    """Ten documents of twenty chunks of Zipfian VOCAB tokens in both stores; their
    (PostgreSQL id, SQLite id)."""
    weights = [1 / (r + 1) for r in range(len(VOCAB))]  # Zipfian, like real text
    ids: list[tuple[int, int]] = []
    for d in range(10):
        # chunk texts unique, so the two stores' hits can be compared by text
        chunks = [
            (
                rng.choices(VOCAB, weights, k=rng.randint(0, 3)),
                [f"u{d}x{c}", *rng.choices(VOCAB, weights, k=rng.randint(1, 30))],
            )
            for c in range(20)
        ]
        ids.append((add_document(pg, f"d{d}.md", chunks), add_document(sqlite, f"d{d}.md", chunks)))
    return ids


def test_same_ranking_and_scores_as_sqlite_on_a_random_corpus(
    pair: tuple[PostgresStore, SQLiteStore], budget: int
) -> None:
    pg, sqlite = pair
    rng = random.Random(7)
    ids = random_corpus(pg, sqlite, rng)
    for _ in range(120):
        tokens = rng.sample(VOCAB, rng.randint(1, 8))
        k = rng.choice([1, 5, 10, 50, 400])
        assert_same(ranked(pg, tokens, k), ranked(sqlite, tokens, k), tokens)
        chosen = rng.sample(ids, 2)
        got = ranked(pg, tokens, k, [p for p, _ in chosen])
        assert_same(got, ranked(sqlite, tokens, k, [s for _, s in chosen]), tokens)


def test_rare_terms_first_still_finds_the_exact_top_k(
    pair: tuple[PostgresStore, SQLiteStore], budget: int
) -> None:
    """Many chunks hold only common terms: the MaxScore rounds must reach them when the
    rare terms match fewer than k chunks, and stop early when they match enough."""
    pg, sqlite = pair
    common = [([], ["하", "있", f"n{i}"]) for i in range(300)]
    rare = [(["휴가"], ["연차", "휴가", f"r{i}"]) for i in range(5)]
    for store in (pg, sqlite):
        add_document(store, "common.md", common)
        add_document(store, "rare.md", rare)
    for tokens, k in ((["휴가", "하"], 3), (["휴가", "하"], 20), (["연차", "있", "하"], 300)):
        assert_same(ranked(pg, tokens, k), ranked(sqlite, tokens, k), tokens)


def test_a_capped_second_round_still_scores_exactly_and_in_order(
    pair: tuple[PostgresStore, SQLiteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ROUND_2_CAP candidates round 2 scores only the highest-bound ones: the hits may
    differ from the exact top k, but each score is the chunk's exact BM25, best first."""
    pg, sqlite = pair
    rng = random.Random(11)
    for d in range(4):
        chunks = [([], [f"u{d}x{c}", *rng.choices(VOCAB, k=12)]) for c in range(40)]
        add_document(pg, f"d{d}.md", chunks)
        add_document(sqlite, f"d{d}.md", chunks)
    monkeypatch.setattr(postgres_lexical, "_FIRST_BUDGET", 1)
    monkeypatch.setattr(postgres_lexical, "ROUND_2_CAP", 3)
    for _ in range(30):
        tokens = rng.sample(VOCAB, 6)
        got = ranked(pg, tokens, 10)
        exact = {t: s for _, t, s in ranked(sqlite, tokens, 1000)}
        assert got, tokens
        for _, text, score in got:
            assert score == pytest.approx(exact[text], rel=1e-9), tokens
        scores = [s for _, _, s in got]
        assert scores == sorted(scores, reverse=True), tokens


def korquad_into(*stores: PostgresStore | SQLiteStore) -> list[list[str]]:
    """Three KorQuAD articles as documents of each store (Kiwi tokens, the title as section);
    the tokens of their first 80 questions. Skips when the shared material is absent."""
    data = SHARED / "data" / "korquad1" / "KorQuAD_v1.0_dev.json"
    if not data.exists():
        pytest.skip(f"shared material not available: {data}")
    from dalin.text.korean import tokenize_many

    articles = json.loads(data.read_text(encoding="utf-8"))["data"][:3]
    titles = tokenize_many([a["title"] for a in articles])
    for a, title in zip(articles, titles, strict=True):
        bodies = tokenize_many([p["context"] for p in a["paragraphs"]])
        for store in stores:
            add_document(store, a["title"], [(title, body) for body in bodies])
    questions = [q["question"] for a in articles for p in a["paragraphs"] for q in p["qas"]]
    return tokenize_many(questions[:80])


def test_same_as_sqlite_on_real_korean_text(pair: tuple[PostgresStore, SQLiteStore]) -> None:
    """KorQuAD paragraphs and questions through dalin's Kiwi tokenizer."""
    pg, sqlite = pair
    for tokens in korquad_into(pg, sqlite):
        assert_same(ranked(pg, tokens, 10), ranked(sqlite, tokens, 10), tokens)


def test_an_uploaded_original_is_kept_by_its_workspace_and_deleted_with_its_document(
    db: Database,
) -> None:
    store, other = new_store(db), new_store(db)
    assert not store.keep_original("/t/a.docx", b"x")  # no such document: nothing kept
    doc_id = add_document(store, "a.docx", [([], ["연차"])])
    add_document(store, "b.docx", [([], ["휴가"])])
    assert store.keep_original("/t/a.docx", b"first") and store.keep_original("/t/a.docx", b"ab")
    assert store.keep_original("/t/b.docx", b"12345")
    assert store.original("/t/a.docx") == b"ab" and store.original("/t/c.docx") is None
    assert store.originals_size() == 7 and store.originals_size(but="/t/b.docx") == 2
    assert other.original("/t/a.docx") is None and other.originals_size() == 0  # RLS
    store.delete_document(doc_id)
    assert store.original("/t/a.docx") is None and store.originals_size() == 5
