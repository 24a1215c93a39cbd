"""The library API: one Workspace per folder, used by every surface (CLI, API, web, MCP)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from dalin.answer.ask import AskOptions, answer_question, log_entry
from dalin.answer.extractive import bm25_idf
from dalin.config import CONFIG_NAME, DEFAULT_CONFIG, Settings, load_settings
from dalin.errors import DocumentNotFound, WorkspaceExists, WorkspaceNotFound
from dalin.ingest.pipeline import Ingestor, ProgressCallback
from dalin.ingest.worker import ParseWorkers
from dalin.llm.base import LLM
from dalin.llm.cost import prices_with
from dalin.llm.registry import make_llm
from dalin.profiles import DEFAULT_PACK, PROFILE_NAME, Profile, load_profile, pack_text
from dalin.stores.sqlite import SQLiteStore
from dalin.text.korean import tokenize
from dalin.types import Answer, DocumentInfo, Filter, Hit, IngestReport, StoredTable

DB_NAME = "dalin.db"


class Workspace:
    """A folder holding one store (``dalin.db``) and its settings (``dalin.toml``)."""

    def __init__(self, path: Path, store: SQLiteStore, settings: Settings) -> None:
        self.path = path
        self.store = store
        self.settings = settings
        self._workers: ParseWorkers | None = None
        self._models: dict[tuple[str, str | None], LLM] = {}

    @classmethod
    def create(cls, path: str | Path, *, domain: str = DEFAULT_PACK) -> Workspace:
        """Make a new workspace in ``path`` (created if missing; must not hold one already).

        ``domain`` names the pack that seeds ``profile.toml`` (see ``dalin.profiles.packs``).
        """
        folder = Path(path).expanduser().resolve()
        if (folder / DB_NAME).exists():
            raise WorkspaceExists(f"a workspace already exists in {folder}")
        profile = pack_text(domain)  # an unknown pack fails before anything is written
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / CONFIG_NAME
        if not config.exists():
            config.write_text(DEFAULT_CONFIG, encoding="utf-8")
        if not (folder / PROFILE_NAME).exists():
            (folder / PROFILE_NAME).write_text(profile, encoding="utf-8")
        return cls(folder, SQLiteStore(folder / DB_NAME), load_settings(folder))

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open the workspace in ``path``."""
        folder = Path(path).expanduser().resolve()
        if not (folder / DB_NAME).is_file():
            raise WorkspaceNotFound(
                f"no dalin workspace in {folder}; create one with `dalin init {path}`"
            )
        settings = load_settings(folder)
        return cls(folder, SQLiteStore(folder / DB_NAME), settings)

    # --- documents ---------------------------------------------------------------------------

    def add(
        self, paths: Iterable[str | Path], *, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Index files and folders (recursively); unchanged files are skipped."""
        if self._workers is None:  # started on first use, kept until close()
            self._workers = ParseWorkers(self.settings.limits, self.settings.worker_count)
        ingestor = Ingestor(
            self.store,
            self._workers,
            limits=self.settings.limits,
            max_chunk_chars=self.settings.max_chunk_chars,
        )
        return ingestor.add(paths, skip=(self.path,), progress=progress)

    def documents(self) -> list[DocumentInfo]:
        """Every document the workspace knows, indexed or failed, by path."""
        return self.store.documents()

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
        """Remove a document and everything indexed from it; return what was removed."""
        doc = self.document(ref)
        self.store.delete_document(doc.id)
        return doc

    # --- questions ---------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, *, documents: Sequence[int] = ()) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first."""
        return self.store.keyword_search(tokenize(query), k, Filter(tuple(documents)))

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
        if key not in self._models:
            self._models[key] = make_llm(
                name, base_url=url, read_timeout=self.settings.timeout_seconds
            )
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
    ) -> Answer:
        """Answer from the documents with numbered, checked citations, or say nothing was found.

        ``llm`` is a model or a model spec ("local", "deepseek:deepseek-chat"); by default
        the configured one. ``history`` holds earlier (question, answer) turns of a
        conversation; a follow-up is rewritten into a standalone query before searching.
        Every answer is logged in the workspace (``answer_log``).
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
            max_answer_tokens=settings.max_answer_tokens,
            temperature=settings.temperature,
            krw_per_usd=settings.krw_per_usd,
            prices=prices_with(settings.prices) if settings.prices else None,
        )
        answer = answer_question(
            question,
            search=self.search,
            idf=self._idf,
            llm=model,
            profile=self.profile(),
            options=options,
            history=history,
        )
        self.store.log_answer(log_entry(answer, conversation=conversation))
        return answer

    def answer_log(self, limit: int = 50, conversation: str = "") -> list[dict[str, object]]:
        """Logged answers, newest first: question, sources, model, tokens, cost, latency."""
        return self.store.answer_log(limit, conversation)

    def _idf(self, tokens: Sequence[str]) -> Mapping[str, float]:
        n = self.store.chunk_count()
        return {t: bm25_idf(df, n) for t, df in self.store.document_frequencies(tokens).items()}

    def tables(self, ref: int | str) -> list[StoredTable]:
        """The tables of a document (by id, path or unique name), cells and provenance kept."""
        return self.store.tables(self.document(ref).id)

    def profile(self) -> Profile:
        """The domain profile (role, instructions, style, glossary), read fresh each time."""
        return load_profile(self.path)

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None
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
