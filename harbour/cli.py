"""The `harbour` console command: Django's management commands under one name.

Commands may be typed with hyphens (`harbour seed-demo`, `harbour audit-verify`); Django's
module names use underscores, so the first argument is translated.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.local")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
