"""The command line: `sitegen build|check|serve|new|schema|init|upgrade|import`. Errors are reported like a compiler's.

Exit status: 0 success, 1 the hub's content or settings are wrong, 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from ..builder.api import BuildOptions, BuildResult, build
from ..check.api import check_build
from ..config.siteyaml import check_base_url
from ..core.errors import BuildFailed, SitegenError, UsageError
from ..model.dates import build_moment
from ..version import __version__
from .importing import add_import_command, run_import

COMMANDS = ("build", "check", "serve", "new", "schema", "init", "upgrade", "import")


DESCRIPTION = "sitegen builds the website of a network of schools from Markdown files."


EPILOG = """exit status: 0 when all went well, 1 when the hub has errors (each shown as path:line: message), 2 when the command is wrong.
Run 'sitegen COMMAND --help' for the options of a command."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def hub_command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = commands.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the hub's folder, holding site.yaml (default: the current folder)")
        cmd.add_argument("--base-url", metavar="URL", help="serve the site from this address instead of site.yaml's base_url, e.g. https://user.github.io/our-network/")
        cmd.add_argument("--drafts", action="store_true", help="include items marked 'draft: true'")
        cmd.add_argument("--future", action="store_true", help="include news dated in the future and items whose publish_date has not come")
        cmd.add_argument("--debug", action="store_true", help="show Python tracebacks for sitegen's own bugs")
        cmd.add_argument("-j", "--jobs", type=jobs_count, metavar="N", help="processes that read and render at once (default: one per core)")
        return cmd

    build_cmd = hub_command("build", "build the hub into its output folder (_site/ unless site.yaml says otherwise)")
    build_cmd.add_argument("-o", "--output", metavar="OUT", help="build into OUT instead of site.yaml's output_dir")
    check_cmd = hub_command("check", "check all content and images, follow every link and asset of the built site, "
                                     "list what pages load from other sites; write nothing")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 1)")
    for cmd in (build_cmd, check_cmd):
        cmd.add_argument("--profile", action="store_true", help="print the time of each stage, the slowest templates, and what the cache saved")
    serve_cmd = hub_command("serve", "build, serve on 127.0.0.1:8000, rebuild on every save and reload the browser (drafts shown)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this computer only)")
    serve_cmd.add_argument("--port", type=port_number, default=8000, help="the port to listen on (default 8000)")
    new_cmd = commands.add_parser("new", help="write a new content file with its front matter filled in",
                                  description="write a new content file (content/KIND/...) with its front matter filled in, and print its path")
    new_cmd.add_argument("kind", metavar="KIND", help="news, event, resource, network, school, page, or a kind of the hub's own")
    new_cmd.add_argument("title", metavar="TITLE", help='the title, in quotes: "Spring reading fortnight"')
    new_cmd.add_argument("--dir", default=".", metavar="DIR", help="the hub's folder (default: the current folder)")
    new_cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of every kind's front matter, for editors",
                                     description="print the JSON Schema of the front matter of every kind of content (the hub's own kinds "
                                                 "included), for editors that check and complete it as you type; see docs/writing.md")
    schema_cmd.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the hub's folder (default: the current folder)")
    schema_cmd.add_argument("--kind", metavar="KIND", help="only this kind (news, events, ...)")
    schema_cmd.add_argument("-o", "--output", metavar="FOLDER", help="write one file per kind, FOLDER/<kind>.schema.json, instead of printing")
    schema_cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    init_cmd = commands.add_parser("init", help="start a new hub: settings, an example of each kind of content, and publishing set up",
                                   description="start a new hub in DIR that builds at once: site.yaml, an example of each kind of content, "
                                   "a README that explains publishing on GitHub Pages, Netlify and Cloudflare Pages step by step, "
                                   "the GitHub Actions workflows, netlify.toml, requirements.txt with sitegen's own wheel in vendor/, and .gitignore")
    init_cmd.add_argument("dir", metavar="DIR", help="the new hub's folder (made if it does not exist)")
    init_cmd.add_argument("--title", help="the hub's name (default: from the folder's name)")
    init_cmd.add_argument("--base-url", metavar="URL", help="the address the site will have, e.g. https://www.our-network.org.uk/")
    init_cmd.add_argument("--curriculum", default="england", metavar="NAME",
                          help="the curriculum the schools follow: england (the default), wales, scotland or northern-ireland; "
                               "it decides how resources are described and what a school's number is")
    init_cmd.add_argument("--force", action="store_true", help="add the files to a folder that is not empty (files already there are kept)")
    init_cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    upgrade_cmd = commands.add_parser("upgrade", help="make the hub install the sitegen that is running: its wheel into vendor/, pinned in requirements.txt",
                                      description="put the wheel of the sitegen that is running into the hub's vendor/ folder (removing the "
                                      "one there before) and pin it in requirements.txt, which is what every publishing service installs; "
                                      "then run 'sitegen check' and commit vendor/ and requirements.txt")
    upgrade_cmd.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the hub's folder, holding site.yaml (default: the current folder)")
    upgrade_cmd.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    add_import_command(commands)
    return parser


