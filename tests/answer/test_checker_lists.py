"""A list's lead speaks of its items (#19): "회사의 휴일은 다음 각 호와 같으며, 모두 유급으로
한다" is what the source says of "2. 근로자의 날: 5월 1일", so "근로자의 날은 무급" contradicts
it, though the item alone holds the date and not the word."""

from __future__ import annotations

from checker_support import verdict

from dalin.answer.alignment import units_of
from dalin.answer.verdicts import _item_of

HOLIDAYS = (
    "근무 규칙 · 제7조\n제7조(휴일) ① 회사의 휴일은 다음 각 호와 같으며, 모두 유급으로 한다.\n\n"
    "1. 주휴일: 매주 일요일\n\n2. 창립기념일: 3월 15일\n\n② 토요일은 무급휴무일로 한다."
)


def test_an_item_of_a_list_is_what_the_lists_lead_speaks_of() -> None:
    # "창립기념일: 3월 15일" holds the date, the lead says "모두 유급": the sentence's word
    # is held to the lead, not excused because another statement holds its numbers
    assert verdict("창립기념일인 3월 15일은 유급 휴일입니다.", HOLIDAYS)[0]
    assert verdict("창립기념일인 3월 15일은 무급 휴일입니다.", HOLIDAYS) == (
        False,
        "contradiction",
    )


def test_items_follow_their_lead_with_nothing_but_items_between() -> None:
    units = units_of([HOLIDAYS])
    lead = next(u for u in units if "다음" in u.text)
    items = [u for u in units if u.text.startswith(("1.", "2."))]
    saturday = next(u for u in units if "토요일은" in u.text)
    assert all(_item_of(u, lead, units) for u in items)
    assert not _item_of(saturday, lead, units)
    assert not _item_of(lead, items[0], units)
