"""`dalin add` on a real folder: what is skipped, what fails, and the exit code (issue 16)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dalin.cli.main import app

runner = CliRunner()


def dalin(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def office(tmp_path: Path) -> Path:
    folder = tmp_path / "문서"
    folder.mkdir()
    (folder / "휴가규정.txt").write_text("연차휴가는 1년에 15일이다.", encoding="utf-8")
    (folder / "백업_2024.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    (folder / "설치.exe").write_bytes(b"MZ" + b"\0" * 40)
    return folder


def test_unsupported_files_are_listed_once_and_do_not_fail_the_run(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert dalin("-w", ws, "init")[0] == 0
    folder = office(tmp_path)
    code, output = dalin("-w", ws, "--lang", "en", "add", "--no-embed", str(folder))
    assert code == 0, output
    assert output.count("백업_2024.zip") == 1 and output.count("설치.exe") == 1
    assert "Skipped 2 files" in output and "failed 0" in output
    # nothing changed: a nightly re-run is quiet about errors and exits 0
    code, output = dalin("-w", ws, "--lang", "en", "add", "--no-embed", str(folder))
    assert code == 0 and "unchanged 1" in output and "failed 0" in output
    code, output = dalin("-w", ws, "--lang", "en", "docs", "--json")
    assert code == 0 and "백업_2024.zip" not in output


def test_a_supported_file_that_fails_exits_3(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert dalin("-w", ws, "init")[0] == 0
    folder = office(tmp_path)
    (folder / "깨진.pdf").write_bytes(b"%PDF-1.4 truncated")
    code, output = dalin("-w", ws, "--lang", "en", "add", "--no-embed", str(folder))
    assert code == 3 and "깨진.pdf" in output and "failed 1" in output
    assert "Skipped 2 files" in output


def test_many_skipped_files_stay_on_one_line(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert dalin("-w", ws, "init")[0] == 0
    folder = tmp_path / "archives"
    folder.mkdir()
    for i in range(8):
        (folder / f"a{i}.zip").write_bytes(b"PK")
    code, output = dalin("-w", ws, "--lang", "ko", "add", "--no-embed", str(folder))
    assert code == 0
    [line] = [line for line in output.splitlines() if "건너뛴" in line]
    assert "8개" in line and "a0.zip" in line and "외 3개" in line and "a7.zip" not in line
