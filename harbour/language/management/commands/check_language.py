"""`harbour check-language FILE...`: the child-centred language checker as a linter.

Prints one line per finding, `FILE:LINE:COLUMN: term-id "phrase" -> try "alternative" (why)`, and exits 1
if anything was found, 0 if not, 2 if a file could not be read. "-" reads standard input. The lexicon is the
one in force (default terms plus the administrators' entries); --default-only, or a database that cannot be
reached, uses the default terms alone.
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from harbour.language.checker import Lexicon


class Command(BaseCommand):
    help = "Check text files for victim-blaming and adultifying language; exit 1 if any is found."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help='Text files to check ("-" for stdin).')
        parser.add_argument("--default-only", action="store_true", help="Use the default lexicon only.")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print the findings as JSON lines.")

    def _lexicon(self, default_only: bool) -> Lexicon:
        if default_only:
            return Lexicon.default()
        try:
            from harbour.language.selectors import current_lexicon

            return current_lexicon()
        except DatabaseError as error:
            self.stderr.write(f"Using the default lexicon only (the database could not be read: {error}).")
            return Lexicon.default()

    def handle(self, *args, files, default_only=False, as_json=False, **options):
        lexicon = self._lexicon(default_only)
        found = unreadable = 0
        for name in files:
            try:
                if name == "-":
                    text = sys.stdin.read()
                else:
                    with open(name, encoding="utf-8") as fh:
                        text = fh.read()
            except (OSError, UnicodeDecodeError) as error:
                self.stderr.write(f"{name}: cannot read: {error}")
                unreadable += 1
                continue
            for finding in lexicon.check(text):
                found += 1
                self.stdout.write(self._line(name, finding, as_json=as_json))
        if not as_json:
            checked = len(files) - unreadable
            plural = {"findings": "s" if found != 1 else "", "files": "s" if checked != 1 else ""}
            summary = f"{found} finding{plural['findings']} in {checked} file{plural['files']} checked."
            (self.stderr if found else self.stdout).write(summary)
        if unreadable:
            sys.exit(2)
        if found:
            sys.exit(1)

    @staticmethod
    def _line(name: str, finding, *, as_json: bool) -> str:
        if as_json:
            return json.dumps({"file": name, **finding.to_dict()}, ensure_ascii=False)
        suggestion = " or ".join(f'"{a}"' for a in finding.alternatives[:2]) or "reword"
        phrase = " ".join(finding.text.split())
        where = f"{name}:{finding.line}:{finding.column}"
        return f'{where}: {finding.term_id} "{phrase}" -> try {suggestion} ({finding.explanation})'
