"""The library API: one Workspace per folder, used by every surface (CLI, API, web, MCP)."""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from dalin.answer.ask import AskOptions, answer_question, log_entry
from dalin.answer.confidence import bundled_gate
from dalin.answer.extractive import Sources, bm25_idf
from dalin.config import CONFIG_NAME, DEFAULT_CONFIG, Settings, load_settings
from dalin.content import document_content, passage_of, text_at, text_between
from dalin.embedders import backfill
from dalin.embedders.background import BackgroundEmbedding
from dalin.embedders.base import Embedder
from dalin.embedders.registry import make_embedder
from dalin.errors import (
    ConversationNotFound,
    DocumentNotFound,
    WorkspaceExists,
    WorkspaceNotFound,
)
from dalin.ingest.pipeline import Ingestor, ProgressCallback
from dalin.ingest.worker import ParseWorkers
from dalin.llm.base import LLM, offers_tools
from dalin.llm.cost import prices_with
from dalin.llm.deadline import WithDeadline
from dalin.llm.registry import make_llm
from dalin.profiles import DEFAULT_PACK, PROFILE_NAME, Profile, pack_text, parse_profile
from dalin.retrieval import hybrid
from dalin.retrieval.glossary import (
    GLOSSARY_NAME,
    Glossary,
    format_entries,
    glossary_from_text,
)
from dalin.retrieval.glossary import parse as parse_glossary
from dalin.stores import registry
from dalin.stores.base import Store, WorkspaceFiles
from dalin.stores.files import FolderFiles
from dalin.tools import Tool, workspace_tools
from dalin.tools.agent import AgentLimits
from dalin.tools.tables import ScopedTables
from dalin.types import (
    Answer,
    DocumentContent,
    DocumentInfo,
    Filter,
    Hit,
    IngestReport,
    Passage,
    StoredTable,
)

DB_NAME = registry.DB_NAME
#: how long close() waits for a background embedding batch in flight to finish
EMBED_STOP_SECONDS = 60.0
#: most turns of one conversation read back from the answer log
CONVERSATION_TURNS = 2000


