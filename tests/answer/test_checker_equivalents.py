"""Values a sentence writes another way than its passages (#19): a duration between two clock
times, one period as a rate, a threshold compared with. Each is read as the same value; a
wrong one is still a wrong number."""

from __future__ import annotations

from checker_support import verdict
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.answer import equivalents
from dalin.answer.quantities import canonical_numbers, quantities, supports

SCHEDULE = (
    "경기 일정 · 표\n"
    "구분: 4월 | 토요일: 17:00 | 일요일: 14:00 | 평일: 18:30\n"
    "구분: 7월 | 토요일: 18:00 | 일요일: 17:00 | 평일: 18:30"
)
ALLOWANCE = "수당 규정 · 제5조\n제5조(수당) 안전관리 자격을 가진 직원에게 월 40,000원을 지급한다."
RENEWAL = "데이터 표준 · 기본 정보\n항목: 갱신주기 | 내용: 연간"
DELIVERY = (
    "거래 조건 · 배송\n배송비: 1회 주문 금액이 3만원 이상이면 무료입니다. 3만원 미만이면"
    " 배송비 3,000원을 받습니다.\n단가: 볼트 M6 1개 40원, 최소주문수량 1,000개"
)


def test_a_duration_between_two_clock_times_is_computed() -> None:
    said = "7월 토요일 경기는 18:00, 평일 경기는 18:30에 시작하니 평일 경기가 30분 늦게 시작합니다."
    assert verdict(said, SCHEDULE) == (True, "")
    assert not verdict(said.replace("30분", "50분"), SCHEDULE)[0]
    # one time from the row the sentence names, the duration in two units
    later = "4월 평일 경기는 18:30에 시작해 일요일 경기보다 4시간 30분 늦습니다."
    assert verdict(later, SCHEDULE)[0]
    assert not verdict(later.replace("4시간 30분", "3시간 30분"), SCHEDULE)[0]


def test_one_period_of_a_rate_is_the_passages_rate_word() -> None:
    assert verdict("안전관리 자격이 있으면 수당은 한 달에 4만 원입니다.", ALLOWANCE)[0]
    assert not verdict("안전관리 자격이 있으면 수당은 한 달에 5만 원입니다.", ALLOWANCE)[0]
    assert verdict("이 데이터는 1년에 한 번씩 갱신됩니다.", RENEWAL)[0]
    # a rate over two periods is a number the passage does not state
    assert not verdict("이 데이터는 2년에 한 번씩 갱신됩니다.", RENEWAL)[0]


def test_rate_tokens_need_the_rate_word_of_that_period() -> None:
    canonical = canonical_numbers("1년에 한 번씩 갱신됩니다")
    assert equivalents.rate_tokens(canonical, ["갱신주기: 연간"]) == {"1년", "1번"}
    assert equivalents.rate_tokens(canonical, ["갱신주기: 매월"]) == set()
    # "3월" is a month's name, not "per month"
    assert equivalents.rate_tokens(canonical_numbers("한 달에 2회"), ["3월 1회"]) == set()


def test_a_threshold_compared_with_is_read_not_computed() -> None:
    said = (
        "볼트 M6를 1,000개 사면 40원 × 1,000개 = 40,000원이고, 3만 원 이상이라 배송비는 무료입니다."
    )
    assert verdict(said, DELIVERY) == (True, "")
    q = quantities(canonical_numbers("3만 원 이상이라"))[0]
    assert equivalents.compared(q, canonical_numbers("3만 원 이상이라"))
    assert not equivalents.compared(q, canonical_numbers("모두 3만 원이라"))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 23 * 60), st.integers(1, 6 * 60), st.integers(1, 59))
