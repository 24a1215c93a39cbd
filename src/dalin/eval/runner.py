"""Ask every question of a set with every configuration, durably, resumably, in parallel.

Results go to a run folder (see ``dalin.eval.run_folder``) one by one as they finish, so
an interrupted run resumes where it stopped. An error answering one question (any
``DalinError``) is recorded in its result and the run goes on.

Concurrency: ``concurrency`` worker threads, each with its own Workspace, because a SQLite
connection belongs to the thread that opened it. A local (llama.cpp) model answers one
prompt at a time whatever the concurrency, so keep ``concurrency=1`` when the configurations
are extractive or local: more threads only queue on the model's lock. Use more for API
models, with ``requests_per_minute`` to stay under the provider's limit.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dalin.errors import DalinError, EvalCancelled, EvalError, LLMError
from dalin.eval.aggregate import summarise_all
from dalin.eval.judge import Judge
from dalin.eval.run_folder import (
    REPORT_NAME,
    RESULTS_NAME,
    ResultLog,
    RunManifest,
    prepare_run_folder,
    read_results,
    write_durably,
)
from dalin.eval.schema import QuestionItem, QuestionResult, RunReport
from dalin.eval.scoring import error_result, score_answer
from dalin.llm.base import LLM, Event, Message, ToolSpec, offers_tools
from dalin.workspace import Workspace

#: backends that cost nothing per request and need no rate limit
UNLIMITED_BACKENDS = frozenset({"extractive", "none", "local"})

#: a configuration: a model spec ("extractive", "local", "deepseek:deepseek-chat"), or a
#: model object (tests, and callers with a model of their own), named by its ``name``
Config = str | LLM
Progress = Callable[[int, int], None]
# How often the main thread wakes while waiting for a result, so Ctrl-C is seen at once.
_POLL_SECONDS = 0.2


def run_evaluation(
    workspace_path: str | Path | Workspace,
    items: Sequence[QuestionItem],
    configs: Sequence[Config],
    *,
    out_dir: Path,
    k: int = 8,
    concurrency: int = 1,
    requests_per_minute: float | None = None,
    judge_spec: str | LLM | None = None,
    base_url: str | None = None,
    question_set: str = "",
    resume: bool = True,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    stop: threading.Event | None = None,
) -> RunReport:
    """Ask every item with every configuration; return the report (also in ``out_dir``).

    Args:
        workspace_path: the workspace's folder, or an open Workspace to share between the
            workers (it must be safe across threads, as ``Workspace`` is).
        stop: set it to cancel the run: the answers in flight are recorded, no new one is
            asked, and ``EvalCancelled`` is raised (the folder resumes like after Ctrl-C).
        judge_spec: the model that judges long answers (see ``dalin.eval.judge``).
        requests_per_minute: a limit per API configuration (and for the judge); extractive
            and local configurations are never limited.
        resume: False discards the results already in ``out_dir`` and starts over.
        progress: called with (pairs done, pairs in all), resumed pairs included.
        clock, sleep: the time source of the rate limiter (a fake one in tests).

    Raises:
        EvalError: bad arguments, or ``out_dir`` holds a different run (and ``resume``).
        DalinError: the workspace cannot be opened or a model spec cannot be read; errors
            answering one question are recorded in its result instead.
    """
    names = config_names(configs)
    _check_arguments(items, k, concurrency, requests_per_minute)
    shared = workspace_path if isinstance(workspace_path, Workspace) else None
    path = shared.path if shared else Path(workspace_path)  # type: ignore[arg-type]
    judge_name = _check_models(_opened(path, shared), configs, judge_spec, base_url)
    manifest = RunManifest.create(question_set, items, names, k, judge_name)
    manifest = prepare_run_folder(out_dir, manifest, resume=resume)
    done = {(r.question_id, r.config): r for r in read_results(out_dir / RESULTS_NAME)}
    tasks = [_Task(i, n) for i in items for n in names if (i.id, n) not in done]
    total = len(items) * len(names)
    context = _Context(
        workspace_path=path,
        shared=shared,
        k=k,
        base_url=base_url,
        objects={c.name: c for c in configs if not isinstance(c, str)},
        judge=judge_spec,
        limiters=_limiters([*names, judge_name], requests_per_minute, clock, sleep),
        conversation=f"eval:{manifest.run_id}",
    )
    if progress:
        progress(total - len(tasks), total)
    with ResultLog(out_dir / RESULTS_NAME) as log:

        def record(result: QuestionResult) -> None:
            log.append(result)
            done[(result.question_id, result.config)] = result
            if progress:
                progress(total - len(tasks) + log.appended, total)

        _execute(tasks, context, record, concurrency, stop)
    if stop is not None and stop.is_set() and len(done) < total:
        raise EvalCancelled(
            f"cancelled after {len(done)} of {total} answers"
            f" / {total}개 중 {len(done)}개를 답한 뒤 취소됨"
        )
    return _finish(out_dir, manifest, items, names, done)


def _opened(path: Path, shared: Workspace | None) -> AbstractContextManager[Workspace]:
    """The shared workspace (left open), else the one in ``path`` (closed after use)."""
    return nullcontext(shared) if shared is not None else Workspace.open(path)


def config_names(configs: Sequence[Config]) -> list[str]:
    """The name of each configuration: its spec, or a model object's ``name``; all distinct."""
    names = [c.strip() if isinstance(c, str) else c.name for c in configs]
    if not names:
        raise EvalError("no configuration to evaluate: give at least one model")
    duplicates = _repeated(names)
    if duplicates:
        raise EvalError(f"configurations named more than once: {', '.join(duplicates)}")
    return names


