from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.text.korean import latin_tokens, split_sentences, tokenize


def test_particles_and_endings_are_dropped() -> None:
    assert tokenize("연차휴가는 며칠인가요") == ["연차", "휴가", "며칠"]


def test_question_and_document_share_content_morphemes() -> None:
    question = set(tokenize("연차휴가는 며칠인가요"))
    passage = set(tokenize("연차휴가 15일을 부여한다."))
    assert {"연차", "휴가"} <= question & passage


def test_number_with_unit_is_also_one_token() -> None:
    tokens = tokenize("연차휴가 15일을 부여한다.")
    assert "15" in tokens and "15일" in tokens


def test_latin_is_lowercased_stemmed_and_stopwords_dropped() -> None:
    assert tokenize("What is the Warranty period?") == ["warranti", "period"]
    assert tokenize("zeroing the batteries") == tokenize("zero battery")


def test_codes_and_numbers_normalised() -> None:
    assert latin_tokens("HB-200 costs 3,000 won, 1.5 kg") == [
        "hb",
        "200",
        "hb200",
        "cost",
        "3000",
        "won",
        "1.5",
        "kg",
    ]
    assert "m8" in tokenize("볼트 M8의 단가")


def test_decomposed_jamo_matches_composed_syllables() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "연차휴가")
    assert tokenize(decomposed) == tokenize("연차휴가")


def test_sentences_split_before_circled_paragraphs_and_keep_list_markers() -> None:
    text = "제12조(연차휴가) ① 15일을 준다. ② 1일을 가산한다.\n1. 첫째 항목이다. 값은 1.5이다"
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "제12조(연차휴가)",
        "① 15일을 준다.",
        "② 1일을 가산한다.",
        "1. 첫째 항목이다.",
        "값은 1.5이다",
    ]


@given(st.text(alphabet=st.sampled_from("가나다 연차휴가.?!\n①② 1.가.AbC"), max_size=200))
def test_sentence_offsets_always_point_into_the_text(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text


@given(st.text(max_size=120))
# no deadline: the first example loads Kiwi's model (seconds) when this test runs first
@settings(deadline=None)
def test_tokenize_never_fails_and_yields_no_empty_or_spaced_tokens(text: str) -> None:
    for token in tokenize(text):
        assert token and not any(ch.isspace() for ch in token)


def test_a_line_cut_inside_parentheses_stays_one_sentence() -> None:
    text = "E02 과부하 (220 N·m 초과, 측정범위의\n110%)\nE03 영점 오류"
    assert [s.text for s in split_sentences(text)] == [
        "E02 과부하 (220 N·m 초과, 측정범위의\n110%)",
        "E03 영점 오류",
    ]


def test_compound_nouns_meet_however_kiwi_segments_them() -> None:
    # Kiwi keeps "영업시간이" whole but splits "영업시간은"; both must share 영업 and 시간.
    assert {"영업", "시간"} <= set(tokenize("영업시간이 어떻게 되나요?"))
    assert {"영업", "시간"} <= set(tokenize("영업시간은 몇 시까지예요?"))


def test_a_noun_kiwi_reads_as_a_verb_before_doeda_is_the_noun() -> None:
    # "보임됐나요" comes back as 보이 + ᆷ + 되: no verb takes ᆷ then 되다, so it is 보임
    # (補任), as "보임되었다" is read; "보이" would match "본때를 보여야"
    assert tokenize("누가 보임됐나요?") == ["보임"]
    assert tokenize("위원으로 보임되었다") == ["위원", "보임"]
    assert tokenize("기쁨을 느꼈다") == ["기쁨", "느끼"]  # a real noun in ᆷ, untouched
