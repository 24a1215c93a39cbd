"""Exact arithmetic on an expression, with no ``eval``: a whitelisted AST walk over Decimals.

Models and the offline reader both need arithmetic they can show ("POS 17대 + 무인 발권기
6대 = 23대") and the grounding check needs to recompute what a model wrote. Python's
``eval`` would run anything; here the expression is parsed with :mod:`ast` and only these
nodes are walked (SECURITY.md check 8):

* numbers, written plainly or with thousands separators (``270,000,000``) and percentages
  (``15%`` = 0.15);
* ``+ - * / // %`` and ``**`` with a whole exponent of at most ``MAX_EXPONENT`` in size;
* unary ``+``/``-`` and parentheses;
* the functions ``sum``, ``min``, ``max``, ``avg`` (= ``mean``), ``abs``, ``round``.

Names, attributes, subscripts, comprehensions, strings and every other node are refused.
Work is bounded by the expression's length and node count, and every intermediate result
by ``MAX_DIGITS`` digits, so ``9**9**9`` is refused at once instead of running for hours.
Decimal arithmetic (28 significant digits) keeps money exact: 0.1 + 0.2 is 0.3.
"""

from __future__ import annotations

import ast
import decimal
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from dalin.errors import CalculationError

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 100
#: digits left of the decimal point in any intermediate result
MAX_DIGITS = 40

_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, Emax=10_000, Emin=-10_000)
# "270,000,000" and "1,234.5" but never the argument separator of "max(1,2)" alone
_GROUPED = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%(?!\s*[\d(])")
_BINARY: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: _CONTEXT.add(a, b),
    ast.Sub: lambda a, b: _CONTEXT.subtract(a, b),
    ast.Mult: lambda a, b: _CONTEXT.multiply(a, b),
    ast.Div: lambda a, b: _CONTEXT.divide(a, b),
    ast.FloorDiv: lambda a, b: _CONTEXT.divide_int(a, b),
    ast.Mod: lambda a, b: _CONTEXT.remainder(a, b),
    ast.Pow: lambda a, b: _power(a, b),
}


def _mean(values: Sequence[Decimal]) -> Decimal:
    return _CONTEXT.divide(_sum(values), Decimal(len(values)))


def _sum(values: Sequence[Decimal]) -> Decimal:
    total = Decimal(0)
    for value in values:
        total = _CONTEXT.add(total, value)
    return total


def _round(values: Sequence[Decimal]) -> Decimal:
    if len(values) > 2:
        raise CalculationError("round() takes a number and at most one count of decimals")
    places = int(values[1]) if len(values) == 2 else 0
    if (values[1:] and values[1] != places) or not -MAX_DIGITS <= places <= MAX_DIGITS:
        raise CalculationError("round()'s count of decimals must be a small whole number")
    return values[0].quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)


def _one(
    name: str, function: Callable[[Decimal], Decimal]
) -> Callable[[Sequence[Decimal]], Decimal]:
    def call(values: Sequence[Decimal]) -> Decimal:
        if len(values) != 1:
            raise CalculationError(f"{name}() takes one number")
        return function(values[0])

    return call


FUNCTIONS: dict[str, Callable[[Sequence[Decimal]], Decimal]] = {
    "sum": _sum,
    "min": min,
    "max": max,
    "avg": _mean,
    "mean": _mean,
    "abs": _one("abs", abs),
    "round": _round,
}


def prepare(expression: str) -> str:
    """The expression as Python syntax: thousands separators dropped, ``%`` as ``/100``,
    ``×``/``÷``/``−`` as operators."""
    text = expression.strip()
    for sign, operator in (("×", "*"), ("÷", "/"), ("−", "-"), ("–", "-"), ("^", "**")):
        text = text.replace(sign, operator)
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    return _PERCENT.sub(r"(\1/100)", text)


def evaluate(expression: str) -> Decimal:
    """The exact value of ``expression``; ``CalculationError`` says why one is refused."""
    if len(expression) > MAX_LENGTH:
        raise CalculationError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(prepare(expression), mode="eval")
    except SyntaxError as exc:
        raise CalculationError(f"not an arithmetic expression: {expression!r}") from exc
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise CalculationError(f"the expression has more than {MAX_NODES} parts")
    try:
        value = _walk(tree.body)
    except decimal.DecimalException as exc:
        raise CalculationError(f"cannot compute {expression!r}: {exc!r}") from exc
    return value.normalize(_CONTEXT) if value == value.to_integral_value() else value


def format_number(value: Decimal, *, places: int | None = None) -> str:
    """``270000000`` → ``270,000,000``; ``2.50`` → ``2.5``; ``places`` rounds first."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value.normalize(_CONTEXT):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _walk(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _walk(node.left), _walk(node.right)
        if right == 0 and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod):
            raise CalculationError("division by zero")
        return _bounded(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _walk(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        function = FUNCTIONS.get(node.func.id)
        if function is None:
            raise CalculationError(f"unknown function {node.func.id}()")
        values = _arguments(node.args)
        if not values:
            raise CalculationError(f"{node.func.id}() needs at least one number")
        return _bounded(function(values))
    raise CalculationError(f"not allowed in a calculation: {type(node).__name__}")


def _arguments(args: Sequence[ast.expr]) -> list[Decimal]:
    """Call arguments; one list or tuple argument is spread (``sum([1, 2])``)."""
    if len(args) == 1 and isinstance(args[0], ast.List | ast.Tuple):
        args = args[0].elts
    return [_walk(a) for a in args]


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CalculationError(f"not a number: {value!r}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return _bounded(number)


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if exponent != exponent.to_integral_value() or abs(exponent) > MAX_EXPONENT:
        raise CalculationError(f"exponents must be whole numbers of at most {MAX_EXPONENT}")
    if base != 0 and abs(base).adjusted() * abs(int(exponent)) > MAX_DIGITS:
        raise CalculationError(f"the result would have more than {MAX_DIGITS} digits")
    return _CONTEXT.power(base, exponent)


def _bounded(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise CalculationError("the result is not a finite number")
    if value != 0 and value.adjusted() >= MAX_DIGITS:
        raise CalculationError(f"a result has more than {MAX_DIGITS} digits")
    return value
