"""Answers built from retrieved passages, with citations."""