def test_only_the_difference_of_the_two_times_is_a_duration(start: int, gap: int, off: int) -> None:
    end = min(start + gap, 23 * 60 + 59)
    gap = end - start
    if gap == 0:
        return
    times = f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"
    sentence = f"{times[0]}에 시작해 {times[1]}에 끝나니 {gap}분 걸립니다."
    claim = quantities(sentence)
    assert gap in equivalents.durations(sentence, claim, ())
    wrong = sentence.replace(f"{gap}분", f"{gap + off}분")
    assert gap + off not in equivalents.durations(wrong, quantities(wrong), ())


def test_a_native_number_standing_as_a_noun_counts_things() -> None:
    assert canonical_numbers("둘 이상의 자격") == "2개 이상의 자격"
    assert canonical_numbers("가장 높은 금액 하나만 지급") == "가장 높은 금액 1개만 지급"
    # "둘" of "두다" ("따로 둘 필요"), "하나도 없다" (none): no count
    assert canonical_numbers("따로 둘 필요가 없습니다") == "따로 둘 필요가 없습니다"
    assert canonical_numbers("하나도 없습니다") == "하나도 없습니다"
    rule = "수당 규정 · 제6조\n둘 이상의 자격을 가진 경우에는 가장 높은 금액 하나만 지급한다."
    assert verdict("자격증이 두 개 이상이면 가장 높은 수당 하나만 나옵니다.", rule)[0]
    assert not verdict("자격증이 다섯 개 이상이면 가장 높은 수당 하나만 나옵니다.", rule)[0]


def test_kinds_are_counted_with_either_counter() -> None:
    (kinds,) = [q for q in quantities("세 가지 형식") if not q.bare]
    assert supports(kinds, quantities("입력 포맷 3 종", evidence=True))
    assert not supports(kinds, quantities("입력 포맷 4 종", evidence=True))
    assert not supports(kinds, quantities("입력 파일 3 개", evidence=True))


def test_a_time_range_runs_forward() -> None:
    assert canonical_numbers("낮 12시부터 1시까지") == "12:00부터 13:00까지"
    assert canonical_numbers("23:00~01:00") == "23:00~1:00"  # past midnight: not moved
    assert canonical_numbers("반년마다") == "6개월마다"
    faq = "고객센터 · ¶1\n점심시간(12:00~13:00)에는 전화 상담이 어렵습니다."
    assert verdict("낮 12시부터 1시까지 점심시간에는 전화 상담이 어렵습니다.", faq)[0]
    assert not verdict("낮 12시부터 2시까지 점심시간에는 전화 상담이 어렵습니다.", faq)[0]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 23), st.integers(1, 11))
def test_a_range_ending_before_it_starts_ends_in_the_afternoon(start: int, end: int) -> None:
    written = canonical_numbers(f"{start}시부터 {end}시까지")
    if end < start < end + 12:
        assert written == f"{start}:00부터 {end + 12}:00까지"
    else:
        assert written == f"{start}:00부터 {end}:00까지"


TRAVEL = (
    "여비 규정 · 제7조\n직급 | 일비(1일) | 숙박비(1박 상한)\n"
    "직급: 과장 | 일비(1일): 30,000원 | 숙박비(1박 상한): 90,000원\n"
    "직급: 사원 | 일비(1일): 20,000원 | 숙박비(1박 상한): 60,000원"
)


def test_a_total_in_words_after_written_expressions_is_computed_from_them() -> None:
    said = (
        "과장이 2박 3일 출장을 가면 일비 30,000원 × 3일 = 90,000원, 숙박비 90,000원 × 2박"
        " = 180,000원으로 최대 {}원입니다."
    )
    question = "과장 2박 3일 출장비는 최대 얼마예요?"
    assert verdict(said.format("270,000"), TRAVEL, question) == (True, "")
    assert verdict(said.format("280,000"), TRAVEL, question) == (False, "arithmetic")
    # a value the passage states, after an expression, with no word of computing: read
    stated = (
        "사원이 2일 출장을 가면 일비는 20,000원 × 2일 = 40,000원이고, 숙박비는 60,000원까지입니다."
    )
    assert verdict(stated, TRAVEL, "사원 2일 출장비는?")[0]
