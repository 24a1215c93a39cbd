"""Regenerate the bundled example documents in ``examples/``.

This is a developer tool, not used by dalin at run time. All content is defined in this
file so that the generated documents can be regenerated and reviewed in a diff. Every
company, product, price and phone number in it is fictional and was written for dalin.

Needs (developer machine only, not dalin dependencies):

* python-docx  - ``pip install python-docx``   (writes 취업규칙.docx)
* reportlab    - ``pip install reportlab``     (writes 제품설명서_HB-200.pdf)
* a NanumGothic TTF - Debian/Ubuntu: ``apt-get install fonts-nanum`` (SIL Open Font
  Licence; reportlab embeds only the glyphs used). Set ``DALIN_FONT_DIR`` to a folder
  holding NanumGothic.ttf if it lives somewhere unusual.

Usage, from the repository root::

    .venv/bin/python examples/tools/build_examples.py

It writes 취업규칙.docx, 제품설명서_HB-200.pdf, 가격표_2025.md, 고객센터_FAQ.txt (CP949 on
purpose), 출장비_규정.html and English_quick_start.md next to this folder. README.md and
questions.jsonl in ``examples/`` are written by hand and refer to this content: change them
together.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent.parent / "documents"
FIXED_TIME = datetime(2025, 2, 14, 9, 0, 0, tzinfo=UTC)
COMPANY = "(주)한빛정밀"

# --------------------------------------------------------------------------------------
# Shared light markup used by the work rules (docx) and the travel rules (html)
#
#   # text        heading level 1 (chapter, 부칙, 별표)
#   | a | b |     table row; the first row of a block is the header
#   other lines   paragraph text; consecutive lines are joined with one space,
#                 a blank line ends the paragraph
# --------------------------------------------------------------------------------------

HO = re.compile(r"^\d{1,2}\. ")  # 호: "1. "
MOK = re.compile(r"^[가-하]\. ")  # 목: "가. "


def parse_markup(source: str) -> list[tuple[str, Any]]:
    """Split markup into ("heading", text), ("para", text) and ("table", rows) items."""
    items: list[tuple[str, Any]] = []
    lines: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if lines:
            items.append(("para", " ".join(lines)))
            lines.clear()
        if rows:
            items.append(("table", [list(r) for r in rows]))
            rows.clear()

    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            items.append(("heading", line[2:].strip()))
        elif line.startswith("|"):
            if lines:
                flush()
            rows.append([c.strip() for c in line.strip("|").split("|")])
        else:
            if rows:
                flush()
            lines.append(line)
    flush()
    return items


# --------------------------------------------------------------------------------------
# 1. 취업규칙.docx
# --------------------------------------------------------------------------------------

WORK_RULES = """
# 제1장 총칙

제1조(목적) 이 규칙은 (주)한빛정밀(이하 "회사"라 한다)에 근무하는 직원의 채용,
근로조건, 복무규율 및 그 밖의 인사에 관한 사항을 정함을 목적으로 한다.

제2조(적용범위) ① 이 규칙은 회사에 근무하는 모든 직원에게 적용한다.

② 기간제 및 단시간 직원의 근로조건은 이 규칙에서 정한 것 외에 개별 근로계약으로
따로 정할 수 있다.

③ 이 규칙에서 정하지 아니한 사항은 「근로기준법」 등 관계 법령에서 정하는 바에 따른다.

제3조(용어의 정의) 이 규칙에서 사용하는 용어의 뜻은 다음과 같다.

1. "직원"이란 회사와 근로계약을 체결하고 근로를 제공하는 사람을 말한다.

2. "수습직원"이란 신규로 채용되어 제7조에 따른 수습기간 중에 있는 직원을 말한다.

3. "부서장"이란 생산팀, 품질관리팀, 영업팀, 경영지원팀 등 각 부서의 장을 말한다.

제4조(차별금지) 회사는 직원의 성별, 국적, 신앙, 연령, 혼인 여부, 장애 또는 사회적
신분 등을 이유로 근로조건에 관하여 차별하지 아니한다.

# 제2장 채용 및 근로계약

제5조(채용) ① 회사는 필요한 인원을 공개 모집 또는 추천의 방법으로 채용한다.

② 채용이 확정된 사람은 입사일까지 다음 각 호의 서류를 경영지원팀에 제출하여야 한다.

1. 이력서 1부

2. 최종학교 졸업증명서 1부

3. 자격증 사본 1부(해당자에 한한다)

4. 급여 이체용 본인 명의 통장 사본 1부

③ 회사는 제2항의 서류를 채용 및 인사관리 목적으로만 사용하며, 「개인정보 보호법」에
따라 관리한다.

제6조(근로계약) ① 회사는 직원을 채용할 때 다음 각 호의 사항을 적은 근로계약서를
2부 작성하여 그중 1부를 직원에게 내준다.

1. 임금의 구성항목·계산방법·지급방법

2. 소정근로시간 및 휴게시간

3. 휴일 및 연차유급휴가

4. 근무 장소와 종사할 업무

② 근로계약의 내용이 바뀐 경우에도 제1항과 같다.

제7조(수습기간) ① 신규로 채용된 직원은 입사일부터 3개월간을 수습기간으로 한다.
다만, 경력직원은 부서장의 요청에 따라 수습기간을 줄이거나 두지 아니할 수 있다.

② 수습기간 중의 임금과 그 밖의 근로조건은 정규 직원과 같다.

③ 회사는 수습기간이 끝나기 15일 전까지 수습직원의 근무태도, 업무능력 및 안전수칙
준수 여부를 평가하며, 평가 결과 업무 수행이 현저히 곤란하다고 인정되는 경우에는
본채용을 하지 아니할 수 있다.

④ 수습기간은 근속기간에 포함한다.

# 제3장 근로시간 및 휴일

제8조(근로시간) ① 근로시간은 휴게시간을 제외하고 1일 8시간, 1주 40시간으로 한다.

② 시업시각은 09:00, 종업시각은 18:00로 한다.

③ 휴게시간은 12:00부터 13:00까지 1시간으로 하며, 직원은 휴게시간을 자유롭게 이용할
수 있다.

④ 설비 점검 등 업무상 필요한 경우 회사는 직원대표와 협의하여 제2항 및 제3항의 시각을
부서별로 달리 정할 수 있다.

제9조(연장·야간 및 휴일근로) ① 연장근로는 직원과 합의하여 1주 12시간을 한도로 한다.

② 회사는 연장근로, 야간근로(22:00부터 다음 날 06:00까지의 근로) 및 휴일근로에
대하여 통상임금의 100분의 50 이상을 가산하여 지급한다. 다만, 휴일근로 중 8시간을
초과한 시간에 대하여는 통상임금의 100분의 100을 가산하여 지급한다.

③ 연장·야간 또는 휴일근로를 하려는 직원은 미리 부서장의 승인을 받아야 한다.

제10조(휴일) ① 회사의 휴일은 다음 각 호와 같으며, 모두 유급으로 한다.

1. 주휴일: 매주 일요일

2. 근로자의 날: 5월 1일

3. 「관공서의 공휴일에 관한 규정」에 따른 공휴일 및 대체공휴일

② 토요일은 무급휴무일로 한다.