class Workspace:
    """A folder holding one store (``dalin.db``) and its settings (``dalin.toml``); or a
    folder whose ``dalin.toml`` points at a workspace in PostgreSQL (``[store]``).

    One Workspace may serve many threads at once (``dalin serve`` keeps one per workspace
    for its lifetime): the store gives each thread its own connection, and what is built
    on first use (models, embedder, parse workers) is built once under a lock.
    """

    def __init__(
        self,
        path: Path,
        store: Store,
        settings: Settings,
        *,
        files: WorkspaceFiles | None = None,
        parse_workers: ParseWorkers | None = None,
    ) -> None:
        self.path = path
        self.store = store
        self.settings = settings
        #: dalin.toml, profile.toml and glossary.txt: in the folder, or in the database
        self.files: WorkspaceFiles = files or FolderFiles(path)
        #: parse workers shared with other workspaces (not closed here), else our own
        self._workers = parse_workers
        self._own_workers = parse_workers is None
        self._lock = threading.RLock()
        #: hosts DALIN_API_KEY may be sent to (None: any; ``dalin serve`` sets the
        #: configured one, so a model a caller names cannot carry the operator's key away)
        self.api_key_hosts: frozenset[str] | None = None
        #: longest a model may take over one answer (None: only the per-read timeout)
        self.answer_seconds: float | None = None
        self._models: dict[tuple[str, str | None], LLM] = {}
        self._profile: tuple[object, Profile] | None = None
        self._glossary: tuple[object, Glossary] | None = None
        self._embedder: Embedder | None = None
        self._embedder_built = False
        self._embedder_owned = False  # built here from the settings, so closed here
        self._embedding = BackgroundEmbedding()

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        domain: str = DEFAULT_PACK,
        backend: str = "sqlite",
        name: str = "",
    ) -> Workspace:
        """Make a new workspace in ``path`` (created if missing; must not hold one already).

        ``domain`` names the pack that seeds ``profile.toml`` (see ``dalin.profiles.packs``).
        ``backend = "postgres"`` keeps it in the database of ``DALIN_DATABASE_URL`` under
        ``name`` (default: the folder's name); the folder then holds only a ``dalin.toml``
        that points there. The folder and its files are readable by their owner only.
        """
        folder = Path(path).expanduser().resolve()
        if (folder / DB_NAME).exists() or registry.points_elsewhere(folder):
            raise WorkspaceExists(f"a workspace already exists in {folder}")
        profile = pack_text(domain)  # an unknown pack fails before anything is written
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        files = FolderFiles(folder)
        if backend == "postgres":
            slug = name or folder.name
            url = registry.database_url(Settings(store_backend="postgres"))
            config = registry.with_backend(DEFAULT_CONFIG, "postgres")
            registry.create_postgres(
                url, slug, domain=domain, files={CONFIG_NAME: config, PROFILE_NAME: profile}
            )
            files.write(CONFIG_NAME, registry.pointer_config(slug))
            return cls.open(folder)
        for file, text in ((CONFIG_NAME, DEFAULT_CONFIG), (PROFILE_NAME, profile)):
            if files.read(file) is None:
                files.write(file, text)
        opened = registry.open_store(folder, load_settings(folder), create=True)
        return cls(folder, opened.store, opened.settings, files=opened.files)

    @classmethod
    def open(cls, path: str | Path, *, parse_workers: ParseWorkers | None = None) -> Workspace:
        """Open the workspace in ``path``; ``parse_workers`` is a pool to share (kept open
        when the workspace closes)."""
        folder = Path(path).expanduser().resolve()
        if not (folder / DB_NAME).is_file() and not registry.points_elsewhere(folder):
            raise WorkspaceNotFound(
                f"no dalin workspace in {folder}; create one with `dalin init {path}`"
            )
        opened = registry.open_store(folder, load_settings(folder))
        return cls(
            folder, opened.store, opened.settings, files=opened.files, parse_workers=parse_workers
        )

    # --- documents ---------------------------------------------------------------------------

    def add(
        self,
        paths: str | Path | Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Index files and folders (recursively); unchanged files are skipped. One path may
        be given alone: a string is one path, never a list of one-letter ones."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        return self._ingestor().add(paths, skip=(self.path,), progress=progress)

    def add_bytes(self, key: str, name: str, data: bytes) -> IngestReport:
        """Index one file given as bytes under the document path ``key`` (an upload kept in
        the store); unchanged content is skipped."""
        return self._ingestor().add_bytes(key, name, data)

    def _ingestor(self) -> Ingestor:
        with self._lock:
            if self._workers is None:  # started on first use, kept until close()
                self._workers = ParseWorkers(self.settings.limits, self.settings.worker_count)
            workers = self._workers
        return Ingestor(
            self.store,
            workers,
            limits=self.settings.limits,
            max_chunk_chars=self.settings.max_chunk_chars,
        )

    def documents(self) -> list[DocumentInfo]:
        """Every document the workspace knows, indexed or failed, by path, each with how
        many of its chunks have a vector."""
        documents = self.store.documents()
        if (embedder := self.embedder) is None:
            return documents
        counts = self.store.vector_counts(embedder.name)
        return [replace(d, vectors=counts.get(d.id, 0)) for d in documents]

    # --- vectors -----------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder | None:
        """The embedder of ``[retrieval] embedder``, built on first use; None: dense off."""
        with self._lock:
            if not self._embedder_built:
                base_url = self.settings.embed_base_url or None
                self._embedder = make_embedder(self.settings.embedder, base_url=base_url)
                self._embedder_built = self._embedder_owned = True
            return self._embedder

    @embedder.setter
    def embedder(self, embedder: Embedder | None) -> None:
        self._close_embedder()
        self._embedder, self._embedder_built, self._embedder_owned = embedder, True, False

    def _close_embedder(self) -> None:
        close = getattr(self._embedder, "close", None)  # a remote embedder's HTTP client
        if self._embedder_owned and callable(close):
            close()

    def embed_pending(
        self,
        progress: backfill.EmbedProgress | None = None,
        stop: threading.Event | None = None,
        batch: int = backfill.DEFAULT_BATCH,
    ) -> int:
        """Compute the vectors the documents still lack, a committed batch at a time (an
        interrupted run resumes where it stopped); return how many texts were embedded."""
        if (embedder := self.embedder) is None:
            return 0
        return backfill.embed_pending(
            self.store, embedder, progress=progress, stop=stop, batch=batch
        )

    def start_background_embedding(self) -> bool:
        """Run :meth:`embed_pending` in a daemon thread with its own store connection;
        return whether embedding is now going on (False: dense retrieval is off).

        Calling it again while it runs makes it look once more for new chunks at the end.
        """
        if (embedder := self.embedder) is None:
            return False
        self._embedding.start(self._reopen_store, embedder)
        return True

    def _reopen_store(self) -> Store:
        """Another store on the same workspace, for a thread of its own."""
        return registry.open_store(self.path, load_settings(self.path)).store

    def embedding_status(self) -> tuple[int, int]:
        """(chunks with a vector, chunks in total); (0, total) when dense retrieval is off."""
        if (embedder := self.embedder) is None:
            return 0, self.store.chunk_count()
        return self.store.vector_coverage(embedder.name)

    @property
    def embedding_running(self) -> bool:
        """Whether a background embedding run is going on."""
        return self._embedding.running

    @property
    def embedding_error(self) -> Exception | None:
        """Why the last background embedding run stopped early, if it did."""
        return self._embedding.error

    def document(self, ref: str | int | Path) -> DocumentInfo:
        """Find a document by id, path, or unique file name."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            found = self.store.get_document_by_id(int(ref))
            if found:
                return found
        path = str(Path(str(ref)).expanduser().resolve())
        by_path = self.store.get_document(path)
        if by_path:
            return by_path
        named = [d for d in self.documents() if d.name == str(ref)]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            paths = ", ".join(d.path for d in named)
            raise DocumentNotFound(f"{ref!s} names several documents ({paths}); give the path")
        raise DocumentNotFound(f"no document {ref!s} in this workspace")

    def remove(self, ref: str | int | Path) -> DocumentInfo:
        """Remove a document and everything indexed from it; return what was removed.

        Its quotes and citations leave the answer log in the same transaction, then its
        answers leave the evaluation reports under ``eval/`` (``finish_redactions``).
        """
        doc = self.document(ref)
        self.store.delete_document(doc.id)
        self.finish_redactions()
        return doc

    def finish_redactions(self, busy: Collection[Path] = ()) -> int:
        """Remove deleted documents' text from the evaluation reports kept in the store and
        from run folders under ``eval/`` (after a crash, what a delete left to do). Folders
        in ``busy`` (still being written) wait for a later call, and so does the whole
        deletion while any run is live (its report, not written yet, may quote the
        document; the run's end calls this again). Return how many deletions are done."""
        # the eval package loads only when needed
        from dalin.eval.background import live_runs
        from dalin.eval.redaction import redact_report, redact_runs

        pending = self.store.pending_redactions()
        if not pending:
            return 0
        writing = live_runs(self.store)
        finished = 0
        for redaction_id, path, name in pending:
            self.store.redact_eval_reports(functools.partial(redact_report, name=name))
            if redact_runs(self.path / "eval", path, name, busy) and not writing:
                self.store.finish_redaction(redaction_id)
                finished += 1
        return finished

    # --- questions ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        documents: Sequence[int] = (),
        fusion: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first.

        Keyword (BM25 over Kiwi morphemes) and, once every chunk has a vector, dense search,
        fused as ``[retrieval]`` in ``dalin.toml`` says; ``fusion`` overrides it for one call
        ("weighted", "rrf", "lexical", "dense"). The glossary expands the query.
        """
        plan = self._search_plan(fusion)
        embedder = None if plan.fusion == "lexical" else self.embedder
        return hybrid.search(
            query,
            k,
            store=self.store,
            plan=plan,
            where=Filter(tuple(documents)),
            glossary=self.glossary(),
            embedder=embedder,
            dense_ready=lambda: embedder is not None and self._dense_ready(embedder.name),
        )

    def _search_plan(self, fusion: str | None) -> hybrid.SearchPlan:
        s = self.settings
        return hybrid.SearchPlan(
            fusion=fusion or s.fusion,
            dense_weight=s.dense_weight,
            dense_weight_non_korean=s.dense_weight_non_korean,
            dense_gate=s.dense_gate,
            rrf_k=s.rrf_k,
        )

    def _dense_ready(self, embedder: str) -> bool:
        """Whether every chunk has a vector from ``embedder`` (else search stays lexical)."""
        with_vectors, total = self.store.vector_coverage(embedder)
        return total > 0 and with_vectors == total

    def glossary(self) -> Glossary:
        """The workspace glossary (``glossary.txt``) over the domain pack's.

        Read again whenever either file changed (size or modification time), so an edit
        applies to the next question without re-reading both files for every one.
        """
        stamp = (self.files.stamp(PROFILE_NAME), self.files.stamp(GLOSSARY_NAME))
        if self._glossary is None or self._glossary[0] != stamp:
            text = self.files.read(GLOSSARY_NAME)
            glossary = glossary_from_text(text, self.profile().glossary, GLOSSARY_NAME)
            self._glossary = (stamp, glossary)
        return self._glossary[1]

    def glossary_entries(self) -> dict[str, tuple[str, ...]]:
        """The workspace's own glossary entries (``glossary.txt``; not the domain pack's)."""
        return parse_glossary(self.files.read(GLOSSARY_NAME) or "", GLOSSARY_NAME)

    def save_glossary(self, entries: Mapping[str, tuple[str, ...]]) -> str:
        """Replace the workspace's own glossary entries; return where they are kept."""
        self.files.write(GLOSSARY_NAME, format_entries(entries))
        return self.files.where(GLOSSARY_NAME)

    def model(self, spec: str | None = None, *, base_url: str | None = None) -> LLM | None:
        """The model that writes answers: ``spec`` or ``answer.llm`` from ``dalin.toml``.

        None means extractive answers (no model). Models are built once per workspace and
        reused; a local model's weights are loaded on first use and shared in the process.
        """
        name = (spec or self.settings.llm).strip()
        if name.lower() in ("", "extractive", "none"):
            return None
        url = base_url or self.settings.base_url or None
        key = (name, url)
        with self._lock:
            if key not in self._models:
                seconds = self.answer_seconds
                made = make_llm(
                    name,
                    base_url=url,
                    read_timeout=min(self.settings.timeout_seconds, seconds or math.inf),
                    dalin_key_hosts=self.api_key_hosts,
                )
                self._models[key] = WithDeadline(made, seconds) if seconds else made
            return self._models[key]

    def ask(
        self,
        question: str,
        *,
        k: int = 8,
        llm: LLM | str | None = None,
        base_url: str | None = None,
        history: Sequence[tuple[str, str]] = (),
        conversation: str = "",
        tools: bool | None = None,
        owner: str = "",
        documents: Sequence[int] = (),
    ) -> Answer:
        """Answer from the documents with numbered, checked citations, or say nothing was found.

        ``llm`` is a model or a model spec ("local", "deepseek:deepseek-chat"); by default
        the configured one. ``history`` holds earlier (question, answer) turns of a
        conversation; a follow-up is rewritten into a standalone query before searching.
        ``tools`` (default: ``answer.tools`` in ``dalin.toml``) offers this workspace's tools
        to a model that can call them. Every answer is logged in the workspace
        (``answer_log``), with the tool calls it made, under ``owner`` (who asked, e.g.
        "key:12"; conversations are listed to their owner). ``documents`` (ids, see
        :meth:`document`) keeps the question to those documents: search, tools and sources.
        """
        model = (
            llm
            if llm is not None and not isinstance(llm, str)
            else self.model(llm, base_url=base_url)
        )
        settings = self.settings
        options = AskOptions(
            k=k,
            min_coverage=settings.min_coverage,
            gate=bundled_gate() if settings.confidence_gate else None,
            max_answer_tokens=settings.max_answer_tokens,
            temperature=settings.temperature,
            krw_per_usd=settings.krw_per_usd,
            prices=prices_with(settings.prices) if settings.prices else None,
            equivalents=lambda query: self.glossary().expand(query).equivalents(),
            agent_limits=AgentLimits(
                max_steps=settings.tool_steps, max_seconds=settings.tool_seconds
            ),
            verify=settings.verify,
            verifier=self.model(settings.verifier_llm) if settings.verifier_llm else None,
            # one read of a document's tables per question, however often the reader asks
            sources=Sources(
                tables=functools.lru_cache(maxsize=32)(self.store.tables),
                read=self._text_between,
                text_at=self._text_at,
                passages=functools.lru_cache(maxsize=8)(self.store.document_chunks),
            ),
        )
        wanted = settings.tools if tools is None else tools
        offered = self.tools(documents) if wanted and offers_tools(model) else []
        try:
            answer = answer_question(
                question,
                search=functools.partial(self.search, documents=documents),
                idf=self._idf,
                llm=model,
                profile=self.profile(),
                options=replace(options, tools=offered),
                history=history,
            )
        finally:
            for tool in offered:
                close = getattr(tool, "close", None)
                if callable(close):
                    close()
        self.store.log_answer({**log_entry(answer, conversation=conversation), "owner": owner})
        return answer

    def tools(self, documents: Sequence[int] = ()) -> list[Tool]:
        """This workspace's tools for a model (calculator, table_query, search), bound to it:
        no argument of theirs can reach another workspace (nor, given ``documents``, another
        document). Use them in the calling thread."""
        if not documents:
            return workspace_tools(self.search, self)
        search = functools.partial(self.search, documents=documents)
        return workspace_tools(search, ScopedTables(self, frozenset(documents)))

    def answer_log(
        self, limit: int = 50, conversation: str = "", owner: str | None = None
    ) -> list[dict[str, object]]:
        """Logged answers, newest first: question, sources, model, tokens, cost, latency
        (only one conversation's, and only one owner's, when given)."""
        return self.store.answer_log(limit, conversation, owner)

    def conversation(self, cid: str, owner: str | None = None) -> list[dict[str, object]]:
        """The logged turns of a conversation (only ``owner``'s, when given), oldest first.

        Raises:
            ConversationNotFound: no logged answer has this conversation id.
        """
        entries = self.answer_log(CONVERSATION_TURNS, conversation=cid, owner=owner) if cid else []
        if not entries:
            raise ConversationNotFound(
                f"no conversation {cid} in this workspace's answer log; `dalin chat` prints"
                f" its id / 대화 {cid}이(가) 답변 기록에 없습니다. `dalin chat` 이 id를 알려 줍니다"
            )
        return entries[::-1]

    def _idf(self, tokens: Sequence[str]) -> Mapping[str, float]:
        n = self.store.chunk_count()
        return {t: bm25_idf(df, n) for t, df in self.store.document_frequencies(tokens).items()}

    def _text_between(self, doc_id: int, start: int, end: int) -> str:
        """The stored text of a document from ``start`` to ``end`` (what chunks hold)."""
        return text_between(self.store.chunks_in_range(doc_id, start, end), start, end)

    def _text_at(self, doc_id: int, start: int, end: int) -> str:
        """The stored text of a document from ``start`` to ``end`` at its own offsets."""
        return text_at(self.store.chunks_in_range(doc_id, start, end), start, end)

    def content(self, ref: str | int | Path) -> DocumentContent:
        """What dalin read from a document (by id, path or unique name): its text in
        document order under the labels citations use, and its tables."""
        found = self.document(ref)
        # as the document list shows it: with its count of vectors
        doc = next((d for d in self.documents() if d.id == found.id), found)
        return document_content(doc, self.store.document_chunks(doc.id), self.store.tables(doc.id))

    def tables(self, ref: int | str) -> list[StoredTable]:
        """The tables of a document (by id, path or unique name), cells and provenance kept."""
        return self.store.tables(self.document(ref).id)

    def passage(self, ref: int | str, start: int, end: int) -> Passage:
        """The stored chunks of a document covering ``[start, end)`` (document offsets).

        Text between two chunks that no chunk holds (blank lines) is shown as one line
        break; ``Passage.highlight`` accounts for it.

        Raises:
            DocumentNotFound: no such document, or no chunk of it overlaps the span.
        """
        doc = self.document(ref)
        chunks = self.store.chunks_in_range(doc.id, start, end) if end > start else []
        if not chunks:
            raise DocumentNotFound(f"{doc.name} holds no text at {start}-{end}")
        return passage_of(doc, chunks, start, end)

    def profile(self) -> Profile:
        """The domain profile (role, instructions, style, glossary), read again whenever
        ``profile.toml`` changed."""
        stamp = self.files.stamp(PROFILE_NAME)
        if self._profile is None or self._profile[0] != stamp:
            self._profile = (stamp, parse_profile(self.files.read(PROFILE_NAME), PROFILE_NAME))
        return self._profile[1]

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self._embedding.stop(EMBED_STOP_SECONDS)
        self._close_embedder()
        with self._lock:
            models, self._models = list(self._models.values()), {}
            if self._workers is not None and self._own_workers:
                self._workers.close()
            self._workers = None
        for model in models:  # an API model's HTTP client
            close = getattr(model, "close", None)
            if callable(close):
                close()
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
