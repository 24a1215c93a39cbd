"""What a user reads about a failure, in Korean and English: one catalogue for every surface.

Every error dalin raises carries a stable ``code`` (:mod:`dalin.errors`); a failed document
keeps its code in the store. This module turns a code into a *category* (what kind of
problem, a few words: ``암호 또는 배포용 보호``) and a *remedy* (what to do about it), in
the user's language. The CLI prints them, the REST API sends them as ``message`` beside
``code``, the web UI shows what the API sent, and MCP tools answer with them. The
exception's own text stays the English *detail* (which file, which limit, which server).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dalin.errors import DalinError

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")


@dataclass(frozen=True)
class Entry:
    """One code's wording: (Korean, English) each."""

    category: tuple[str, str]
    remedy: tuple[str, str]
    #: the category in two or three words, where a line is short (`dalin docs` at 80
    #: columns); the category itself when not given
    short: tuple[str, str] | None = None


_LOCAL_INSTALL_KO = (
    "소스 폴더에서 `make local` 을 실행하거나, docs/models.md 의 이식용 CMAKE_ARGS와 함께"
    " `pip install 'dalin[local]'` 로 설치하세요 (llama.cpp 컴파일, 2코어에서 약 7분)."
    " 또는 --llm 으로 다른 모델을 쓰세요 (모델 없이: --llm extractive)."
)
_LOCAL_INSTALL_EN = (
    "Run `make local` in a source checkout, or `pip install 'dalin[local]'` with the portable"
    " CMAKE_ARGS of docs/models.md (llama.cpp compiles, about 7 minutes on 2 cores). Or pick"
    " another model with --llm (without a model: --llm extractive)."
)

