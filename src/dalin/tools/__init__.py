"""Exact work that models do badly — arithmetic, table lookups — as tools with cited results."""