제11조(휴일의 대체) ① 회사는 납기 등 업무상 부득이한 경우 직원대표와 서면으로
합의하여 제10조제1항제3호의 휴일을 다른 근로일로 대체할 수 있다.

② 제1항에 따라 휴일을 대체하는 경우 회사는 늦어도 3일 전까지 해당 직원에게 대체할
날을 알려야 한다.

# 제4장 휴가 및 휴직

제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다.

② 회사는 계속하여 근로한 기간이 1년 미만인 직원 또는 1년간 80퍼센트 미만 출근한
직원에게 1개월 개근 시 1일의 유급휴가를 준다.

③ 회사는 3년 이상 계속하여 근로한 직원에게는 제1항에 따른 휴가에 최초 1년을 초과하는
계속 근로 연수 매 2년에 대하여 1일을 가산한 유급휴가를 준다. 이 경우 가산휴가를
포함한 총 휴가 일수는 25일을 한도로 한다.

④ 근속연수별 연차휴가 일수는 별표 1과 같다.

⑤ 연차휴가를 사용하려는 직원은 사용하려는 날의 3일 전까지 전자결재로 휴가신청서를
제출하여야 한다. 회사는 직원이 청구한 시기에 휴가를 주어야 한다. 다만, 그 시기에
휴가를 주는 것이 사업 운영에 막대한 지장이 있는 경우에는 그 시기를 변경할 수 있다.

⑥ 연차휴가는 반일(4시간) 단위로 나누어 사용할 수 있으며, 반일 휴가 2회는 연차휴가
1일로 본다.

⑦ 연차휴가는 1년간 사용하지 아니하면 소멸한다. 다만, 회사가 「근로기준법」 제61조에
따라 사용을 촉진한 경우가 아니면 사용하지 못한 휴가 일수만큼 연차휴가수당을 지급한다.

제13조(경조휴가) ① 회사는 직원이 다음 표의 어느 하나에 해당하는 경우 신청에 따라
유급의 경조휴가를 준다.

| 구분 | 대상 | 휴가일수 |
| 결혼 | 본인 | 5일 |
| 결혼 | 자녀 | 1일 |
| 출산 | 배우자 | 20일 |
| 사망 | 배우자, 본인 및 배우자의 부모 | 5일 |
| 사망 | 자녀 및 자녀의 배우자 | 3일 |
| 사망 | 본인 및 배우자의 조부모·외조부모 | 3일 |
| 사망 | 본인 및 배우자의 형제자매 | 1일 |

② 경조휴가 일수에는 휴일을 포함하지 아니한다. 다만, 배우자 출산휴가는 배우자가
출산한 날부터 120일 이내에 사용하여야 한다.

③ 경조휴가를 사용한 직원은 휴가가 끝난 날부터 7일 이내에 청첩장, 가족관계증명서 등
증빙서류를 경영지원팀에 제출하여야 한다.

제14조(병가) ① 회사는 업무 외의 질병 또는 부상으로 근무할 수 없는 직원이 신청하는
경우 연간 30일의 범위에서 병가를 줄 수 있다.

② 병가는 무급으로 한다. 다만, 직원이 원하는 경우 남은 연차휴가로 대체할 수 있다.

③ 연속하여 7일 이상 병가를 사용하는 직원은 의사의 진단서를 제출하여야 한다.

제15조(출산전후휴가 및 육아휴직) ① 회사는 임신 중인 여성 직원에게 출산 전과 출산 후를
통하여 90일(한 번에 둘 이상 자녀를 임신한 경우에는 120일)의 출산전후휴가를 준다.

② 회사는 만 8세 이하 또는 초등학교 2학년 이하의 자녀를 양육하기 위하여 신청하는
직원에게 육아휴직을 허용한다. 육아휴직의 기간과 그 밖의 사항은 「남녀고용평등과
일·가정 양립 지원에 관한 법률」에서 정하는 바에 따른다.

# 제5장 임금 및 퇴직급여

제16조(임금의 구성) 직원의 임금은 기본급과 다음 각 호의 수당으로 구성한다.

1. 직책수당: 팀장 이상의 직책을 맡은 직원에게 월 200,000원

2. 자격수당: 회사가 업무와 관련 있다고 인정하는 국가기술자격을 가진 직원에게 다음 각
목의 구분에 따라 지급하며, 둘 이상의 자격을 가진 경우에는 가장 높은 금액 하나만 지급한다.

가. 기능장 또는 기술사: 월 100,000원

나. 기사 또는 산업기사: 월 50,000원

다. 기능사: 월 30,000원

3. 연장·야간·휴일근로수당: 제9조제2항에 따라 산정한 금액

제17조(임금의 계산 및 지급) ① 임금은 매월 1일부터 말일까지를 기준으로 계산하여 다음
달 10일에 직원 본인 명의의 예금계좌로 지급한다.

② 지급일이 휴일인 경우에는 그 전날에 지급한다.

③ 회사는 임금을 지급할 때 임금의 구성항목·계산방법 및 공제 내역을 적은 임금명세서를
전자우편으로 직원에게 교부한다.

제18조(퇴직급여) ① 회사는 1년 이상 계속 근로한 직원이 퇴직하는 경우
「근로자퇴직급여 보장법」에 따른 퇴직급여를 지급한다.

② 회사는 확정기여형 퇴직연금제도를 설정하며, 매년 직원의 연간 임금총액의 12분의 1
이상을 부담금으로 납입한다.

# 제6장 복무

제19조(복무의무) 직원은 다음 각 호의 사항을 지켜야 한다.

1. 맡은 업무를 성실히 수행하고 부서장의 정당한 업무상 지시에 따를 것

2. 작업장 안전수칙을 지키고 지정된 보호구(안전화, 보안경 등)를 착용할 것

3. 회사의 영업비밀과 고객의 도면·사양 정보를 외부에 누설하지 아니할 것

4. 회사의 설비, 공구 및 자재를 업무 외의 목적으로 사용하지 아니할 것

제20조(출퇴근 및 지각·조퇴·외출) ① 직원은 출근과 퇴근 시 출입카드로 근태를 기록하여야
한다.

② 질병이나 그 밖의 부득이한 사유로 지각하거나 결근하는 경우에는 시업시각 전까지
부서장에게 전화 또는 메신저로 알려야 한다.

③ 근무시간 중 조퇴하거나 외출하려는 직원은 부서장의 승인을 받아야 한다.

제21조(직장 내 괴롭힘 및 성희롱의 금지) ① 직원은 직장에서의 지위 또는 관계 등의
우위를 이용하여 업무상 적정범위를 넘어 다른 직원에게 신체적·정신적 고통을 주거나
근무환경을 악화시키는 행위를 하여서는 아니 된다.

② 누구든지 직장 내 괴롭힘 또는 성희롱 발생 사실을 알게 된 경우 경영지원팀 또는
고충처리위원에게 신고할 수 있으며, 회사는 신고를 이유로 신고자에게 불리한 처우를
하여서는 아니 된다.

③ 회사는 매년 1회 이상 직장 내 성희롱 예방교육과 직장 내 괴롭힘 예방교육을 실시한다.

# 제7장 퇴직 및 해고

제22조(퇴직 사유) 직원이 다음 각 호의 어느 하나에 해당하는 경우에는 퇴직으로 한다.

