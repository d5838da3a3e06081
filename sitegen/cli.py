"""The command line: `sitegen build|check [DIR]`. Errors are reported like a compiler's.

Exit status: 0 success, 1 the hub's content or settings are wrong, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import BuildFailed, SitegenError, UsageError
from .pipeline import BuildOptions, BuildResult, build, check_build

COMMANDS = ("build", "check")
DESCRIPTION = "sitegen builds the website of a network of schools from Markdown files."


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def hub_command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = commands.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the hub's folder, holding site.yaml (default: the current folder)")
        cmd.add_argument("--base-url", metavar="URL", help="serve the site from this address instead of site.yaml's base_url, e.g. https://user.github.io/our-network/")
        cmd.add_argument("--drafts", action="store_true", help="include items marked 'draft: true'")
        cmd.add_argument("--future", action="store_true", help="include news dated in the future and items whose publish_date has not come")
        cmd.add_argument("--debug", action="store_true", help="show Python tracebacks for sitegen's own bugs")
        return cmd

    build_cmd = hub_command("build", "build the hub into its output folder (_site/ unless site.yaml says otherwise)")
    build_cmd.add_argument("-o", "--output", metavar="OUT", help="build into OUT instead of site.yaml's output_dir")
    hub_command("check", "check all content, links and images, and write nothing")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    root = Path(args.dir)
    if not root.is_dir():
        parser.error(f"{args.dir} is not a folder")
    options = BuildOptions(
        output=Path(args.output).resolve() if getattr(args, "output", None) else None,
        base_url=args.base_url, drafts=args.drafts, future=args.future,
    )
    try:
        result = check_build(root, options) if args.command == "check" else build(root, options)
    except BuildFailed as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} error(s): nothing was written" if args.command == "build" else f"{len(exc.errors)} error(s)", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"sitegen: {exc.message}", file=sys.stderr)
        return 2
    except SitegenError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous site is unchanged", file=sys.stderr)
        return 130
    except Exception:  # a bug in sitegen, not in the hub
        if args.debug:
            traceback.print_exc()
        else:
            print("sitegen: internal error (a bug in sitegen, not in your files); run again with --debug for details", file=sys.stderr)
        return 1
    report(result, args.command)
    return 0


def report(result: BuildResult, command: str) -> None:
    for warning in result.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if command == "check":
        print(f"checked {len(result.site.by_url)} items: no errors", file=sys.stderr)
    else:
        print(f"built {result.pages} pages and {result.files - result.pages} other files into {result.output} in {result.seconds:.2f}s", file=sys.stderr)


def run() -> None:
    sys.exit(main())
