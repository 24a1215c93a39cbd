"""Fixtures of tests/tools (see tool_support)."""

from tool_support import prices, sheets

__all__ = ["prices", "sheets"]
