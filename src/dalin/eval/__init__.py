"""Evaluation: metrics now; question sets, runner and reports to come."""