CATALOGUE: dict[str, Entry] = {
    # --- files that could not be read (ParseError codes, and the pipeline's own) ----------
    "unsupported": Entry(
        ("지원하지 않는 형식", "unsupported format"),
        (
            "HWP, HWPX, PDF, DOCX, XLSX, PPTX, CSV, TXT 같은 지원 형식으로 저장해 다시 추가하세요.",
            "Save it in a supported format (HWP, HWPX, PDF, DOCX, XLSX, PPTX, CSV, TXT, …)"
            " and add it again.",
        ),
        short=("지원하지 않는 형식", "unsupported type"),
    ),
    "reader_missing": Entry(
        ("읽을 프로그램이 없음", "needs a program that is not installed"),
        (
            "LibreOffice를 설치한 뒤 다시 추가하세요: sudo apt-get install"
            " libreoffice-writer-nogui libreoffice-impress-nogui. 또는 최신 형식(.docx,"
            " .pptx, .hwpx)으로 저장하세요.",
            "Install LibreOffice and add it again: sudo apt-get install"
            " libreoffice-writer-nogui libreoffice-impress-nogui. Or save it in a current"
            " format (.docx, .pptx, .hwpx).",
        ),
    ),
    "empty": Entry(
        ("빈 파일이거나 글자가 없음", "empty, or holds no text"),
        (
            "내용이 있는 파일인지 확인하세요. 스캔한 문서라면 OCR이 필요합니다.",
            "Check that the file has content; a scanned document needs OCR.",
        ),
        short=("내용 없음", "no text"),
    ),
    "no_text_layer": Entry(
        ("글자가 없는 이미지(스캔)", "an image without text (a scan)"),
        (
            "OCR을 설치하면 읽을 수 있습니다: sudo apt-get install tesseract-ocr"
            " tesseract-ocr-kor. 이미 설치했다면 더 선명하게 스캔해 보세요.",
            "Install OCR to read it: sudo apt-get install tesseract-ocr tesseract-ocr-kor."
            " If it is installed, try a sharper scan.",
        ),
        short=("스캔 이미지 (OCR 필요)", "scan, needs OCR"),
    ),
    "encrypted": Entry(
        ("암호 또는 배포용 보호", "password or distribution protected"),
        (
            "한글·Word·Acrobat에서 암호나 배포용 보호를 풀고 다시 저장한 뒤 추가하세요.",
            "Remove the password or protection in 한글, Word or Acrobat, save, and add it again.",
        ),
        short=("암호로 보호됨", "password protected"),
    ),
    "corrupt": Entry(
        ("손상되었거나 형식이 맞지 않음", "damaged, or not the format its name says"),
        (
            "원래 프로그램에서 열어 다시 저장하거나, 파일 확장자가 맞는지 확인하세요.",
            "Open it in its own program and save it again, or check the file's extension.",
        ),
        short=("손상된 파일", "damaged file"),
    ),
    "undecodable": Entry(
        ("문자 인코딩을 알 수 없음", "unknown text encoding"),
        ("UTF-8로 다시 저장한 뒤 추가하세요.", "Save it as UTF-8 and add it again."),
        short=("인코딩을 알 수 없음", "unknown encoding"),
    ),
    "limit_exceeded": Entry(
        ("안전 한도를 넘음", "over a safety limit"),
        (
            "파일을 나누세요. 믿을 수 있는 파일이면 dalin.toml [ingest]의 max_file_mb,"
            " max_seconds, max_memory_mb 를 늘리세요.",
            "Split the file; if you trust it, raise max_file_mb, max_seconds or"
            " max_memory_mb in dalin.toml [ingest].",
        ),
        short=("안전 한도 초과", "over a safety limit"),
    ),
    "parse_error": Entry(
        ("읽는 중 오류", "could not be read"),
        (
            "원래 프로그램에서 다시 저장해 보세요.",
            "Try saving it again from its own program.",
        ),
        short=("읽기 오류", "read error"),
    ),
    "not_found": Entry(
        ("파일이 없음", "file not found"),
        (
            "경로를 확인하세요. 옮기거나 지운 파일이면 dalin rm 으로 목록에서 빼세요.",
            "Check the path; for a moved or deleted file, take it off the list with dalin rm.",
        ),
        short=("파일 없음", "file not found"),
    ),
    "unreadable": Entry(
        ("파일을 열 수 없음", "the file cannot be opened"),
        (
            "파일 권한을 확인하세요. 다른 프로그램이 잠갔을 수도 있습니다.",
            "Check the file's permissions; another program may hold it locked.",
        ),
        short=("읽을 수 없음", "cannot be read"),
    ),
    "bad_name": Entry(
        ("쓸 수 없는 파일 이름", "a file name that cannot be used"),
        (
            "파일 이름을 바꿔(경로 문자나 제어 문자 없이) 다시 올리세요.",
            "Rename the file (no path or control characters) and upload it again.",
        ),
    ),
    "duplicate_name": Entry(
        ("같은 이름의 파일이 함께 올라옴", "two files of one upload share a name"),
        (
            "이름을 하나 바꾸거나 따로 올리세요.",
            "Rename one of them, or upload them separately.",
        ),
    ),
    "not_indexed": Entry(
        ("색인되지 않음", "not indexed"),
        (
            "다시 올려 보세요. 계속되면 서버 기록을 확인하세요.",
            "Upload it again; if it keeps happening, check the server log.",
        ),
    ),
    # --- models ---------------------------------------------------------------------------
    "llm_error": Entry(
        ("모델이 답하지 못함", "the model could not answer"),
        (
            "잠시 뒤 다시 해 보세요. 모델 없이 답하려면 --llm extractive.",
            "Try again in a moment; to answer without a model: --llm extractive.",
        ),
    ),
    "llm_bad_spec": Entry(
        ("모델 이름 형식이 틀림", "a model name dalin cannot read"),
        (
            'dalin.toml [answer] llm 이나 --llm 에 "extractive", "local",'
            ' "deepseek:deepseek-chat", "openai:모델" 중 하나를 쓰세요.',
            'Set dalin.toml [answer] llm or --llm to "extractive", "local",'
            ' "deepseek:deepseek-chat" or "openai:MODEL".',
        ),
    ),
    "llm_unavailable": Entry(
        ("이 컴퓨터에서 쓸 수 없는 모델", "a model that cannot run here"),
        (
            "모델 파일 경로를 확인하세요. 모델 없이 답하려면 --llm extractive.",
            "Check the model file's path; to answer without a model: --llm extractive.",
        ),
    ),
    "local_model_missing": Entry(
        ("로컬 모델이 설치되지 않음", "the local model is not installed"),
        (_LOCAL_INSTALL_KO, _LOCAL_INSTALL_EN),
    ),
    "llm_unreachable": Entry(
        ("모델 서버에 연결할 수 없음", "cannot reach the model server"),
        (
            "서버가 켜져 있는지, base_url(보통 /v1로 끝남)이 맞는지 확인하세요.",
            "Check that the server runs and that base_url (usually ending in /v1) is right.",
        ),
    ),
    "llm_auth": Entry(
        ("API 키가 거부됨", "the API key was refused"),
        (
            "DALIN_API_KEY(또는 DEEPSEEK_API_KEY, OPENAI_API_KEY)가 맞는지, 잔액이 있는지"
            " 확인하세요.",
            "Check DALIN_API_KEY (or DEEPSEEK_API_KEY, OPENAI_API_KEY) and the account's balance.",
        ),
    ),
    "llm_model_not_found": Entry(
        ("서버에 없는 모델", "the server does not have that model"),
        (
            "모델 이름을 확인하세요. 서버가 제공하는 모델은 자세한 내용에 있습니다.",
            "Check the model name; the details list the models the server offers.",
        ),
    ),
    "llm_context_overflow": Entry(
        ("모델이 한 번에 읽을 수 있는 양을 넘음", "too long for the model's context"),
        (
            "질문을 짧게 하거나 dalin.toml [answer] max_answer_tokens 를 줄이세요.",
            "Ask a shorter question, or lower max_answer_tokens in dalin.toml [answer].",
        ),
    ),
    "llm_rate_limited": Entry(
        ("요청이 너무 많음", "too many requests"),
        (
            "1분쯤 뒤 다시 하세요. 자주 그러면 제공자에게 한도를 늘려 달라고 하세요.",
            "Try again in a minute; if it keeps happening, ask the provider for a higher limit.",
        ),
    ),
    "llm_server_error": Entry(
        ("모델 서버 오류", "the model server failed"),
        ("잠시 뒤 다시 해 보세요.", "Try again in a moment."),
    ),
    "llm_tools_unsupported": Entry(
        ("모델이 도구를 쓸 수 없음", "the model cannot call tools"),
        (
            "dalin.toml [answer] tools = false 로 끄거나, 도구를 지원하는 모델을 쓰세요.",
            "Set tools = false in dalin.toml [answer], or use a model that calls tools.",
        ),
    ),
    # --- meaning search (vectors) ---------------------------------------------------------
    "embedder_error": Entry(
        ("의미 검색 준비 실패", "meaning search could not be prepared"),
        (
            "키워드 검색은 됩니다. 원인을 고친 뒤 dalin embed 로 이어서 하세요.",
            "Keyword search works; fix the cause, then go on with dalin embed.",
        ),
    ),
    "embedder_unreachable": Entry(
        ("임베딩 서버에 연결할 수 없음", "cannot reach the embedding server"),
        (
            "서버와 embed_base_url 을 확인한 뒤 dalin embed 로 이어서 하세요.",
            "Check the server and embed_base_url, then go on with dalin embed.",
        ),
    ),
    "embedder_auth": Entry(
        ("임베딩 서버가 API 키를 거부함", "the embedding server refused the API key"),
        ("DALIN_EMBED_API_KEY 를 확인하세요.", "Check DALIN_EMBED_API_KEY."),
    ),
    "embedder_bad_response": Entry(
        ("임베딩 서버의 응답이 잘못됨", "the embedding server answered wrongly"),
        (
            "embed_base_url 이 /v1 로 끝나는 API 주소인지, 서버의 모델이 바뀌지 않았는지"
            " 확인하세요.",
            "Check that embed_base_url is the API (ending in /v1) and that the server's"
            " model has not changed.",
        ),
    ),
    # --- workspaces, settings, store ------------------------------------------------------
    "workspace_error": Entry(
        ("작업공간을 열 수 없음", "the workspace cannot be opened"),
        (
            "자세한 내용에 나온 파일을 확인하세요.",
            "Check the file named in the details.",
        ),
    ),
    "workspace_not_found": Entry(
        ("작업공간이 없음", "no workspace"),
        (
            "dalin init 으로 만들거나 -w 로 위치를 알려 주세요.",
            "Create one with dalin init, or point to one with -w.",
        ),
    ),
    "workspace_exists": Entry(
        ("이미 작업공간이 있음", "a workspace is already there"),
        (
            "그대로 쓰거나(dalin add) 다른 폴더를 고르세요.",
            "Use it as it is (dalin add), or choose another folder.",
        ),
    ),
    "bad_settings": Entry(
        ("설정 파일(dalin.toml) 오류", "a mistake in the settings (dalin.toml)"),
        (
            "자세한 내용에 나온 줄을 고치세요. 줄을 지우면 기본값으로 돌아갑니다.",
            "Fix the line named in the details; deleting a line restores its default.",
        ),
    ),
    "store_error": Entry(
        ("색인 데이터베이스 오류", "the index database failed"),
        (
            "디스크 공간과 권한을 확인하세요.",
            "Check the disk space and the folder's permissions.",
        ),
    ),
    "schema_too_new": Entry(
        ("더 새 버전의 dalin이 만든 작업공간", "made by a newer dalin"),
        ("dalin을 새 버전으로 올리세요.", "Upgrade dalin."),
    ),
    "document_not_found": Entry(
        ("그런 문서가 없음", "no such document"),
        (
            "dalin docs 로 이름을 확인하세요. 이름이 겹치면 경로를 쓰세요.",
            "Check the name with dalin docs; give the path when names repeat.",
        ),
    ),
    "conversation_not_found": Entry(
        ("그런 대화가 없음", "no such conversation"),
        (
            "대화 번호를 확인하세요. 다른 사람의 대화는 열 수 없습니다.",
            "Check the conversation's id; another person's conversations cannot be opened.",
        ),
    ),
    # --- evaluation and tools -------------------------------------------------------------
    "eval_error": Entry(
        ("질문 세트를 읽을 수 없음", "the question set cannot be read"),
        (
            "자세한 내용에 나온 파일과 줄을 고치세요(형식: docs/evaluation.md).",
            "Fix the file and line named in the details (format: docs/evaluation.md).",
        ),
    ),
    "tool_error": Entry(
        ("도구가 실패함", "a tool failed"),
        ("질문을 바꿔 다시 해 보세요.", "Rephrase the question and try again."),
    ),
    "calculation_error": Entry(
        ("계산할 수 없는 식", "an expression that cannot be computed"),
        ("식을 고쳐 보세요.", "Correct the expression."),
    ),
    "tool_argument_error": Entry(
        ("도구에 맞지 않는 입력", "arguments the tool does not take"),
        ("입력을 고쳐 보세요.", "Correct the arguments."),
    ),
    "query_refused": Entry(
        ("실행하지 않는 질의", "a query the table tool will not run"),
        (
            "SELECT 하나만, 5초 안에 끝나게 쓰세요.",
            "Write one SELECT that finishes within 5 seconds.",
        ),
    ),
    "eval_cancelled": Entry(
        ("평가를 취소함", "the evaluation was cancelled"),
        (
            "여기까지의 답은 실행 폴더에 남아 있습니다. 같은 명령으로 이어서 하세요.",
            "The answers so far stay in the run folder; run the same command to resume.",
        ),
    ),
    # --- dalin serve ----------------------------------------------------------------------
    "serve_error": Entry(
        ("서버가 요청을 거절함", "the server refused the request"),
        ("자세한 내용을 확인하세요.", "See the details."),
    ),
    "busy": Entry(
        ("질문이 몰려 기다리는 중", "too many questions at once"),
        (
            "몇 초 뒤 다시 해 보세요(Retry-After).",
            "Try again in a few seconds (Retry-After).",
        ),
    ),
    "quota_exceeded": Entry(
        ("작업공간 용량 한도를 넘음", "over the workspace's storage quota"),
        (
            "안 쓰는 문서를 지우거나 관리자에게 한도를 늘려 달라고 하세요.",
            "Delete documents you no longer need, or ask an admin for a larger quota.",
        ),
    ),
    "model_not_allowed": Entry(
        ("이 작업공간에서 쓸 수 없는 모델", "a model this workspace may not use"),
        (
            "설정된 모델을 쓰거나 관리자에게 허용해 달라고 하세요.",
            "Use the configured model, or ask an admin to allow this one.",
        ),
    ),
    "last_admin_key": Entry(
        ("마지막 관리자 키", "the last admin key"),
        (
            "다른 관리자 키를 먼저 만든 뒤 지우세요.",
            "Create another admin key first, then delete this one.",
        ),
    ),
    "error": Entry(
        ("오류", "error"),
        ("자세한 내용을 확인하세요.", "See the details."),
    ),
}


