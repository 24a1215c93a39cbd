"""Cost of a generation from its usage and the price list."""

from __future__ import annotations

import pytest

from dalin.llm.base import Usage
from dalin.llm.cost import (
    DEFAULT_PRICES,
    FREE,
    KRW_PER_USD,
    Money,
    Price,
    cost,
    price_for,
    prices_with,
)


def test_cached_prompt_tokens_are_billed_at_the_cached_rate() -> None:
    price = Price(input_per_mtok=1.0, cached_input_per_mtok=0.1, output_per_mtok=2.0)
    usage = Usage(prompt_tokens=1_000_000, cached_prompt_tokens=600_000, completion_tokens=500_000)
    money = cost(usage, price, krw_per_usd=1000)
    assert money.usd == pytest.approx(0.4 + 0.06 + 1.0)
    assert money.krw == pytest.approx(1460)


def test_reasoning_tokens_are_output_and_not_counted_twice() -> None:
    price = Price(0.0, 0.0, 1.0)
    with_reasoning = Usage(completion_tokens=1_000_000, reasoning_tokens=800_000)
    assert cost(with_reasoning, price).usd == pytest.approx(1.0)
    # a server that reports reasoning outside completion_tokens still pays for it
    assert cost(Usage(completion_tokens=10, reasoning_tokens=2_000_000), price).usd == 2.0


def test_deepseek_reasoner_answer_costs_a_fraction_of_a_won() -> None:
    usage = Usage(
        prompt_tokens=1187, completion_tokens=64, cached_prompt_tokens=1024, reasoning_tokens=41
    )
    money = cost(usage, DEFAULT_PRICES["deepseek-reasoner"])
    expected = (163 * 0.28 + 1024 * 0.028 + 64 * 0.42) / 1e6
    assert money.usd == pytest.approx(expected)
    assert money.krw == pytest.approx(expected * KRW_PER_USD)
    assert isinstance(money, Money)
    assert 0 < money.krw < 1


def test_prices_in_won() -> None:
    money = cost(Usage(prompt_tokens=1_000_000), Price(1400, 1400, 0, currency="KRW"))
    assert money.krw == pytest.approx(1400)
    assert money.usd == pytest.approx(1400 / KRW_PER_USD)


def test_price_lookup_by_llm_name() -> None:
    assert price_for("openai:deepseek-chat") == DEFAULT_PRICES["deepseek-chat"]
    assert price_for("gpt-4o-mini") == DEFAULT_PRICES["gpt-4o-mini"]
    assert price_for("local:gemma-3-270m") == FREE
    assert price_for("openai:some-vllm-model") is None


def test_overrides_from_config() -> None:
    prices = prices_with(
        {"deepseek-chat": {"output": 1.1}, "my-model": {"input": 0.5, "output": 1}}
    )
    assert prices["deepseek-chat"] == Price(0.28, 0.028, 1.1)
    assert prices["my-model"] == Price(0.5, 0.5, 1.0)
    assert DEFAULT_PRICES["deepseek-chat"].output_per_mtok == 0.42


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new": {"input": 1}}, "needs both input and output"),
        ({"gpt-4o": {"input": "cheap"}}, "must be a number"),
        ({"gpt-4o": {"inptu": 1}}, "unknown field"),
        ({"gpt-4o": {"currency": "EUR"}}, "currency"),
        ({"gpt-4o": {"input": -1}}, "negative"),
    ],
)
def test_bad_overrides_say_what_is_wrong(
    overrides: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        prices_with(overrides)
