"""A native crash fails the one test that caused it; the rest of the run goes on (#18)."""

from __future__ import annotations

import pytest

pytest_plugins = ("pytester",)

CRASHING = """
import ctypes

def test_before():
    assert True

def test_reads_address_zero():
    ctypes.string_at(0)  # a segfault, as a native engine's bad read would be

def test_after():
    assert True
"""


def test_a_segfault_is_one_failed_test_with_its_name_and_signal(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_crash=CRASHING)
    result = pytester.runpytest_subprocess(
        "-n", "1", "-p", "dalin.testing.native_crashes", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2, failed=1)
    text = result.stdout.str()
    assert "test_crash.py::test_reads_address_zero crashed the test process" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert "test_reads_address_zero" in text.split("short test summary info")[1]


def test_without_workers_the_plugin_changes_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fine="def test_ok():\n    assert True\n")
    result = pytester.runpytest_subprocess(
        "-n", "0", "-p", "dalin.testing.native_crashes", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1)
