"""`sitegen import wordpress EXPORT.xml`: the command's options and what it prints (the work is in sitegen/importer/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..importer.report import REPORT_FILE
from ..importer.write import MANIFEST
from ..importer.wxr import MAX_MB

IMPORT_HELP = "bring content in from another system: posts, pages, events, media and old addresses"
WORDPRESS_HELP = ("import a WordPress export (Tools > Export > All content) into the hub: posts become news, pages pages, "
                  "The Events Calendar's events events; old addresses keep working; a report lists what needs a person")


def add_import_command(commands: Any) -> argparse.ArgumentParser:
    cmd = commands.add_parser("import", help=IMPORT_HELP, description=IMPORT_HELP + ". See docs/moving-from-wordpress.md.")
    sources = cmd.add_subparsers(dest="source", metavar="SOURCE")
    wp = sources.add_parser("wordpress", help=WORDPRESS_HELP, description=WORDPRESS_HELP + ". Safe to run again: a file a person "
                            f"changed since is never overwritten ({MANIFEST} remembers what the import wrote). See docs/moving-from-wordpress.md.")
    wp.add_argument("export", metavar="EXPORT.xml", help="the file WordPress's Tools > Export made")
    wp.add_argument("--uploads", metavar="DIR", help="a copy of the old site's wp-content/uploads folder: the pictures and files the "
                    "content uses are copied into static/uploads/ (without it, the report lists each one)")
    wp.add_argument("--dry-run", action="store_true", help=f"write nothing; print the report (what {REPORT_FILE} would say)")
    wp.add_argument("--dir", default=".", metavar="DIR", help="the hub's folder, holding site.yaml (default: the current folder)")
    wp.add_argument("--max-size", type=megabytes, default=MAX_MB, metavar="MB",
                    help=f"the largest export read, in megabytes (default {MAX_MB}); better, split a large export by date in WordPress")
    for parser in (cmd, wp):
        parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    cmd.set_defaults(dir=".", import_parser=cmd)
    return cmd


def megabytes(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size in megabytes (1 or more)")
    return int(text)


def run_import(args: argparse.Namespace, root: Path) -> int:
    if args.source is None:
        args.import_parser.print_help(sys.stderr)
        return 2
    from ..importer.wordpress import import_wordpress

    done = import_wordpress(root, Path(args.export), Path(args.uploads) if args.uploads else None, args.dry_run, args.max_size)
    if args.dry_run:
        print(done.report.markdown())
    else:
        print(f"wrote the report to {REPORT_FILE}:", file=sys.stderr)
        print(done.report.markdown(), file=sys.stderr)
    print(done.summary(), file=sys.stderr)
    return 0
