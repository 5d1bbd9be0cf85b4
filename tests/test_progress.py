"""Long CLI commands show a progress line on a terminal, and nothing in a log or a pipe."""

import sys

from bazaar.progress import terminal_progress


def test_progress_is_drawn_in_place_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with terminal_progress("Checking") as progress:
        progress(total=50_000)
        progress(done=15_000)
        progress(done=50_000, label="Writing")
    out = capsys.readouterr().out
    assert "\rChecking 15,000/50,000 (30%)" in out.replace("\x1b[K", "")
    assert "\rWriting 50,000/50,000 (100%)" in out.replace("\x1b[K", "")
    assert out.endswith("\n")


def test_no_progress_off_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    with terminal_progress("Checking") as progress:
        assert progress is None
    assert capsys.readouterr().out == ""


def test_the_import_command_reports_its_progress_on_a_terminal(runner, tmp_path, monkeypatch):
    from tests.services.test_imports import VENDORS

    calls = []

    def fake(label):
        from contextlib import contextmanager

        @contextmanager
        def bar():
            yield lambda **kwargs: calls.append(kwargs)

        return bar()

    monkeypatch.setattr("bazaar.cli.terminal_progress", fake)
    path = tmp_path / "v.csv"
    path.write_text(VENDORS, encoding="utf-8")
    result = runner.invoke(args=["import", "vendors", str(path)])
    assert result.exit_code == 0, result.output
    assert {"done": None, "total": 2, "label": None} in calls
    assert {"done": 2, "total": None, "label": None} in calls  # checked
    assert {"done": 2, "total": None, "label": "Writing"} in calls