1. 본인이 퇴직을 원하여 사직서가 수리된 경우

2. 사망한 경우

3. 제24조에 따른 정년에 도달한 경우

4. 근로계약기간이 끝난 경우

제23조(퇴직 절차) ① 퇴직하려는 직원은 퇴직 예정일 30일 전까지 소속 부서장을 거쳐
대표이사에게 사직서를 제출하여야 한다.

② 퇴직하는 직원은 퇴직일 전까지 다음 각 호의 절차를 마쳐야 한다.

1. 담당 업무와 관련 서류·전자파일의 인수인계

2. 출입카드, 공구, 노트북 등 회사가 지급한 물품의 반납

3. 업무상 보관 중인 고객 도면과 자료의 반납 또는 폐기 확인

③ 회사는 직원이 퇴직한 경우 퇴직일부터 14일 이내에 임금, 퇴직급여 및 그 밖의 모든
금품을 지급한다. 다만, 특별한 사정이 있는 경우에는 당사자 사이의 합의로 지급 기일을
연장할 수 있다.

제24조(정년) 직원의 정년은 만 60세로 하며, 정년에 도달한 날이 속하는 달의 말일에
퇴직한다.

제25조(해고) ① 회사는 정당한 이유 없이 직원을 해고하지 아니한다.

② 회사가 직원을 해고하려면 해고 사유와 해고 시기를 서면으로 알려야 하며, 적어도
30일 전에 예고하지 아니하였을 때에는 30일분 이상의 통상임금을 지급한다.

# 제8장 징계

제26조(징계 사유) 회사는 직원이 다음 각 호의 어느 하나에 해당하는 경우 인사위원회의
의결을 거쳐 징계할 수 있다.

1. 정당한 이유 없이 연속하여 3일 이상 또는 한 달에 5일 이상 무단결근한 경우

2. 안전수칙을 고의로 위반하여 사고를 일으키거나 회사에 손해를 끼친 경우

3. 회사의 영업비밀 또는 고객의 도면을 외부에 유출한 경우

4. 제21조를 위반하여 직장 내 괴롭힘 또는 성희롱을 한 경우

5. 업무와 관련하여 금품이나 향응을 받은 경우

제27조(징계의 종류) 징계는 그 정도에 따라 다음 각 호와 같이 구분한다.

1. 견책: 시말서를 제출받고 서면으로 경고한다.

2. 감봉: 1회의 감액은 평균임금 1일분의 2분의 1을, 총액은 한 임금지급기 임금 총액의
10분의 1을 넘지 아니하는 범위에서 임금을 줄인다.

3. 정직: 1개월 이내의 기간을 정하여 출근을 정지하며, 그 기간 중에는 임금을 지급하지
아니한다.

4. 해고: 근로계약을 해지한다.

제28조(징계 절차) ① 회사는 징계 대상 직원에게 인사위원회 개최일 7일 전까지 출석을
서면으로 통보하고, 진술할 기회를 준다.

② 인사위원회는 위원장을 포함하여 5명 이내로 구성하며, 재적위원 과반수의 출석과
출석위원 과반수의 찬성으로 의결한다.

③ 징계 결과는 서면으로 통보하며, 징계에 이의가 있는 직원은 통보를 받은 날부터 7일
이내에 재심을 청구할 수 있다.

# 부칙

제1조(시행일) 이 규칙은 2025년 3월 1일부터 시행한다.

제2조(경과조치) 이 규칙 시행 전에 종전의 규칙에 따라 행한 처분과 절차는 이 규칙에 따라
행한 것으로 본다.

# 별표 1 근속연수별 연차휴가 일수(제12조제4항 관련)

| 근속연수 | 연차휴가 일수 |
| 1년 미만 | 1개월 개근 시 1일(최대 11일) |
| 1년 이상 3년 미만 | 15일 |
| 3년 이상 5년 미만 | 16일 |
| 5년 이상 7년 미만 | 17일 |
| 7년 이상 9년 미만 | 18일 |
| 9년 이상 11년 미만 | 19일 |
| 11년 이상 13년 미만 | 20일 |
| 13년 이상 15년 미만 | 21일 |
| 15년 이상 17년 미만 | 22일 |
| 17년 이상 19년 미만 | 23일 |
| 19년 이상 21년 미만 | 24일 |
| 21년 이상 | 25일 |

※ 1년간 출근율이 80퍼센트 미만인 직원은 제12조제2항에 따른다.
"""


def _zip_fixed_time(data: bytes) -> bytes:
    """Rewrite a zip (docx) with fixed member timestamps so rebuilding is byte-stable."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 2, 14, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_work_rules(path: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    font_name = "맑은 고딕"

    for style_name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = doc.styles[style_name]
        style.font.name = font_name
        r_pr = style.element.get_or_add_rPr()
        r_fonts = r_pr.find(qn("w:rFonts"))
        if r_fonts is None:
            r_fonts = OxmlElement("w:rFonts")
            r_pr.append(r_fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            r_fonts.set(qn(attr), font_name)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            r_fonts.attrib.pop(qn(theme_attr), None)
    doc.styles["Normal"].font.size = Pt(10.5)

    props = doc.core_properties
    props.title = "취업규칙"
    props.subject = f"{COMPANY} 취업규칙 (가상의 예시 문서)"
    props.author = "dalin examples"
    props.last_modified_by = "dalin examples"
    props.comments = "dalin 예시용으로 작성한 가상의 문서입니다."
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1

    doc.add_heading("취업규칙", level=0)
    for line in (COMPANY, "제정 2018. 7. 1.  개정 2025. 3. 1."):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for kind, value in parse_markup(WORK_RULES):
        if kind == "heading":
            doc.add_heading(value, level=1)
        elif kind == "para":
            p = doc.add_paragraph(value)
            fmt = p.paragraph_format
            fmt.space_after = Pt(4)
            if HO.match(value):
                fmt.left_indent, fmt.first_line_indent = Pt(22), Pt(-12)
            elif MOK.match(value):
                fmt.left_indent, fmt.first_line_indent = Pt(36), Pt(-12)
        else:
            rows: list[list[str]] = value
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = text
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            # mark the first row as a header row that repeats on every page
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            tbl_header = OxmlElement("w:tblHeader")
            tbl_header.set(qn("w:val"), "true")
            tr_pr.append(tbl_header)

    # drop the stock template's thumbnail image (a picture of some other document)
    package_rels = doc.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package_rels[r_id]

    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_zip_fixed_time(buffer.getvalue()))


# --------------------------------------------------------------------------------------
# 2. 제품설명서_HB-200.pdf
# --------------------------------------------------------------------------------------

