"""What a generation cost, from its Usage and a per-model price list.

Prices are plain data a workspace can override (``[prices."deepseek-chat"]`` in dalin.toml
arrives here as a dict). The shipped ones are dated examples, not a promise: providers
change prices often, so check the provider's page before quoting them to anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from dalin.llm.base import Usage

#: KRW per USD used for the won figure: roughly the 2025 rate; override for today's.
KRW_PER_USD = 1400.0
_CURRENCIES = ("USD", "KRW")


@dataclass(frozen=True)
class Price:
    """Prices per million tokens, in ``currency`` (USD or KRW)."""

    input_per_mtok: float
    cached_input_per_mtok: float
    output_per_mtok: float
    currency: str = "USD"

    def __post_init__(self) -> None:
        if self.currency not in _CURRENCIES:
            raise ValueError(f"price currency must be one of {_CURRENCIES}, not {self.currency!r}")
        rates = (self.input_per_mtok, self.cached_input_per_mtok, self.output_per_mtok)
        if any(rate < 0 for rate in rates):
            raise ValueError(f"prices cannot be negative: {rates}")


@dataclass(frozen=True)
class Money:
    """An amount in US dollars and the same in Korean won."""

    usd: float
    krw: float


FREE = Price(0.0, 0.0, 0.0)

# List prices as of 2025-10, per million tokens; check the provider's page before relying
# on them. DeepSeek: V3.2-Exp prices from 2025-09-29, the same for both models (cache hit
# 0.028, miss 0.28, output 0.42). OpenAI: standard tier.
DEFAULT_PRICES: Mapping[str, Price] = MappingProxyType(
    {
        "deepseek-chat": Price(0.28, 0.028, 0.42),
        "deepseek-reasoner": Price(0.28, 0.028, 0.42),
        "gpt-4o": Price(2.50, 1.25, 10.00),
        "gpt-4o-mini": Price(0.15, 0.075, 0.60),
        "gpt-4.1-mini": Price(0.40, 0.10, 1.60),
    }
)


def cost(usage: Usage, price: Price, *, krw_per_usd: float = KRW_PER_USD) -> Money:
    """The cost of one generation.

    Cached prompt tokens are billed at the cached rate, the rest of the prompt at the input
    rate. Reasoning tokens are billed as output: both DeepSeek and OpenAI already count them
    in ``completion_tokens``, so they are not added again.
    """
    cached = min(usage.cached_prompt_tokens, usage.prompt_tokens)
    output = max(usage.completion_tokens, usage.reasoning_tokens)
    amount = (
        (usage.prompt_tokens - cached) * price.input_per_mtok
        + cached * price.cached_input_per_mtok
        + output * price.output_per_mtok
    ) / 1_000_000
    if price.currency == "KRW":
        return Money(usd=amount / krw_per_usd, krw=amount)
    return Money(usd=amount, krw=amount * krw_per_usd)


def price_for(llm_name: str, prices: Mapping[str, Price] = DEFAULT_PRICES) -> Price | None:
    """The price of a model by its LLM name ("openai:deepseek-chat", "local:…", or bare).

    Local models cost nothing; a model missing from the list is None (unknown, not free).
    """
    backend, _, model = llm_name.partition(":")
    if not model:
        backend, model = "", backend
    if backend == "local":
        return FREE
    return prices.get(model)


def prices_with(
    overrides: Mapping[str, Mapping[str, Any]], base: Mapping[str, Price] = DEFAULT_PRICES
) -> dict[str, Price]:
    """``base`` with per-model overrides of ``input``, ``cached_input``, ``output``, ``currency``.

    A model not in ``base`` needs ``input`` and ``output``; its cached rate defaults to the
    input rate (no cache discount assumed). Raises ValueError on a missing or bad value.
    """
    prices = dict(base)
    for model, fields in overrides.items():
        unknown = set(fields) - {"input", "cached_input", "output", "currency"}
        if unknown:
            raise ValueError(f"prices.{model}: unknown field(s) {sorted(unknown)}")
        old = prices.get(model)
        if old is None and not {"input", "output"} <= set(fields):
            raise ValueError(f"prices.{model}: a new model needs both input and output")
        input_rate = _rate(fields, "input", old.input_per_mtok if old else None, model)
        cached_default = old.cached_input_per_mtok if old else input_rate
        prices[model] = Price(
            input_per_mtok=input_rate,
            cached_input_per_mtok=_rate(fields, "cached_input", cached_default, model),
            output_per_mtok=_rate(fields, "output", old.output_per_mtok if old else None, model),
            currency=str(fields.get("currency", old.currency if old else "USD")),
        )
    return prices


def _rate(fields: Mapping[str, Any], key: str, default: float | None, model: str) -> float:
    value = fields.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"prices.{model}.{key} must be a number, not {value!r}")
    return float(value)
