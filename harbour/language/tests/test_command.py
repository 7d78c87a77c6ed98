"""`harbour check-language FILE...`: findings with line:column, exit 1 if any, 0 if none, 2 if unreadable."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args, stdin: str | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = 0
    try:
        call_command("check_language", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_findings_with_line_and_column_and_exit_1(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Visit on 3 May.\n  She is putting herself at risk.\nThe offender's girlfriend was there.\n")
    code, out, err = run(str(notes))
    assert code == 1
    assert out.splitlines() == [
        f'{notes}:2:7: putting-self-at-risk "is putting herself at risk" -> try "is at risk from others" or '
        '"is being exposed to risk by people who may be exploiting her" (Suggests the child is responsible for '
        "the harm done to them. Children are put at risk by the people who groom and exploit them: say who or "
        "what creates the risk.)"
    ]
    assert "1 finding in 1 file" in err


def test_clean_files_exit_0(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("She is at risk from adults who may be exploiting her.\n")
    assert run(str(clean))[0] == 0


def test_stdin_json_and_unreadable_files(tmp_path, monkeypatch):
    code, out, _ = run("-", "--json", stdin="He is a drug runner.", monkeypatch=monkeypatch)
    assert code == 1 and '"term_id": "drug-running"' in out and '"file": "-"' in out
    code, _, err = run(str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err


def test_database_entries_are_used_unless_default_only(tmp_path):
    from harbour.accounts.models import AgencyKind
    from harbour.demo import factories as f
    from harbour.language.models import LexiconEntry

    admin = f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE))
    LexiconEntry.objects.create(
        term_id="on-the-game",
        term="on the game",
        category="victim_blaming",
        patterns="on the game",
        alternatives="sexually exploited",
        explanation="Work.",
        created_by=admin,
        updated_by=admin,
    )
    path = tmp_path / "n.txt"
    path.write_text("She is on the game.")
    assert run(str(path))[0] == 1
    assert run(str(path), "--default-only")[0] == 0