FONT_DIRS = (
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/nanum",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


def find_font(file_name: str) -> Path | None:
    """Look for a font file in DALIN_FONT_DIR and the usual font folders."""
    dirs = [os.environ["DALIN_FONT_DIR"]] if os.environ.get("DALIN_FONT_DIR") else []
    dirs.extend(FONT_DIRS)
    for folder in dirs:
        base = Path(folder).expanduser()
        candidate = base / file_name
        if candidate.is_file():
            return candidate
    for folder in dirs:  # one level deeper, e.g. /usr/share/fonts/truetype/<family>/
        base = Path(folder).expanduser()
        if base.is_dir():
            for candidate in sorted(base.glob(f"*/{file_name}")):
                if candidate.is_file():
                    return candidate
    return None


def register_fonts() -> tuple[str, str]:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = find_font("NanumGothic.ttf")
    if regular is None:
        raise SystemExit(
            "NanumGothic.ttf not found. Install a Korean font first "
            "(Debian/Ubuntu: apt-get install fonts-nanum) or set DALIN_FONT_DIR to the "
            "folder that holds NanumGothic.ttf. Searched: " + ", ".join(FONT_DIRS)
        )
    bold = find_font("NanumGothicBold.ttf") or regular
    pdfmetrics.registerFont(TTFont("NanumGothic", str(regular)))
    pdfmetrics.registerFont(TTFont("NanumGothicBold", str(bold)))
    addMapping("NanumGothic", 0, 0, "NanumGothic")
    addMapping("NanumGothic", 1, 0, "NanumGothicBold")
    addMapping("NanumGothic", 0, 1, "NanumGothic")
    addMapping("NanumGothic", 1, 1, "NanumGothicBold")
    return "NanumGothic", "NanumGothicBold"


MANUAL_TITLE = "디지털 토크 렌치 HB-200 사용설명서"
MANUAL_PAGES = 6

# Each page of the manual: a list of blocks. ("h1", text), ("h2", text), ("p", text),
# ("bullets", [..]), ("steps", [..]), ("table", widths_mm, rows), ("note", text), ("cover", None).
MANUAL: list[list[tuple[Any, ...]]] = [
    # ---- p.1 cover and contents
    [
        ("cover", None),
        (
            "p",
            "HB-200은 볼트와 너트를 정해진 토크로 정확하게 체결하기 위한 디지털 토크 "
            "렌치입니다. 목표 토크를 설정해 두면 도달 순간을 부저, LED, 진동으로 알려 "
            "주므로 과체결과 미체결을 막을 수 있습니다. 생산 라인의 조립 작업과 설비 "
            "정비, 품질 검사에 사용하십시오.",
        ),
        (
            "p",
            "이 설명서를 잘 읽고 올바르게 사용하십시오. 다 읽은 뒤에는 사용하는 사람이 "
            "언제든지 볼 수 있는 곳에 보관하십시오.",
        ),
        ("h2", "목차"),
        (
            "table",
            (120, 30),
            [
                ["내용", "쪽"],
                ["1. 안전을 위한 주의사항", "2"],
                ["2. 제품 사양 및 구성품", "3"],
                ["3. 사용 방법", "4"],
                ["4. 오류 코드 및 문제 해결", "5"],
                ["5. 청소·보관 및 교정", "6"],
                ["6. 품질 보증 및 고객 지원", "6"],
            ],
        ),
    ],
    # ---- p.2 safety
    [
        ("h1", "1. 안전을 위한 주의사항"),
        (
            "p",
            "사용자의 안전을 지키고 재산상의 손해를 막기 위한 내용입니다. 아래 내용을 "
            "반드시 지켜 주십시오.",
        ),
        ("h2", "경고 - 지키지 않으면 사망하거나 크게 다칠 수 있습니다"),
        (
            "bullets",
            [
                "측정범위(최대 200 N·m)를 넘는 힘을 가하지 마십시오. 렌치가 파손되어 "
                "다칠 수 있습니다.",
                "렌치를 망치 대신 사용하거나 손잡이에 파이프를 끼워 길이를 늘리지 마십시오.",
                "폭발성 가스나 인화성 증기가 있는 장소에서 사용하지 마십시오.",
                "사용 전에 소켓이 드라이브에 완전히 끼워졌는지 확인하십시오. 체결 중 "
                "소켓이 빠지면 손을 다칠 수 있습니다.",
                "높은 곳에서 작업할 때에는 렌치에 낙하 방지 끈을 연결하십시오.",
            ],
        ),
        ("h2", "주의 - 지키지 않으면 다치거나 제품이 손상될 수 있습니다"),
        (
            "bullets",
            [
                "손잡이 가운데의 표시선 부분을 잡고 천천히, 일정한 속도로 힘을 가하십시오.",
                "렌치를 떨어뜨리거나 강한 충격을 준 경우에는 정확도가 떨어질 수 있으므로 "
                "교정을 받은 뒤 사용하십시오.",
                "보호 등급은 IP54로, 튀는 물 정도만 견딥니다. 물에 담그거나 비를 맞으며 "
                "사용하지 마십시오.",
                "오래 사용하지 않을 때에는 건전지를 빼 두십시오. 건전지 누액으로 회로가 "
                "부식될 수 있습니다.",
                "임의로 분해하거나 개조하지 마십시오. 분해한 흔적이 있으면 무상 보증을 "
                "받을 수 없습니다.",
                "어린이의 손이 닿지 않는 곳에 보관하십시오.",
            ],
        ),
    ],
    # ---- p.3 specifications
    [
        ("h1", "2. 제품 사양 및 구성품"),
        ("h2", "2.1 제품 사양"),
        (
            "table",
            (45, 115),
            [
                ["항목", "사양"],
                ["모델명", "HB-200"],
                ["측정범위", "5–200 N·m"],
                ["정확도", "±2% (시계 방향), ±3% (반시계 방향)"],
                ["분해능", "0.1 N·m"],
                ["드라이브 규격", "1/2인치(12.7 mm) 각 드라이브, 72기어 라쳇 헤드"],
                ["측정 단위", "N·m, kgf·m, kgf·cm, lbf·ft, lbf·in"],
                ["표시부", "백라이트 LCD"],
                ["알림 방식", "부저, LED, 진동 (목표 토크의 90%에서 예비 알림)"],
                ["메모리", "측정값 50개 저장"],
                ["배터리", "AAA(1.5 V) 알칼리 건전지 2개"],
                ["배터리 수명", "연속 사용 약 40시간"],
                ["자동 전원 꺼짐", "5분 동안 조작이 없을 때"],
                ["사용 온도", "-10 ℃ ~ 50 ℃"],
                ["보관 온도", "-20 ℃ ~ 60 ℃"],
                ["전체 길이", "485 mm"],
                ["무게", "약 1.1 kg (건전지 포함)"],
                ["보호 등급", "IP54"],
            ],
        ),
        ("h2", "2.2 구성품"),
        (
            "bullets",
            [
                "본체 1개",
                "AAA 알칼리 건전지 2개 (동작 확인용)",
                "전용 케이스 1개",
                "사용설명서(보증서 포함) 1부",
                "출하 교정성적서 1부",
            ],
        ),
        ("note", "※ 제품의 사양은 성능 개선을 위해 예고 없이 바뀔 수 있습니다."),
    ],
    # ---- p.4 how to use
    [
        ("h1", "3. 사용 방법"),
        ("h2", "3.1 건전지 넣기"),
        (
            "p",
            "손잡이 끝의 배터리 덮개를 시계 반대 방향으로 돌려 엽니다. AAA 건전지 2개를 "
            "(+)극이 안쪽을 향하도록 넣고 덮개를 닫습니다.",
        ),
        ("h2", "3.2 전원 켜기와 끄기"),
        (
            "p",
            "[POWER] 버튼을 1초 누르면 전원이 켜지고, 2초 이상 누르면 꺼집니다. 5분 동안 "
            "아무 조작이 없으면 전원이 자동으로 꺼집니다.",
        ),
        ("h2", "3.3 영점 조정"),
        (
            "p",
            "전원을 켜면 영점이 자동으로 잡힙니다. 측정하기 전에는 렌치에 아무 힘도 가하지 "
            "않은 상태로 평평한 곳에 놓고 [ZERO] 버튼을 2초간 누르십시오. 화면에 0.0이 "
            "표시되면 영점 조정이 끝난 것입니다.",
        ),
        ("h2", "3.4 단위 선택"),
        (
            "p",
            "[UNIT] 버튼을 누를 때마다 N·m → kgf·m → kgf·cm → lbf·ft → lbf·in 순서로 "
            "단위가 바뀝니다. 처음 출고 시 단위는 N·m입니다.",
        ),
        ("h2", "3.5 목표 토크 설정"),
        (
            "p",
            "[SET] 버튼을 누르면 설정값이 깜박입니다. [▲] 또는 [▼] 버튼으로 원하는 값을 "
            "맞춘 뒤 [SET] 버튼을 다시 누르면 저장됩니다.",
        ),
        ("h2", "3.6 볼트 체결하기"),
        (
            "steps",
            [
                "소켓을 볼트 머리에 수직으로 끼웁니다.",
                "손잡이 가운데를 잡고 천천히 힘을 가합니다.",
                "목표 토크의 90%에 이르면 짧은 부저음이 울립니다.",
                "목표 토크에 이르면 긴 부저음과 함께 빨간 LED가 켜지고 손잡이가 "
                "진동합니다. 이때 바로 힘을 멈추십시오.",
            ],
        ),
        ("h2", "3.7 측정값 확인"),
        (
            "p",
            "체결할 때마다 최대 토크 값이 자동으로 저장됩니다. [MEM] 버튼을 누르면 저장된 "
            "값을 최근 것부터 차례로 볼 수 있습니다.",
        ),
    ],
    # ---- p.5 error codes
    [
        ("h1", "4. 오류 코드 및 문제 해결"),
        ("h2", "4.1 오류 코드"),
        (
            "table",
            (16, 64, 80),
            [
                ["코드", "내용", "조치 방법"],
                ["E01", "배터리 부족", "건전지 2개를 모두 새 AAA 알칼리 건전지로 교체하십시오."],
                [
                    "E02",
                    "과부하 (220 N·m 초과, 측정범위의 110%)",
                    "즉시 힘을 빼십시오. 다시 표시되면 사용을 멈추고 교정 점검을 받으십시오.",
                ],
                [
                    "E03",
                    "영점 오류 (전원을 켤 때 렌치에 힘이 가해짐)",
                    "렌치를 평평한 곳에 내려놓고 [ZERO] 버튼을 2초간 누르십시오.",
                ],
                [
                    "E04",
                    "센서 이상",
                    "전원을 껐다 켜도 계속 표시되면 고객센터에 A/S를 접수하십시오.",
                ],
                [
                    "E05",
                    "메모리 가득 참 (50개)",
                    "[MEM] 버튼을 3초간 눌러 저장된 기록을 지우십시오.",
                ],
                ["E06", "사용 온도 범위 벗어남", "-10 ℃ ~ 50 ℃ 환경에서 사용하십시오."],
                [
                    "E07",
                    "교정 기한 지남 (마지막 교정일로부터 12개월 경과)",
                    "교정을 받으십시오(6쪽 참조).",
                ],
            ],
        ),
        ("h2", "4.2 문제 해결"),
        (
            "table",
            (60, 100),
            [
                ["증상", "확인 및 조치"],
                ["전원이 켜지지 않음", "건전지 방향을 확인하고 새 건전지로 바꾸십시오."],
                [
                    "부저 소리가 나지 않음",
                    "[SET] 버튼과 [UNIT] 버튼을 동시에 3초간 눌러 소리를 켜십시오.",
                ],
                [
                    "측정값이 다른 렌치와 다름",
                    "영점 조정을 다시 하고, 그래도 다르면 교정을 받으십시오.",
                ],
                ["화면이 흐림", "건전지가 약하거나 온도가 낮은 경우입니다. 건전지를 바꾸십시오."],
            ],
        ),
    ],
    # ---- p.6 cleaning, calibration, warranty
    [
        ("h1", "5. 청소·보관 및 교정"),
        ("h2", "5.1 청소"),
        (
            "p",
            "사용 후에는 마른 천으로 먼지와 기름기를 닦아 주십시오. 기름때가 심하면 중성 "
            "세제를 조금 묻힌 천으로 닦은 뒤 마른 천으로 마무리하십시오. 시너, 벤젠, 알코올 "
            "같은 유기용제를 쓰거나 물로 씻지 마십시오.",
        ),
        ("h2", "5.2 보관"),
        (
            "p",
            "전용 케이스에 넣어 직사광선과 습기를 피해 보관하십시오. 한 달 이상 쓰지 않을 "
            "때에는 건전지를 빼 두십시오.",
        ),
        ("h2", "5.3 교정"),
        (
            "p",
            "정확도를 유지하려면 12개월마다 교정을 받으시기를 권장합니다. 하루 100회 이상 "
            "사용하는 경우에는 6개월마다, 떨어뜨리거나 과부하(E02)가 발생한 경우에는 즉시 "
            "교정을 받으십시오. 당사 교정실에서 국가표준에 소급되는 토크 표준기로 교정하고 "
            "교정성적서를 발급해 드립니다. 교정에는 입고 후 약 7영업일이 걸립니다.",
        ),
        ("h1", "6. 품질 보증 및 고객 지원"),
        (
            "p",
            "보증 기간은 구입일로부터 1년입니다. 보증 기간 안에 정상적으로 사용하다가 고장 "
            "난 경우에는 무상으로 수리해 드립니다. 구입일은 보증서나 거래명세서로 "
            "확인합니다. 다음의 경우에는 보증 기간 안이라도 유상으로 수리합니다.",
        ),
        (
            "bullets",
            [
                "떨어뜨림, 과부하, 침수 등 사용자의 잘못으로 고장 난 경우",
                "임의로 분해하거나 개조한 경우",
                "화재, 지진, 홍수 등 천재지변으로 고장 난 경우",
                "건전지 등 소모품을 교체하는 경우",
            ],
        ),
        (
            "p",
            "고객센터: 1588-0000 (평일 09:00~18:00, 점심시간 12:00~13:00, 토·일요일과 공휴일 휴무)",
        ),
        ("p", "이메일: support@hanbit-precision.example"),
        ("p", f"제조원: {COMPANY}, 경기도 안산시 단원구 한빛산단로 45 / 제조국: 대한민국"),
    ],
]


def build_manual(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        ListFlowable,
        ListItem,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=15, spaceAfter=5)
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0, leading=13)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=bold)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=16, leading=22, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11.5, leading=16)
    h2.spaceBefore = 6
    note = ParagraphStyle("note", parent=body, fontSize=9, textColor=colors.grey)
    cover_title = ParagraphStyle(
        "cover_title", parent=h1, fontSize=24, leading=32, alignment=TA_CENTER, spaceAfter=6
    )
    cover_sub = ParagraphStyle(
        "cover_sub", parent=body, fontSize=14, leading=20, alignment=TA_CENTER, spaceAfter=4
    )

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(html.escape(text, quote=False), style)

    def make_table(widths: Sequence[float], rows: list[list[str]]) -> Table:
        data = [[para(c, cell_head if r == 0 else cell) for c in row] for r, row in enumerate(rows)]
        table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    story: list[Any] = []
    for page_number, page in enumerate(MANUAL, start=1):
        if page_number > 1:
            story.append(PageBreak())
        for block in page:
            kind = block[0]
            if kind == "cover":
                story.append(Spacer(1, 30 * mm))
                story.append(para("디지털 토크 렌치", cover_sub))
                story.append(para("HB-200", cover_title))
                story.append(para("사용설명서", cover_sub))
                story.append(Spacer(1, 6 * mm))
                story.append(para(COMPANY, cover_sub))
                story.append(Spacer(1, 20 * mm))
            elif kind == "h1":
                story.append(para(block[1], h1))
            elif kind == "h2":
                story.append(para(block[1], h2))
            elif kind == "p":
                story.append(para(block[1], body))
            elif kind == "note":
                story.append(para(block[1], note))
            elif kind == "bullets":
                items = [ListItem(para(t, body), leftIndent=12) for t in block[1]]
                story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
            elif kind == "steps":
                items = [ListItem(para(t, body), leftIndent=14) for t in block[1]]
                story.append(
                    ListFlowable(
                        items,
                        bulletType="1",
                        bulletFormat="%s.",
                        bulletFontName=regular,
                        bulletFontSize=10,
                        leftIndent=14,
                    )
                )
            elif kind == "table":
                story.append(make_table(block[1], block[2]))
                story.append(Spacer(1, 4 * mm))
            else:  # pragma: no cover - content error
                raise ValueError(f"unknown block kind {kind!r}")

    width, height = A4

    def header(canvas: Any, doc: Any) -> None:  # drawn before the page content
        if doc.page > 1:
            canvas.saveState()
            canvas.setFont(regular, 8.5)
            canvas.setFillColor(colors.grey)
            canvas.drawString(20 * mm, height - 13 * mm, MANUAL_TITLE)
            canvas.setStrokeColor(colors.lightgrey)
            canvas.line(20 * mm, height - 15 * mm, width - 20 * mm, height - 15 * mm)
            canvas.restoreState()

    def footer(canvas: Any, doc: Any) -> None:  # drawn after it, so text order stays natural
        canvas.saveState()
        canvas.setFont(regular, 9)
        canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page} -")
        canvas.restoreState()

    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=MANUAL_TITLE,
        author=COMPANY,
        subject="dalin 예시용 가상 제품 설명서",
        creator="dalin examples/tools/build_examples.py",
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=header, onPageEnd=footer)])
    doc.build(story)
    if doc.page != MANUAL_PAGES:
        raise SystemExit(
            f"{path.name}: expected {MANUAL_PAGES} pages but layout produced {doc.page}; "
            "some page content overflowed - shorten it so citations stay on known pages"
        )