def port_number(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535; anything else is a usage error, not a crash."""
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port number (0 to 65535)')
    return int(text)


def main(argv: list[str] | None = None) -> int:
    try:
        return run_command(argv)
    except BrokenPipeError:  # the reader stopped while sitegen reported a failure (`sitegen build 2>&1 | head -3`)
        discard_closed_output()
        return 1


def run_command(argv: list[str] | None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    root = Path(args.dir)
    if args.command != "init" and not root.is_dir():
        parser.error(f"{args.dir} is not a folder")
    try:
        return run(args, root)
    except BuildFailed as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        written = ": nothing was written" if args.command == "build" else ""
        print(f"{len(exc.errors)} error(s){written}", file=sys.stderr)
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
    except Exception as exc:  # a bug in sitegen, not in the hub
        if isinstance(exc, BrokenPipeError) and printing_here(exc):  # `sitegen schema | head`: the reader had enough
            discard_closed_output()
            return 0
        if args.debug:
            traceback.print_exc()
        else:
            print("sitegen: internal error (a bug in sitegen, not in your files); run again with --debug for details", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "init":
        return run_init(args, root)
    if args.command == "upgrade":
        return run_upgrade(root)
    if args.command == "import":
        return run_import(args, root)
    if args.command == "new":
        from ..config.siteyaml import load_config
        from .new import new_content

        config = load_config(root)
        path = new_content(root, config.schema, args.kind, args.title, build_moment(config).date())
        print(path.relative_to(root).as_posix() if not Path(args.dir).is_absolute() else path)
        return 0
    if args.command == "schema":
        return print_schema(args, root)
    if getattr(args, "base_url", None) and check_base_url(args.base_url):
        raise UsageError(f"--base-url: {check_base_url(args.base_url)}")
    options = BuildOptions(
        output=Path(args.output).resolve() if getattr(args, "output", None) else None,
        base_url=args.base_url, drafts=args.drafts, future=args.future, jobs=args.jobs,
    )
    if args.command == "serve":
        from ..serve.server import serve

        return serve(root, options, args.host, args.port)
    if args.command == "check":
        result = check_build(root, options, strict=args.strict)
    else:
        result = build(root, options, progress=progress_printer())
    report(result, args.command)
    if args.profile:
        print(result.profile.report(), file=sys.stderr)
    return 0


def jobs_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


def print_schema(args: argparse.Namespace, root: Path) -> int:
    import json

    from ..config.siteyaml import load_config
    from ..editor.json_schema import json_schema
    from .new import find_kind, kind_names

    config = load_config(root)
    kinds = [k.name for k in config.schema]
    if args.kind:
        kind = find_kind(config.schema, args.kind)
        if kind is None:
            raise UsageError(f"unknown kind '{args.kind}': use one of {kind_names(config.schema)}")
        kinds = [kind.name]
    if not args.output:
        document = json_schema(config.schema, config.vocabularies, kinds[0] if args.kind else None)
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    folder = Path(args.output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in kinds:
            text = json.dumps(json_schema(config.schema, config.vocabularies, name), indent=2, ensure_ascii=False)
            (folder / f"{name}.schema.json").write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"-o {args.output}: cannot write there ({exc.strerror})") from None
    print(f"wrote {len(kinds)} schema file(s) into {folder}", file=sys.stderr)
    return 0


def run_upgrade(root: Path) -> int:
    from .vendor import upgrade_hub

    removed, pinned = upgrade_hub(root)
    for old in removed:
        print(f"removed {old}", file=sys.stderr)
    print(f"requirements.txt now installs sitegen {__version__}: {pinned}. Next: pip install -r requirements.txt, "
          "sitegen check, then commit vendor/ and requirements.txt.", file=sys.stderr)
    return 0


def run_init(args: argparse.Namespace, root: Path) -> int:
    from ..config.siteyaml import Config
    from .init import init_hub

    today = build_moment(Config(root=root, title="")).date()  # in Europe/London, a new hub's time zone
    written, kept = init_hub(root, today, args.title, args.base_url, args.force, args.curriculum)
    for path in kept:
        print(f"kept {path.relative_to(root).as_posix()} (already there)", file=sys.stderr)
    print(f"wrote {len(written)} files into {root}. Next:\n  cd {root}\n  sitegen serve        (then open http://127.0.0.1:8000/)\n"
          "and read README.md there to publish the site.", file=sys.stderr)
    return 0


def progress_printer():  # type: ignore[no-untyped-def]
    """Shows rendering progress on a terminal; prints nothing when output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\rrendering {done}/{total} files", end="", file=sys.stderr, flush=True)
        if done >= total - 100:
            print("\r\033[K", end="", file=sys.stderr, flush=True)

    return show


def report(result: BuildResult, command: str) -> None:
    for warning in result.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if command == "check":
        print(f"checked {len(result.site.by_url)} items, {result.pages} pages and {result.links_followed} links: no errors, "
              f"{len(result.warnings)} warning(s)", file=sys.stderr)
    else:
        for origin, pages in result.site.security().loads_from.items():  # the privacy notice lists them too
            print(f"{len(pages)} page(s) load from {origin}: {', '.join(p.source for p in pages[:3])}{' ...' if len(pages) > 3 else ''}",
                  file=sys.stderr)
        others = result.files - result.pages
        searchable = f" (search index: {result.search.pages} pages)" if result.search else ""
        print(f"built {result.pages} pages and {others} other files{searchable} into {result.output} in {result.seconds:.2f}s", file=sys.stderr)


def printing_here(exc: BaseException) -> bool:
    """Whether the error was met by a print of this module: sitegen's own output closed, not a pipe of the
    build's (to Pagefind, say), whose error is a bug to report."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__name__") == __name__


def discard_closed_output() -> None:
    """Point whichever of stdout and stderr was closed at the null device, so that what is left in its buffer
    goes nowhere when Python exits, quietly (not with a complaint and exit status 120)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            except (OSError, ValueError):  # not a file of the system's (a test's capture)
                pass


def run_console() -> None:
    try:
        status = main()
    finally:  # also after argparse's --help and --version, which end the program themselves
        discard_closed_output()
    sys.exit(status)
