"""Documents for the MCP tests: Korean and English rules, and a canary for another workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

LEAVE = """# 휴가 규정

## 제1조 (연차휴가)
직원은 1년에 15일의 연차휴가를 받는다. 연차휴가는 부서장의 승인을 받아 사용한다.

## 제2조 (병가)
병가는 1년에 최대 10일까지 사용할 수 있다.
"""
SHIPPING = """# Shipping policy

## Delivery times
Standard delivery takes 3 business days within Seoul. Express delivery arrives the next day.

## Returns
Customers may return unopened items within 14 days for a full refund.
"""
#: text only the "other" workspace holds
CANARY = "ZEBRA-CANARY-7731"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with leave.md (Korean), shipping.md (English), and secret.md and secret.csv
    (the canary, in text and in a table)."""
    folder = tmp_path_factory.mktemp("documents")
    (folder / "leave.md").write_text(LEAVE, encoding="utf-8")
    (folder / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    (folder / "secret.md").write_text(f"# Secret\n\nThe vault code is {CANARY}.\n", "utf-8")
    (folder / "secret.csv").write_text(f"item,code\nvault,{CANARY}\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def canary() -> str:
    return CANARY