# --------------------------------------------------------------------------------------
# 3. 가격표_2025.md
# --------------------------------------------------------------------------------------

PRICE_ROWS: list[tuple[str, str, str, str, str]] = [
    ("HB-B0825", "육각 볼트 M8", "M8 × 25 mm, SCM435, 10.9T, 흑색 산화피막", "135", "1,000개"),
    ("HB-B1030", "육각 볼트 M10", "M10 × 30 mm, SCM435, 10.9T, 흑색 산화피막", "210", "1,000개"),
    ("HB-B1240", "육각 볼트 M12", "M12 × 40 mm, SCM435, 10.9T, 흑색 산화피막", "340", "500개"),
    ("HB-C0830", "렌치 볼트 M8", "M8 × 30 mm, STS304", "260", "500개"),
    ("HB-N08", "육각 너트 M8", "M8, SS400, 아연 도금", "45", "1,000개"),
    ("HB-N10", "육각 너트 M10", "M10, SS400, 아연 도금", "70", "1,000개"),
    ("HB-W08", "평 와셔 M8", "내경 8.4 mm, STS304", "25", "2,000개"),
    ("HB-P0630", "평행 핀", "Ø6 × 30 mm, SUJ2, 열처리", "180", "500개"),
    ("HB-S20300", "정밀 샤프트", "Ø20 × 300 mm, S45C, 고주파 열처리, 연삭 h6", "38,000", "10개"),
    ("HB-S25400", "정밀 샤프트", "Ø25 × 400 mm, S45C, 고주파 열처리, 연삭 h6", "52,000", "10개"),
    ("HB-U2530", "오일리스 부시", "내경 25 × 외경 33 × 길이 30 mm", "4,800", "50개"),
    ("HB-SP1020", "스페이서", "Ø10 × 20 mm, A6061, 알루마이트", "650", "200개"),
    ("HB-200", "디지털 토크 렌치 HB-200", "5–200 N·m, 1/2인치 각 드라이브", "385,000", "1대"),
    ("HB-200-CS", "HB-200 전용 케이스", "PP 하드 케이스, 스펀지 내장", "32,000", "1개"),
    ("HB-CAL-200", "토크 렌치 교정 서비스", "200 N·m 이하, 교정성적서 발급 포함", "55,000", "1건"),
]