def is_rate_limited(config: str) -> bool:
    """Whether a configuration calls a metered API (anything but extractive and local)."""
    return config.partition(":")[0].strip().lower() not in UNLIMITED_BACKENDS | {""}


def _check_arguments(
    items: Sequence[QuestionItem], k: int, concurrency: int, rpm: float | None
) -> None:
    if not items:
        raise EvalError("the question set is empty: nothing to evaluate")
    duplicates = _repeated([i.id for i in items])
    if duplicates:
        raise EvalError(f"question ids used more than once: {', '.join(duplicates[:10])}")
    if k < 1 or concurrency < 1:
        raise EvalError(f"k and concurrency must be at least 1 (got k={k}, {concurrency=})")
    if rpm is not None and rpm <= 0:
        raise EvalError(f"requests per minute must be positive (got {rpm})")


def _repeated(values: Sequence[str]) -> list[str]:
    return sorted(value for value, n in Counter(values).items() if n > 1)


def _check_models(
    opened: AbstractContextManager[Workspace],
    configs: Sequence[Config],
    judge: str | LLM | None,
    base_url: str | None,
) -> str:
    """Open the workspace and build each model once, here, so that a missing workspace or a
    misspelt spec stops the run before any question is asked; return the judge's name."""
    with opened as ws:
        for config in configs:
            if isinstance(config, str):
                ws.model(config, base_url=base_url)
        if judge is None or not isinstance(judge, str):
            return "" if judge is None else judge.name
        if ws.model(judge, base_url=base_url) is None:
            raise EvalError(f"the judge must be a model, not {judge!r}")
        return judge.strip()


def _finish(
    out_dir: Path,
    manifest: RunManifest,
    items: Sequence[QuestionItem],
    names: Sequence[str],
    done: Mapping[tuple[str, str], QuestionResult],
) -> RunReport:
    # items × configurations order, whatever order the answers came in
    results = tuple(done[(i.id, n)] for i in items for n in names)
    report = RunReport(
        run_id=manifest.run_id,
        question_set=manifest.question_set,
        started_at=manifest.started_at,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        k=manifest.k,
        summaries=summarise_all(results, names),
        results=results,
        judge=manifest.judge,
    )
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_durably(out_dir / REPORT_NAME, text)
    return report


# --- rate limiting -----------------------------------------------------------------------------


