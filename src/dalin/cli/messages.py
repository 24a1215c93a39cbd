"""Korean and English messages of the command line; failures are worded by the library's
catalogue (:mod:`dalin.messages`), which the REST API, the web UI and MCP share."""

from __future__ import annotations

from dalin.messages import SELF_CONTAINED, explain

MESSAGES: dict[str, tuple[str, str]] = {
    "db.no_owner_url": (
        "스키마 소유 역할의 주소가 필요합니다: --owner-url 또는 DALIN_DATABASE_OWNER_URL",
        "The schema owner's URL is needed: --owner-url or DALIN_DATABASE_OWNER_URL",
    ),
    "db.no_url": (
        "PostgreSQL 주소가 필요합니다: DALIN_DATABASE_URL을 설정하세요",
        "The PostgreSQL URL is needed: set DALIN_DATABASE_URL",
    ),
    "db.migrated": (
        "스키마 버전 {version}, 앱 역할 {role} 권한 부여 완료",
        "Schema at version {version}; app role {role} granted",
    ),
    "db.ok": (
        "데이터베이스 정상: 스키마 최신, 앱 역할은 RLS를 우회할 수 없음, 내구성 설정 켜짐"
        " · 작업공간 {workspaces}개",
        "Database ready: schema current, the app role cannot bypass RLS, durability on"
        " · {workspaces} workspaces",
    ),
    "migrate.progress": ("옮기는 중", "Copying"),
    "eval.runs.none": (
        "이 작업공간에 저장된 평가 실행이 없습니다.",
        "No evaluation runs are kept in this workspace.",
    ),
    "eval.runs.unknown": ("평가 실행 {run_id}이(가) 없습니다.", "No evaluation run {run_id}."),
    "eval.runs.no_report": (
        "평가 실행 {run_id}에는 보고서가 없습니다 (상태: {status}).",
        "Evaluation run {run_id} has no report (status: {status}).",
    ),
    "eval.runs.written": ("보고서를 썼습니다: {html}", "Wrote the report: {html}"),
    "worker.started": (
        "작업자 {name} 시작: 대기열을 기다립니다",
        "Worker {name} started: waiting for jobs",
    ),
    "queue.done": (
        "대기열에 {jobs}개 파일을 넣었습니다: `dalin worker` 가 색인합니다",
        "Queued {jobs} files: `dalin worker` indexes them",
    ),
    "queue.not_postgres": (
        '--queue 는 PostgreSQL 작업공간에서만 씁니다 ([store] backend = "postgres")',
        '--queue needs a workspace in PostgreSQL ([store] backend = "postgres")',
    ),
    "worker.stopped": ("작업자 멈춤: 작업 {jobs}개 처리", "Worker stopped after {jobs} jobs"),
    "migrate.no_folder": (
        "내보낼 폴더를 지정하세요: dalin migrate --to sqlite <폴더>",
        "Name the folder to export to: dalin migrate --to sqlite <folder>",
    ),
    "migrate.bad_target": (
        "--to 는 postgres 또는 sqlite 입니다 ({to} 아님)",
        "--to is postgres or sqlite (not {to})",
    ),
    "migrate.done": (
        "옮김: 문서 {documents} · 조각 {chunks} · 표 {tables} · 벡터 {vectors}"
        " · 답변 기록 {answers} · 평가 실행 {evaluations} · 파일 {files} · 올린 원본 {uploads}",
        "copied: documents {documents} · chunks {chunks} · tables {tables} · vectors {vectors}"
        " · logged answers {answers} · evaluation runs {evaluations} · files {files}"
        " · uploaded originals {uploads}",
    ),
    "migrate.checked": (
        "확인: 개수 일치, 검색 {queries}건의 상위 10개 일치율 {agreement:.1%}",
        "checked: every count equal; {queries} searches agree on {agreement:.1%} of their top 10",
    ),
    "migrate.switched": (
        "{folder} 는 이제 데이터베이스를 가리킵니다"
        " (dalin.db 와 dalin.toml.sqlite 는 그대로 둡니다)",
        "{folder} now points to the database (dalin.db and dalin.toml.sqlite are kept)",
    ),
    "init.done": ("작업공간을 만들었습니다: {path}", "Created a workspace in {path}"),
    "init.next": (
        '다음 단계: dalin add <폴더나 파일>  →  dalin ask "질문"',
        'Next: dalin add <folder or file>  →  dalin ask "question"',
    ),
    "add.progress": ("색인 중", "Indexing"),
    "add.summary": (
        "추가 {added} · 교체 {replaced} · 변경 없음 {unchanged} · 실패 {failed} · 단락 {chunks}",
        "added {added} · replaced {replaced} · unchanged {unchanged} · failed {failed}"
        " · passages {chunks}",
    ),
    "add.failed_title": ("읽지 못한 파일", "Files that could not be read"),
    "add.skipped": (
        "건너뛴 파일 {n}개 (달인이 읽지 않는 형식, 오류 아님): {files}",
        "Skipped {n} files (types dalin does not read; not an error): {files}",
    ),
    "add.skipped_more": ("외 {n}개", "and {n} more"),
    "embed.searchable_now": (
        "이제 키워드로 검색할 수 있습니다. 이어서 의미 검색을 준비합니다"
        " (Ctrl-C로 멈춰도 되고, 나중에 dalin embed 로 이어서 합니다).",
        "Documents are searchable by keyword now; preparing meaning search"
        " (Ctrl-C is safe: dalin embed carries on later).",
    ),
    "embed.progress": ("의미 검색 준비", "Preparing meaning search"),
    "embed.left": ("남은 시간 약 {time}", "about {time} left"),
    "embed.left_unknown": ("남은 시간 계산 중", "estimating time left"),
    "embed.seconds": ("{n}초", "{n} s"),
    "embed.minutes": ("{n}분", "{n} min"),
    "embed.hours": ("{h}시간 {m}분", "{h} h {m} min"),
    "embed.status": (
        "의미 검색 준비: 단락 {done}/{total}",
        "ready for meaning search: {done}/{total} passages",
    ),
    "embed.later": (
        "의미 검색은 아직 준비되지 않았습니다 (단락 {n}개):"
        " 시간이 날 때 dalin embed 로 준비하세요.",
        "Meaning search is not ready yet ({n} passages): run dalin embed when there is time.",
    ),
    "embed.off": (
        '의미 검색이 꺼져 있습니다 (dalin.toml [retrieval] embedder = "none").',
        'Meaning search is off (dalin.toml [retrieval] embedder = "none").',
    ),
    "embed.interrupted": (
        "멈췄습니다. 여기까지 준비한 것은 저장되어 있습니다. 이어서 하려면: {command}",
        "Stopped. What was prepared so far is saved; to carry on: {command}",
    ),
    "embed.failed": (
        "의미 검색 준비를 마치지 못했습니다. 키워드 검색은 됩니다. 다시 하려면: {command}",
        "Meaning search could not be prepared; keyword search works. To retry: {command}",
    ),
    "col.file": ("파일", "File"),
    "col.reason": ("이유", "Reason"),
    "col.status": ("상태", "Status"),
    "col.chunks": ("단락", "Passages"),
    "col.tables": ("표", "Tables"),
    "col.vectors": ("의미검색", "Semantic"),
    "col.score": ("점수", "Score"),
    "col.source": ("출처", "Source"),
    "col.text": ("내용", "Text"),
    "search.none": ("일치하는 내용이 없습니다.", "Nothing matched."),
    "glossary.empty": (
        '용어 사전이 비어 있습니다. 추가: dalin glossary add "부가세 = 부가가치세" ({file})',
        'The glossary is empty. Add: dalin glossary add "VAT = value added tax" ({file})',
    ),
    "glossary.term": ("용어", "Term"),
    "glossary.words": ("같은 뜻", "Also means"),
    "glossary.source": ("출처 파일", "From"),
    "glossary.bad_entry": (
        "'용어 = 동의어, 동의어' 형식으로 적어 주세요.",
        "Write `term = synonym, synonym`.",
    ),
    "glossary.added": ("{term} = {words}", "{term} = {words}"),
    "glossary.no_term": ("사전에 없는 용어입니다: {term}", "No such term in the glossary: {term}"),
    "glossary.removed": ("지웠습니다: {term}", "Removed: {term}"),
    "glossary.unchanged": ("바뀐 것이 없습니다.", "Nothing changed."),
    "glossary.saved": ("{count}개 항목을 저장했습니다: {file}", "Saved {count} entries to {file}"),
    "glossary.no_match": ("사전에 걸리는 용어가 없습니다.", "No glossary term in that question."),
    "ask.sources": ("출처", "Sources"),
    "ask.flags": (
        "검사에서 걸린 문장 (모델이 쓴 그대로)",
        "Sentences the check flagged (as the model wrote them)",
    ),
    "ask.flag_replaced": ("→ 문서의 문장으로 바꿈 [{n}]", "→ replaced by the source's words [{n}]"),
    "ask.flag_removed": (
        "→ 이미 보여 드린 문서의 문장과 같아 뺌",
        "→ removed: the source's words are already shown",
    ),
    "ask.flag_marked": ("→ 표시만 함", "→ marked"),
    "ask.verified": (
        "검증 모델 {model}: 토큰 {prompt}+{completion}, {cost}, {seconds:.2f}초",
        "verifier {model}: tokens {prompt}+{completion}, {cost}, {seconds:.2f}s",
    ),
    "ask.verify_failed": (
        "검증 모델이 판단하지 못했습니다: {error}",
        "The verifier gave no verdict: {error}",
    ),
    "ask.thinking": ("답을 찾는 중…", "Finding the answer…"),
    "ask.removed": (
        "모델이 인용한 {numbers}번은 주어진 출처가 아니어서 지웠습니다.",
        "The model cited {numbers}, which it was not given as sources; removed.",
    ),
    "ask.tools": ("사용한 도구 {n}회", "Tools used: {n} calls"),
    "ask.cost_unknown": (
        "비용: 이 모델의 가격이 설정에 없음 ([prices])",
        "cost: no price for this model ([prices])",
    ),
    "chat.hello": (
        "질문을 입력하세요. 이어지는 질문은 앞의 대화를 이어받습니다. 끝내려면 /q 또는 Ctrl-D.",
        "Ask a question; follow-ups keep the conversation's context. /q or Ctrl-D to quit.",
    ),
    "chat.query": ("검색어: {query}", "searched for: {query}"),
    "chat.id": (
        "대화 {id} · 나중에 이어서: dalin chat --resume {id}",
        "Conversation {id} · continue later with: dalin chat --resume {id}",
    ),
    "chat.unknown": (
        "답변 기록에 대화 {id}이(가) 없습니다. `dalin chat` 을 시작할 때 보여 주는 id를 쓰세요",
        "No conversation {id} in the answer log; use the id `dalin chat` shows when it starts",
    ),
    "chat.resumed": (
        "이전 질문 {n}개에 이어서 묻습니다.",
        "Continuing after {n} earlier questions.",
    ),
    "export.written": ("Markdown으로 저장했습니다: {path}", "Saved as Markdown: {path}"),
    "export.failed": (
        "{path} 에 쓸 수 없습니다 ({error}). 다른 경로를 지정하세요",
        "Could not write {path} ({error}); give another path",
    ),
    "scope.unknown": (
        "문서 {ref}을(를) 찾을 수 없습니다. `dalin docs` 로 이름을 확인하세요",
        "No document {ref} in this workspace; see the names with `dalin docs`",
    ),
    "scope.several": (
        "{ref} 이름의 문서가 여럿입니다 ({paths}). 경로나 id로 지정하세요",
        "Several documents are named {ref} ({paths}); give the path or the id",
    ),
    "show.failed": (
        "이 문서는 읽지 못했습니다: {error}",
        "dalin could not read this document: {error}",
    ),
    "show.tables_hint": (
        "표 {n}개: dalin show {name} --tables 로 표 모양으로 봅니다",
        "{n} tables: dalin show {name} --tables draws them as tables",
    ),
    "show.no_tables": ("이 문서에는 표가 없습니다.", "This document has no tables."),
    "docs.none": (
        "아직 문서가 없습니다. dalin add <폴더> 로 추가하세요.",
        "No documents yet. Add some with: dalin add <folder>",
    ),
    "docs.total": (
        "문서 {n}개 · 색인됨 {ok} · 실패 {failed}",
        "{n} documents · {ok} indexed · {failed} failed",
    ),
    "status.indexed": ("색인됨", "indexed"),
    "status.failed": ("실패", "failed"),
    "status.ocr": (
        "OCR로 읽은 쪽 {pages}, 최저 신뢰도 {low}%",
        "{pages} page(s) read by OCR, lowest confidence {low}%",
    ),
    "status.stale": ("색인됨 (최근 갱신 실패)", "indexed (last update failed)"),
    "status.ocr_short": ("OCR {pages}쪽, 최저 {low}%", "OCR {pages} p., lowest {low}%"),
    "docs.detail_hint": (
        "실패한 문서의 자세한 이유와 해결 방법: dalin docs <파일 이름>",
        "Why a document failed and what to do: dalin docs <file name>",
    ),
    "detail.name": ("이름", "Name"),
    "detail.path": ("경로", "Path"),
    "detail.id": ("번호", "Id"),
    "detail.format": ("형식", "Format"),
    "detail.size": ("크기", "Size"),
    "detail.hash": ("해시 (SHA-256)", "Hash (SHA-256)"),
    "detail.indexed_at": ("색인 시각", "Indexed at"),
    "detail.status": ("상태", "Status"),
    "detail.pages": ("쪽", "Pages"),
    "detail.chars": ("글자 수", "Characters"),
    "detail.ocr": ("OCR", "OCR"),
    "detail.reason": ("이유", "Reason"),
    "detail.remedy": ("해결 방법", "What to do"),
    "detail.dense_off": ("꺼짐 (dalin.toml의 [retrieval] embedder)", "off ([retrieval] embedder)"),
    "rm.done": ("삭제했습니다: {path} (조각 {chunks}개)", "Removed {path} ({chunks} chunks)"),
    "serve.offer": (
        "이 폴더의 작업공간을 웹과 API로 제공할까요? {folder}",
        "Serve the workspace of this folder on the web and the APIs? {folder}",
    ),
    "serve.hint": (
        "이 폴더의 작업공간을 제공하려면: dalin serve --workspace {folder}",
        "To serve the workspace of this folder: dalin serve --workspace {folder}",
    ),
    "serve.attached": (
        "dalin: 작업공간 {folder} 을(를) '{slug}' 이름으로 제공합니다 (문서를 다시 올릴 필요 없음)",
        "dalin: serving the workspace {folder} as '{slug}' (no need to upload its documents)",
    ),
    "error": ("오류: {message}", "Error: {message}"),
    "watch.following": ("따라가는 폴더: {folder}", "Following {folder}"),
    "watch.ready": (
        "변경 사항을 지켜보는 중입니다. 멈추려면 Ctrl-C.",
        "Watching for changes; Ctrl-C stops.",
    ),
    "watch.synced": ("폴더 {n}개와 맞췄습니다.", "In step with {n} folder(s)."),
    "watch.stopped": ("지켜보기를 멈췄습니다.", "Stopped watching."),
    "watch.none": (
        "따라갈 폴더가 없습니다. dalin watch <폴더> 로 지정하세요.",
        "No folders to follow; name one: dalin watch <folder>",
    ),
    "watch.forgot": (
        "더 이상 따라가지 않습니다: {folder} (색인된 문서는 남습니다)",
        "No longer following {folder} (its documents stay indexed)",
    ),
    "watch.not_followed": ("따라가던 폴더가 아닙니다: {folder}", "Not a followed folder: {folder}"),
    "no_workspace": (
        "작업공간을 찾지 못했습니다. `dalin init` 으로 만들거나 -w 로 위치를 지정하세요.",
        "No workspace found. Create one with `dalin init` or point to one with -w.",
    ),
    # --- dalin eval run ------------------------------------------------------------------
    "eval.out_dir": ("결과 폴더: {path}", "Run folder: {path}"),
    "eval.progress": ("평가 중", "Evaluating"),
    "eval.indexed": (
        "평가용 작업공간 {path}: 색인 {added} · 실패 {failed} · 지움 {removed}",
        "Evaluation workspace {path}: indexed {added} · failed {failed} · removed {removed}",
    ),
    "eval.no_examples": (
        "예제 질문 세트가 없습니다 ({path}). 소스 체크아웃에서 실행하거나 질문 세트 파일을 주세요.",
        "No example question set in {path}; run from a source checkout or give a question-set"
        " file.",
    ),
    "eval.bad_baseline": (
        "기준 보고서를 읽을 수 없습니다: {path} ({reason})",
        "Cannot read the baseline report {path} ({reason})",
    ),
    "eval.cheapest": (
        "정확도 {bar} 이상인 모델 중 가장 저렴한 것: {config}",
        "Cheapest model with accuracy ≥ {bar}: {config}",
    ),
    "eval.none_meets": (
        "가격을 아는 모델 중 정확도 {bar}에 이르는 것이 없습니다.",
        "No model of known price reaches accuracy {bar}.",
    ),
    "eval.errors": (
        "답하지 못한 질문 {n}건 (보고서의 오류 참고)",
        "{n} questions could not be answered (see the errors in the report)",
    ),
    "eval.report": ("보고서: {path}", "Report: {path}"),
    "eval.report_json": ("보고서 JSON: {path}", "Report JSON: {path}"),
    "eval.gate_passed": ("회귀 검사 통과", "Regression gate passed"),
    "eval.gate_failed": ("회귀 검사 실패", "Regression gate failed"),
    "eval.interrupted": (
        "중단했습니다. 여기까지의 답은 저장되어 있습니다. 이어서 하려면: {command}",
        "Stopped. The answers so far are saved; to resume: {command}",
    ),
}


def coded(code: str, lang: str) -> str | None:
    """The library catalogue's line for a code that needs no detail, in ``lang``; None for
    the others (their own text names the file, limit or server)."""
    return explain(code, lang).line() if code in SELF_CONTAINED else None


def message(key: str, lang: str, **values: object) -> str:
    ko, en = MESSAGES[key]
    return (ko if lang == "ko" else en).format(**values)


def reason(code: str, detail: str, lang: str) -> str:
    """A failure as the user reads it, from the library's catalogue (:mod:`dalin.messages`):
    the category in their language, the detail, then what to do."""
    said = explain(code, lang, detail)
    return f"{said.category}: {detail} → {said.remedy}"