PRICE_HEAD = """\
# (주)한빛정밀 2025년 가격표

- 적용 기간: 2025년 1월 1일 ~ 2025년 12월 31일
- 작성: 영업팀 (문의 031-0000-1203, sales@hanbit-precision.example)
- 단위: 원, **부가세 별도**

## 품목별 단가
"""

PRICE_NOTES = """\
## 거래 조건

1. **부가세 별도**: 위 단가는 모두 부가가치세(10%)를 포함하지 않은 금액입니다.
2. **배송비**: 1회 주문 금액(부가세 별도)이 5만원 이상이면 무료입니다. 5만원 미만이면
   배송비 4,000원을 받습니다. 제주 및 도서 산간 지역은 추가 운임이 붙습니다.
3. **결제 조건**: 거래처는 월말 마감 후 익월 25일 현금(계좌이체)으로 결제합니다.
   신규 거래처의 첫 주문은 선입금 확인 후 출고합니다.
4. **최소주문수량**: 최소주문수량 미만으로 주문하면 단가의 20퍼센트를 가산합니다.
5. **주문 제작품**: 도면에 따른 맞춤 가공품은 별도로 견적합니다.
6. 원자재 가격이 크게 바뀌는 경우 단가를 조정할 수 있으며, 조정할 때에는 30일 전에
   거래처에 알려 드립니다.
"""


def build_price_list(path: Path) -> None:
    header = ("품목 코드", "품목", "규격", "단가(원)", "최소주문수량")
    lines = [PRICE_HEAD, "| " + " | ".join(header) + " |", "|---|---|---|---:|---:|"]
    lines.extend("| " + " | ".join(row) + " |" for row in PRICE_ROWS)
    lines.append("")
    lines.append(PRICE_NOTES)
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------
# 4. 고객센터_FAQ.txt (CP949 on purpose)
# --------------------------------------------------------------------------------------