@dataclass(frozen=True)
class Explanation:
    """A failure as a user reads it."""

    code: str
    #: what kind of problem, in a few words
    category: str
    #: what to do about it
    remedy: str
    #: the specifics in English (file, limit, server), "" when there are none
    detail: str = ""

    def line(self) -> str:
        """Category and remedy in one line: ``암호 또는 배포용 보호. 한글·Word…``."""
        return f"{self.category}. {self.remedy}"


def language(value: str | None) -> Language:
    """``ko`` or ``en`` from a language tag or an Accept-Language header; Korean by default."""
    for part in (value or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ko"):
            return "ko"
        if tag.startswith("en"):
            return "en"
    return "ko"


#: codes whose category and remedy say all there is (no file, limit or server to name): a
#: surface may show their catalogue line alone, in the user's language
SELF_CONTAINED = frozenset({"local_model_missing"})


def entry(code: str) -> Entry:
    """The catalogue entry of ``code``; an unknown code reads as a generic error."""
    return CATALOGUE.get(code) or CATALOGUE["error"]


def category(code: str, lang: str) -> str:
    """What kind of problem ``code`` is, in a few words."""
    return _pick(entry(code).category, lang)


def short_category(code: str, lang: str) -> str:
    """``code``'s category in a few words, for a one-line list."""
    found = entry(code)
    return _pick(found.short or found.category, lang)


def remedy(code: str, lang: str) -> str:
    """What to do about ``code``."""
    return _pick(entry(code).remedy, lang)


def explain(code: str, lang: str, detail: str = "") -> Explanation:
    """``code`` with its category and remedy in ``lang``, and the English ``detail``."""
    found = entry(code)
    return Explanation(code, _pick(found.category, lang), _pick(found.remedy, lang), detail)


def explain_error(exc: DalinError, lang: str) -> Explanation:
    """An exception dalin raised, explained: its code's wording and its own text as detail."""
    return explain(exc.code, lang, str(exc))


def bilingual(code: str) -> str:
    """``code``'s category and remedy in Korean, then English: what the REST API and MCP
    append to an error's own text."""
    found = entry(code)
    ko, en = (f"{c}. {r}" for c, r in zip(found.category, found.remedy, strict=True))
    return f"{ko} / {en}"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ko" else pair[1]
