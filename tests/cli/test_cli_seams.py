"""The command-line package's seams: each module imports on its own, state is per run."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dalin.cli
from dalin.cli import common
from dalin.cli.main import app

MODULES = sorted(m.name for m in pkgutil.iter_modules(dalin.cli.__path__))


def test_the_package_has_the_expected_modules() -> None:
    # a guard against the parametrisation below silently finding nothing
    assert {"common", "main", "eval", "glossary", "mcp", "serve"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import dalin.cli.{name}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_no_module_imports_from_main() -> None:
    folder = Path(dalin.cli.__path__[0])
    for path in folder.glob("*.py"):
        assert "dalin.cli.main import" not in path.read_text(encoding="utf-8"), path.name


def test_state_belongs_to_one_run(tmp_path: Path) -> None:
    # the first run's --lang en and --workspace must not leak into the second
    runner = CliRunner()
    first = runner.invoke(app, ["-w", str(tmp_path / "a"), "--lang", "en", "init"])
    assert first.exit_code == 0 and "Created" in first.output
    second = runner.invoke(app, ["-w", str(tmp_path / "b"), "--lang", "ko", "init"])
    assert second.exit_code == 0 and "Created" not in second.output
    assert (tmp_path / "b" / "dalin.toml").is_file()


def test_a_runs_state_ends_with_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-w", str(tmp_path / "a"), "--lang", "en", "docs", "--json"])
    assert result.exit_code == 1
    assert common.state().workspace is None and common.state().json is False