FAQ_HEAD = (
    f"{COMPANY} 고객센터 자주 묻는 질문(FAQ)\n"
    "최종 수정일: 2025년 2월 14일 / 고객센터 1588-0000\n"
    "================================================\n"
)

FAQ: list[tuple[str, str]] = [
    (
        "영업시간(고객센터 운영 시간)이 어떻게 되나요?",
        "평일 09:00~18:00에 운영합니다. 점심시간(12:00~13:00)과 토요일·일요일·공휴일에는 "
        "전화 상담이 어렵습니다. 이메일로 문의를 남겨 주시면 다음 영업일에 답변드립니다.",
    ),
    (
        "A/S는 어떻게 접수하나요?",
        "고객센터(1588-0000)로 전화하시거나 이메일(support@hanbit-precision.example)로 "
        "제품명, 구입일, 고장 증상, 연락처를 보내 주세요. 접수 번호를 안내받으신 뒤 제품을 "
        "택배로 보내 주시면, 입고 후 3영업일 안에 점검 결과와 수리 비용을 알려 드립니다.",
    ),
    (
        "반품이나 교환은 언제까지 가능한가요?",
        "제품을 받으신 날부터 7일 이내에 고객센터로 신청하시면 반품이나 교환이 가능합니다. "
        "단순 변심은 포장을 뜯지 않은 제품에 한하며 왕복 배송비는 고객님이 부담하십니다. "
        "도면에 따라 주문 제작한 가공품은 반품되지 않습니다.",
    ),
    (
        "토크 렌치 교정 서비스도 해 주나요?",
        "네. 당사 교정실에서 HB-200을 포함한 200 N·m 이하 토크 렌치를 교정해 드립니다. "
        "교정 비용은 1대당 55,000원(부가세 별도)이고, 입고 후 약 7영업일이 걸리며 "
        "교정성적서를 함께 발급합니다. 교정 주기는 12개월을 권장합니다.",
    ),
    (
        "세금계산서 발행되나요?",
        "모든 거래에 대해 전자세금계산서를 발행합니다. 처음 거래하실 때 사업자등록증 사본과 "
        "세금계산서를 받으실 이메일 주소를 영업팀에 보내 주세요. 한 달 거래분은 월말에 "
        "마감하여 다음 달 10일까지 합계로 발행합니다.",
    ),
    (
        "결제는 어떻게 하나요?",
        "거래처는 월말 마감 후 익월 25일에 현금(계좌이체)으로 결제하시면 됩니다. 신규 "
        "거래처의 첫 주문과 개인 고객은 선입금을 확인한 뒤 출고합니다.",
    ),
    (
        "주문하면 언제 받을 수 있나요?",
        "재고가 있는 품목은 평일 오후 2시 이전 주문 건을 당일 출고하며, 보통 출고 다음 날 "
        "받으실 수 있습니다. 재고가 없는 품목과 주문 제작품은 주문하실 때 납기를 따로 "
        "안내해 드립니다.",
    ),
    (
        "배송비는 얼마인가요?",
        "1회 주문 금액(부가세 별도)이 5만원 이상이면 무료이고, 5만원 미만이면 4,000원입니다. "
        "제주 및 도서 산간 지역은 추가 운임이 붙습니다.",
    ),
    (
        "HB-200 보증 기간은 얼마나 되나요?",
        "구입일로부터 1년입니다. 보증 기간 안에 정상적으로 사용하다 고장 난 경우 무상으로 "
        "수리해 드립니다. 다만 떨어뜨리거나 과부하로 생긴 고장, 임의 분해, 건전지 같은 "
        "소모품은 보증 대상이 아닙니다.",
    ),
    (
        "토크 렌치 화면에 E01이 떠요.",
        "배터리가 부족하다는 표시입니다. 손잡이 끝의 덮개를 열고 AAA 알칼리 건전지 2개를 "
        "모두 새것으로 바꿔 주세요. 다른 오류 코드는 제품설명서 5쪽을 참고해 주세요.",
    ),
    (
        "도면을 보내면 맞춤 가공도 해 주나요?",
        "네. 샤프트, 부시, 스페이서 같은 정밀 가공품을 도면대로 제작합니다. 도면(PDF 또는 "
        "DWG)과 수량, 희망 납기를 영업팀 이메일(sales@hanbit-precision.example)로 보내 "
        "주시면 3영업일 안에 견적서를 보내 드립니다.",
    ),
    (
        "공장에 직접 가서 물건을 받아 가도 되나요?",
        "네, 방문 수령이 가능합니다. 평일 09:00~17:00에 오실 수 있으며, 출고 준비를 위해 "
        "하루 전까지 영업팀(031-0000-1203)에 연락해 주세요. 주소는 경기도 안산시 단원구 "
        "한빛산단로 45, (주)한빛정밀 2동 출하장입니다.",
    ),
    (
        "최소 주문 수량보다 적게 살 수 있나요?",
        "가능합니다. 다만 최소주문수량 미만으로 주문하시면 단가의 20퍼센트가 가산됩니다. "
        "품목별 최소주문수량은 2025년 가격표를 참고해 주세요.",
    ),
]


def build_faq(path: Path) -> None:
    parts = [FAQ_HEAD]
    for number, (question, answer) in enumerate(FAQ, start=1):
        parts.append(f"Q{number}. {question}\nA. {answer}\n")
    text = "\n".join(parts)
    # Windows line endings and CP949, as such files usually arrive from office PCs.
    data = text.replace("\n", "\r\n").encode("cp949")
    path.write_bytes(data)


# --------------------------------------------------------------------------------------
# 5. 출장비_규정.html
# --------------------------------------------------------------------------------------