class TokenBucket:
    """At most ``per_minute`` requests a minute: a burst of ``burst``, then evenly spaced.

    A caller takes a token under the lock, letting the count go negative, and sleeps off
    the debt outside it: waiting threads are then served in arrival order without holding
    the lock (the "virtual scheduling" form of the token bucket, ITU-T I.371 GCRA).
    """

    def __init__(
        self,
        per_minute: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise EvalError(f"a rate limit needs per_minute > 0 and burst ≥ 1 ({per_minute=})")
        self._interval = 60.0 / per_minute
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a request may go; return the seconds waited."""
        with self._lock:
            now = self._clock()
            earned = (now - self._updated) / self._interval
            self._tokens = min(self._burst, self._tokens + earned) - 1
            self._updated = now
            wait = -self._tokens * self._interval if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


def _limiters(
    names: Sequence[str],
    per_minute: float | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> dict[str, TokenBucket]:
    """One bucket per API model, shared by all workers (the judge shares its model's)."""
    if per_minute is None:
        return {}
    metered = dict.fromkeys(n for n in names if n and is_rate_limited(n))
    return {n: TokenBucket(per_minute, clock=clock, sleep=sleep) for n in metered}


# --- answering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    item: QuestionItem
    config: str


@dataclass(frozen=True)
class _Context:
    """What every worker needs to answer a pair (all of it safe to share between threads)."""

    workspace_path: Path
    #: a workspace the workers share (None: each opens its own)
    shared: Workspace | None
    k: int
    base_url: str | None
    #: configurations given as model objects, by name
    objects: Mapping[str, LLM]
    judge: str | LLM | None
    limiters: Mapping[str, TokenBucket]
    #: the answer log's conversation id, so evaluation answers can be told from users' ones
    conversation: str


class _Watched:
    """A model that remembers the LLMError its last stream raised; optionally rate-limited.

    ``Workspace.ask`` answers extractively when a model fails in passing (unreachable, 429,
    5xx), which is right for a user but would credit the model with an answer it did not
    give; the runner looks here and records an error instead.
    """

    def __init__(self, llm: LLM, limiter: TokenBucket | None = None) -> None:
        self.name = llm.name
        self.context_window = llm.context_window
        self.supports_tools = offers_tools(llm)
        self.failure: LLMError | None = None
        self._llm = llm
        self._limiter = limiter

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        if self._limiter is not None:
            self._limiter.acquire()
        return self._watch(messages, max_tokens, temperature, tools)

    def _watch(
        self,
        messages: Sequence[Message],
        max_tokens: int,
        temperature: float,
        tools: Sequence[ToolSpec],
    ) -> Iterator[Event]:
        try:
            if tools:  # only to a model that can call them; older ones take no ``tools``
                yield from self._llm.stream(
                    messages, max_tokens=max_tokens, temperature=temperature, tools=tools
                )
            else:
                yield from self._llm.stream(
                    messages, max_tokens=max_tokens, temperature=temperature
                )
        except LLMError as exc:
            self.failure = exc
            raise

    def count_tokens(self, text: str) -> int:
        return self._llm.count_tokens(text)


class _Answerer:
    """Answers and scores pairs with one worker's Workspace; its models are built once."""

    def __init__(self, ws: Workspace, context: _Context) -> None:
        self._ws = ws
        self._context = context
        self._models: dict[str, _Watched | None] = {}
        self._judge: Judge | None = None

    def answer(self, task: _Task) -> QuestionResult:
        """The scored result, or an error result when a dalin error stopped the answer."""
        try:
            return self._answer(task)
        except DalinError as exc:
            return error_result(task.item, task.config, exc)

    def _answer(self, task: _Task) -> QuestionResult:
        context = self._context
        model = self._model(task.config)
        limiter = context.limiters.get(task.config)
        if limiter is not None:  # waited here, so the wait is not part of the answer's latency
            limiter.acquire()
        if model is not None:
            model.failure = None
        answer = self._ws.ask(
            task.item.question,
            k=context.k,
            llm=model if model is not None else "extractive",
            conversation=context.conversation,
        )
        if model is not None and model.failure is not None:
            return error_result(
                task.item, task.config, model.failure, total_seconds=answer.total_seconds
            )
        return score_answer(
            task.item, answer, config=task.config, k=context.k, judge=self._judge_()
        )

    def _model(self, config: str) -> _Watched | None:
        if config not in self._models:
            given = self._context.objects.get(config)
            llm = given or self._ws.model(config, base_url=self._context.base_url)
            self._models[config] = _Watched(llm) if llm is not None else None
        return self._models[config]

    def _judge_(self) -> Judge | None:
        spec = self._context.judge
        if spec is None or self._judge is not None:
            return self._judge
        llm = (
            self._ws.model(spec, base_url=self._context.base_url) if isinstance(spec, str) else spec
        )
        if llm is None:  # refused before the run started; kept for the type checker
            raise EvalError(f"the judge must be a model, not {spec!r}")
        self._judge = Judge(_Watched(llm, self._context.limiters.get(llm.name)))
        return self._judge


# --- the worker pool ---------------------------------------------------------------------------

_Finished = QuestionResult | BaseException


def _execute(
    tasks: Sequence[_Task],
    context: _Context,
    record: Callable[[QuestionResult], None],
    concurrency: int,
    cancel: threading.Event | None = None,
) -> None:
    """Answer ``tasks`` on ``concurrency`` threads; ``record`` each result on this thread.

    Only this thread writes the results file. On Ctrl-C, or once ``cancel`` is set, the
    workers finish the answers in flight (already paid for), which are recorded, and take
    no new ones.
    """
    if not tasks:
        return
    todo: queue.SimpleQueue[_Task] = queue.SimpleQueue()
    for task in tasks:
        todo.put(task)
    finished: queue.SimpleQueue[_Finished] = queue.SimpleQueue()
    stop = cancel or threading.Event()
    workers = min(concurrency, len(tasks))
    # A worker starts a pair only when a slot is free, and a slot frees when its result is
    # recorded: answers never pile up ahead of the (fsync'd) results file, so Ctrl-C leaves
    # at most ``workers`` answers to finish beyond what was recorded.
    slots = threading.Semaphore(workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dalin-eval") as pool:
        futures = [pool.submit(_work, context, todo, finished, stop, slots) for _ in range(workers)]
        try:
            for _ in tasks:
                result = _next_result(finished, futures, stop)
                if result is None:  # cancelled, and every answer in flight recorded
                    break
                record(result)
                slots.release()
        except KeyboardInterrupt:
            stop.set()
            _drain(finished, futures, record)
            raise
        except BaseException:
            stop.set()
            raise


def _work(
    context: _Context,
    todo: queue.SimpleQueue[_Task],
    finished: queue.SimpleQueue[_Finished],
    stop: threading.Event,
    slots: threading.Semaphore,
) -> None:
    """One worker: its own Workspace, pairs taken from ``todo`` until none are left."""
    try:
        with _opened(context.workspace_path, context.shared) as ws:
            answerer = _Answerer(ws, context)
            while not stop.is_set():
                if not slots.acquire(timeout=_POLL_SECONDS):
                    continue
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                finished.put(answerer.answer(task))
    except BaseException as exc:  # a bug, not a dalin error: the main thread stops the run
        finished.put(exc)


def _next_result(
    finished: queue.SimpleQueue[_Finished], futures: Sequence[Future[None]], stop: threading.Event
) -> QuestionResult | None:
    """The next result; None once the run was stopped and the workers have all exited."""
    while True:
        try:
            got = finished.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if all(f.done() for f in futures) and finished.empty():
                if stop.is_set():
                    return None
                raise EvalError(
                    "the evaluation workers stopped before every pair was answered"
                ) from None
            continue
        if isinstance(got, BaseException):
            raise got
        return got


def _drain(
    finished: queue.SimpleQueue[_Finished],
    futures: Sequence[Future[None]],
    record: Callable[[QuestionResult], None],
) -> None:
    """Record what the workers still finish after a stop, until all of them have exited."""
    while not (all(f.done() for f in futures) and finished.empty()):
        try:
            got = finished.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            continue
        if isinstance(got, QuestionResult):
            record(got)