TRAVEL_RULES = """
제1조(목적) 이 규정은 (주)한빛정밀(이하 "회사"라 한다)의 임원과 직원이 업무상 국내
출장을 가는 경우 지급하는 출장비의 기준과 정산 절차를 정함을 목적으로 한다.

제2조(적용범위) 이 규정은 회사의 임원과 직원(수습직원을 포함한다)에게 적용한다.

제3조(출장의 구분) 출장은 다음 각 호와 같이 구분한다.

1. 시내출장: 근무지로부터 편도 40 km 미만인 지역으로 가서 당일 돌아오는 출장

2. 시외출장: 근무지로부터 편도 40 km 이상인 지역으로 가는 출장 또는 숙박이 필요한 출장

제4조(출장 신청 및 승인) ① 출장을 가려는 직원은 출발 1일 전까지 출장 목적, 기간,
행선지, 예상 비용을 적은 출장신청서를 전자결재로 올려 부서장의 승인을 받아야 한다.

② 2박 이상의 출장은 대표이사의 승인을 받아야 한다.

③ 고객사의 긴급 요청 등 부득이한 경우에는 부서장의 구두 승인을 받아 먼저 출발하고,
복귀한 다음 날까지 출장신청서를 올린다.

제5조(출장비의 구성) 출장비는 교통비, 일비 및 숙박비로 구성한다. 식비는 일비에 포함된
것으로 본다.

제6조(교통비) ① 교통비는 실비로 지급하며, 철도는 KTX·SRT 일반실, 항공은 국내선
일반석을 기준으로 한다.

② 회사 차량을 이용하는 경우 유류비와 통행료는 법인카드로 결제한다.

③ 부득이하게 개인 차량을 이용하는 경우에는 미리 승인을 받아야 하며, 주행거리 1 km당
250원과 통행료·주차료 실비를 지급한다.

제7조(일비 및 숙박비) ① 일비와 숙박비는 다음 표의 직급별 기준에 따라 지급한다.

| 직급 | 일비(1일) | 숙박비(1박 상한) |
| 임원 | 40,000원 | 150,000원 |
| 부장·차장 | 30,000원 | 100,000원 |
| 과장·대리 | 25,000원 | 80,000원 |
| 주임·사원 | 20,000원 | 70,000원 |

② 시내출장의 일비는 제1항에 따른 일비의 2분의 1로 한다.

③ 숙박비는 상한액의 범위에서 실비로 지급한다. 다만, 서울특별시와 광역시에서 숙박하는
경우에는 상한액에 20퍼센트를 더한 금액까지 지급한다.

④ 고객사에서 숙소를 제공받은 경우에는 숙박비를 지급하지 아니하며, 식사를 제공받은
경우에는 그 날의 일비를 2분의 1로 줄인다.

⑤ 직급이 다른 직원이 함께 출장하는 경우 숙박비는 상위 직급자의 기준을 적용할 수 있다.

제8조(정산) ① 출장을 다녀온 직원은 복귀한 날부터 5영업일 이내에 출장보고서와
영수증(교통비·숙박비)을 첨부한 출장비 정산서를 경영지원팀에 제출하여야 한다.

② 출장비를 미리 받은 직원은 정산 후 남은 금액을 정산서 제출일까지 반납하여야 한다.

③ 정산된 출장비는 다음 임금 지급일(매월 10일)에 임금과 함께 지급한다.

# 부칙

이 규정은 2025년 3월 1일부터 시행한다.
"""

HTML_STYLE = """\
body { font-family: "Malgun Gothic", "NanumGothic", sans-serif; max-width: 46em;
       margin: 2em auto; line-height: 1.7; color: #222; }
h1 { font-size: 1.6em; border-bottom: 2px solid #345; padding-bottom: .3em; }
h2 { font-size: 1.15em; margin-top: 1.6em; }
p.ho { margin: .2em 0 .2em 1.5em; }
p.meta { color: #666; text-align: right; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #999; padding: .3em .8em; text-align: center; }
th { background: #eef2f6; }"""

ARTICLE = re.compile(r"^(제\d+조\([^)]*\))\s*(.*)$")


def build_travel_rules(path: Path) -> None:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="ko">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>출장비 규정 - {esc(COMPANY)}</title>",
        "<style>",
        HTML_STYLE,
        "</style>",
        "</head>",
        "<body>",
        "<h1>출장비 규정</h1>",
        f'<p class="meta">{esc(COMPANY)} 경영지원팀 · 제정 2019. 1. 1. · 개정 2025. 3. 1.</p>',
    ]
    for kind, value in parse_markup(TRAVEL_RULES):
        if kind == "heading":
            out.append(f"<h2>{esc(value)}</h2>")
        elif kind == "table":
            rows: list[list[str]] = value
            out.append("<table>")
            out.append("<caption>직급별 일비 및 숙박비</caption>")
            out.append("<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in rows[0]) + "</tr>")
            out.append("</thead>")
            out.append("<tbody>")
            for row in rows[1:]:
                out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            out.append("</tbody>")
            out.append("</table>")
        else:
            match = ARTICLE.match(value)
            if match:
                out.append(f"<h2>{esc(match.group(1))}</h2>")
                value = match.group(2)
            css = ' class="ho"' if HO.match(value) else ""
            out.append(f"<p{css}>{esc(value, quote=False)}</p>")
    out.extend(["</body>", "</html>", ""])
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------
# 6. English_quick_start.md
# --------------------------------------------------------------------------------------

QUICK_START = """\
# HB-200 Digital Torque Wrench - Quick Start Guide

Hanbit Precision Co., Ltd. ((주)한빛정밀), Ansan, Gyeonggi-do, Korea.
This is a short English summary. The full Korean user manual is `제품설명서_HB-200.pdf`.

## 1. In the box

- HB-200 wrench body
- Two AAA alkaline batteries (for a first check)
- Hard carrying case
- User manual with warranty card
- Factory calibration certificate

## 2. Key specifications

| Item | Value |
|---|---|
| Measuring range | 5–200 N·m |
| Accuracy | ±2% clockwise, ±3% counter-clockwise |
| Drive | 1/2 inch square drive, 72-tooth ratchet head |
| Battery | Two AAA (1.5 V) alkaline batteries |
| Battery life | About 40 hours of continuous use |
| Auto power-off | After 5 minutes without any operation |
| Operating temperature | -10 °C to 50 °C |
| Weight | About 1.1 kg with batteries |

## 3. Inserting the batteries

Turn the cap at the end of the handle counter-clockwise to open it. Insert two AAA
batteries with the (+) end facing inwards, then close the cap. Do not mix old and new
batteries.

## 4. Zeroing the wrench

The wrench sets its zero automatically when it is switched on. Before each measurement:

1. Lay the wrench on a flat surface with no load on the head or the handle.
2. Press and hold the ZERO button for 2 seconds.
3. When the display shows 0.0, the wrench is zeroed.

If E03 (zero error) appears, the wrench was under load when switched on: put it down and
zero it again.

## 5. Tightening a bolt

1. Press SET, choose the target torque with the arrow buttons and press SET again.
2. Fit the socket squarely on the bolt head and pull the handle slowly at its centre.
3. A short beep sounds at 90% of the target. At the target, a long beep sounds, the red
   LED lights and the handle vibrates: stop pulling at once.

## 6. Error codes

| Code | Meaning |
|---|---|
| E01 | Low battery - replace both AAA batteries |
| E02 | Overload - more than 220 N·m (110% of the range) |
| E03 | Zero error - the wrench was loaded at power-on |
| E07 | Calibration overdue - more than 12 months since the last calibration |

See page 5 of the Korean manual for the full list.

## 7. Calibration

We recommend calibration every 12 months, or every 6 months if the wrench is used more
than 100 times a day. Have it calibrated at once after a drop or an overload (E02).

## 8. Warranty

The warranty period is 1 year from the date of purchase. Faults that occur in normal use
during this period are repaired free of charge. Damage from drops, overload, water or
disassembly, and consumables such as batteries, are not covered.

## 9. Support

Customer centre: 1588-0000, weekdays 09:00-18:00 (Korea time).
Email: support@hanbit-precision.example
"""


def build_quick_start(path: Path) -> None:
    path.write_text(QUICK_START, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------

BUILDERS = (
    ("취업규칙.docx", build_work_rules),
    ("제품설명서_HB-200.pdf", build_manual),
    ("가격표_2025.md", build_price_list),
    ("고객센터_FAQ.txt", build_faq),
    ("출장비_규정.html", build_travel_rules),
    ("English_quick_start.md", build_quick_start),
)


def main(argv: Iterable[str] = ()) -> int:
    wanted = set(argv)
    for name, builder in BUILDERS:
        if wanted and name not in wanted:
            continue
        target = OUT_DIR / name
        builder(target)
        print(f"wrote {target.relative_to(OUT_DIR.parent)} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
