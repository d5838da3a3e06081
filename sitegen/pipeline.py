"""The build, stage by stage: settings, content, site, plan, render, write.

Each stage is a plain function over plain data (see ARCHITECTURE in the README);
this module only runs them in order and gathers their problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import itertools
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import content, data, gias, hero, images, search, unpublished
from .buildindex import BuildIndex
from .checks import check_site
from .config import Config, load_config, overwrites_hub
from .content import Page, Settings
from .dates import is_published
from .driver import Driver, Profile, Run  # noqa: I001 - after the stages it runs
from .errors import BuildFailed, ContentError, Problems, SitegenError, SitegenWarning, TemplateError, UsageError, did_you_mean
from .fields import FieldContext
from .hubcheck import check_hub
from .lock import output_lock
from .model import Inputs, Site, assemble
from .outputs import Copy, Output
from .outputs.admin import editor_files
from .outputs.files import processed
from .outputs.host import security
from .sitecheck import check_output
from .templates import THEME, render_template
from .urls import output_file
from .writer import add_files, check_output_folder, index_folder, update_site, write_site


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: output_dir from site.yaml
    base_url: str | None = None  # overrides site.yaml (e.g. for a preview deploy)
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # the moment the site is built for; default: now
    write: bool = True  # False for `check`
    jobs: int | None = None  # processes that read and render; default: every core
    cache: bool = True  # use the persistent cache in cache_dir (.sitegen-cache/)


@dataclass
class BuildResult:
    site: Site
    output: Path
    pages: int
    files: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)
    # (file in the output folder, bytes): every file made when not writing (`check`); when writing, those rendered this time
    rendered: list[tuple[str, bytes]] = field(default_factory=list)
    copied: dict[str, Path] = field(default_factory=dict)  # file in the output folder -> the file copied there
    links_followed: int = 0  # by `check`, in the built pages
    pictures: images.Pictures = field(default_factory=images.Pictures)
    search: search.IndexReport | None = None  # the search index written, if any
    held_back: dict[str, str] = field(default_factory=dict)  # site path of a file left out -> the unpublished item using it
    profile: Profile = field(default_factory=Profile)  # what each stage took, and what the cache saved (--profile)


Progress = Callable[[int, int], None]  # (done, total)


def build(root: Path, options: BuildOptions = BuildOptions(), progress: Progress | None = None) -> BuildResult:
    """Build the hub in `root`. Raises BuildFailed (listing every problem) and writes nothing then.

    The stages are run by the build driver (driver.py), which reuses what the persistent cache
    holds; then the search index is made, and the site is written into a staging folder and
    swapped in whole, or, when the output folder holds the last build's site, only the files
    that changed are put in place (writer.update_site)."""
    collecting = gc.isenabled()
    gc.disable()  # a build makes millions of objects and few cycles (see Driver.run): not collected until it ends
    try:
        return _build_once(root, options, progress)
    finally:
        if collecting:
            gc.enable()


def _build_once(root: Path, options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    root = root.resolve()
    check_hub(root).raise_if_any()  # before site.yaml is read: it may itself be a link leading out of the hub
    overrides = {"base_url": options.base_url} if options.base_url else {}
    config, _ = search.settle(load_config(root, overrides))  # the driver reads it again, and warns when search is off
    output = (options.output or config.output_path).resolve()
    if options.output and overwrites_hub(root, output):
        raise UsageError(f"-o {options.output}: building there would overwrite the hub itself; use a folder of its own such as _site")
    if not options.write:
        return _build(root, config, output, options, progress, started)
    with output_lock(output):
        check_output_folder(output)
        return _build(root, config, output, options, progress, started)


def _build(root: Path, config: Config, output: Path, options: BuildOptions, progress: Progress | None, started: float) -> BuildResult:
    driver = Driver(root, options, jobs=options.jobs, persistent=options.cache, save=options.write)
    driver.progress = progress
    run = driver.run(None, output)
    pictures = run.pictures
    warnings = run.warnings
    files = 0
    scratch = index_folder(output)  # removed below, or by the next build if this one is killed
    index = BuildIndex(config, driver.cache, driver.tree, driver.jobs, warnings, scratch) if config.search else None
    if options.write:
        with driver.profile.stage("write"):
            made, image_problems = images.materialise(pictures.rasters.values(), config.cache_path)
            image_problems.raise_if_any()
            copies = processed(run.copies, pictures, made)
            rendered = list(run.rendered.items())  # in the order of run.outputs
            try:
                if driver.up_to_date(output, run, copies) and (index is None or index.was_complete):  # the site there is this one
                    files = len(run.outputs) + len(copies)
                elif driver.can_update(output):  # only what changed
                    files = _update(output, root, driver, run, copies, index, scratch)
                else:
                    reused = [(output / f, f) for f in run.reused]

                    def make_index(staging: Path) -> None:
                        assert index is not None
                        index.make(run.rendered, run.reused, output, lambda file: staging / file)
                        add_files(staging, index.files)

                    files = write_site(output, rendered, ((c.src, output_file(c.url)) for c in copies),
                                       make_index if index else None, name=lambda path: hub_name(path, root), reuse=reused)
                    driver.written(output, copies)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            if index:
                index.remember(output, run.rendered)
        driver.save_cache(outputs=True)
    else:
        rendered = [(f, run.rendered[f] if f in run.rendered else driver.bytes_of(f, output)) for f in (output_file(o.url) for o in run.outputs)]
        driver.save_cache()
    pages = sum(1 for o in run.outputs if o.template)
    copied = {output_file(c.url): c.src for c in run.copies}
    return BuildResult(run.site, output, pages, files, time.perf_counter() - started, warnings, rendered, copied,
                       pictures=pictures, search=index.report if index else None, held_back=run.held_back, profile=driver.profile)


def scan_pictures(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems,
                  memo: dict[tuple[str, int, int], object] | None = None) -> images.Pictures:
    """The size of every picture among the files copied, and the checks that need them."""
    pictures, found = images.scan({c.url: c.src for c in copies}, site.config.root, memo)
    pictures.base_path = site.config.base_path
    problems.extend(found)
    home_hero = None
    if site.home and site.home.fields.get("hero") is not None:
        try:
            home_hero = hero.parse(site.home.fields["hero"], folder="/")  # index.md sits at the top of content/
        except ValueError as exc:
            problems.error(site.home.source, site.home.line_of("hero"), f"hero: {exc}")
    problems.extend(images.check_hub(site.config, home_hero, pictures, {o.url for o in outputs}))
    return pictures


def _update(output: Path, root: Path, driver: Driver, run: Run, copies: list[Copy], index: BuildIndex | None,
            scratch: Path) -> int:
    """Bring the site in `output` up to date in place (writer.update_site), its search index too."""
    own = {output_file(c.url) for c in copies}  # a hub's own file wins over the one sitegen makes there
    pages = {f: body for f, body in run.rendered.items() if f not in own}
    links: list[tuple[Path, str]] = []
    if index:
        fresh = scratch / "pages"  # where Pagefind reads the new pages (the others are in the output)
        made = {f for f, body in pages.items() if search.BODY_MARKER in body}
        add_files(fresh, {f: pages[f] for f in made})
        index.make(run.rendered, run.reused, output, lambda file: fresh / file if file in made else output / file)
        for file, where in index.files.items():
            if isinstance(where, bytes):
                if file not in driver.tree or (output / file).read_bytes() != where:
                    pages[file] = where
            elif driver.tree.get(file, (None,))[0] != where.stat().st_ino:  # not the stored file already
                links.append((where, file))
    changes = update_site(output, itertools.chain(run.reused, run.rendered, own, index.files if index else ()), driver.tree,
                          driver.folders, pages.items(), ((c.src, output_file(c.url)) for c in driver.copies_to_put(copies)),
                          name=lambda path: hub_name(path, root), links=links)
    driver.written(output, copies, changes)
    return len(run.outputs) + len(copies)


def load_site(root: Path, config: Config, options: BuildOptions) -> tuple[Site, dict[str, Path], Problems, list[Page]]:
    """Read every file of the hub and assemble the Site; problems are gathered, not raised.

    Also returns the items that are not published (drafts, future, expired)."""
    problems = Problems()
    problems.warnings.extend(config.warnings)
    settings = reading_settings(config)
    page_paths, other_paths = content.discover(root)
    pages = []
    unreadable = set()
    for rel in page_paths:
        try:
            text = content.read_text(root / rel, rel, problems)
        except ContentError as exc:
            problems.errors.append(exc)
            unreadable.add(rel)
            continue
        page, page_problems = content.load_page(rel, text, settings)
        problems.extend(page_problems)
        if page is None:
            unreadable.add(rel)
        else:
            pages.append(page)

    data_files, data_texts, data_problems = data.load_data(root)
    problems.extend(data_problems)
    unreadable |= add_csv_schools(pages, data_texts, settings, problems)

    static = {**editor_files(config, options.write, problems), **static_files(root)}  # the hub's own static/ wins
    now = options.now or build_moment(config)
    inputs = Inputs(
        config=config, pages=pages,
        content_files={rel: (root / rel).stat().st_size for rel in other_paths},
        static_files={url: path.stat().st_size for url, path in static.items()},
        data=data_files, now=now.astimezone(config.tz), unreadable=frozenset(unreadable), drafts=options.drafts, future=options.future,
    )
    site, site_problems = assemble(inputs)
    problems.extend(site_problems)
    hidden = [p for p in pages if not p.broken and not is_published(p, config.schema.kind(p.kind), inputs.now, options.drafts, options.future)]
    return site, static, problems, hidden


def reading_settings(config: Config) -> Settings:
    """What reading one content file depends on."""
    return Settings(FieldContext(config.tz, config.vocabularies), config.markdown_extensions, config.schema)


def add_csv_schools(pages: list[Page], data_texts: dict[str, str], settings: Settings, problems: Problems,
                    memo: dict[str, Any] | None = None) -> set[str]:
    """Add the schools of data/schools.csv to `pages` (a school's own file wins over its row).

    Returns {data/schools.csv} when the file has errors, so that schools missing from it are not reported again.
    `memo` keeps the schools read from the same text (the dev server's rebuilds)."""
    if any(e.path == gias.SCHOOLS_CSV for e in problems.errors):
        return {gias.SCHOOLS_CSV}
    if gias.SCHOOLS_CSV not in data_texts:
        return set()
    text = data_texts[gias.SCHOOLS_CSV]
    known = memo.get("csv") if memo is not None else None
    if known is not None and known[0] == text:  # the driver empties the memo when the settings change
        schools, csv_problems = known[2], known[3]
    else:
        schools, csv_problems = gias.load_schools_csv(text, settings)
        if memo is not None:
            memo["csv"] = (text, settings, schools, csv_problems)
    problems.extend(csv_problems)
    own = {p.fields["urn"] for p in pages if p.kind == "schools" and p.fields.get("urn")}
    pages += [s for s in schools if s.fields["urn"] not in own]
    return {gias.SCHOOLS_CSV} if csv_problems.errors else set()


def build_moment(config: Config) -> dt.datetime:
    """Now, or the moment in SOURCE_DATE_EPOCH (seconds since 1970) for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(config.tz)
    try:
        return dt.datetime.fromtimestamp(int(epoch), config.tz)
    except ValueError:
        raise UsageError(f'SOURCE_DATE_EPOCH: "{epoch}" is not a whole number of seconds since 1970 (e.g. 1767225600); set it right or unset it') from None
    except (OverflowError, OSError):
        raise UsageError(f'SOURCE_DATE_EPOCH: "{epoch}" is too far from today to be a date') from None


def hub_name(path: Path, root: Path) -> str:
    """A file's name in messages: hub-relative, or sitegen/theme/... for the built-in theme's."""
    for base, label in ((root, ""), (THEME, "sitegen/theme/")):
        if path.is_relative_to(base):
            return label + path.relative_to(base).as_posix()
    return str(path)


def withheld(root: Path, site: Site, hidden: list[Page], copies: list[Copy]) -> dict[str, str]:
    """Files that only unpublished items use, left out of the site (see unpublished.py):
    site path -> why, e.g. 'content/resources/plan.md, a draft'."""
    if not hidden:
        return {}
    schema = site.config.schema

    def file_fields(page: Page) -> list[str]:
        return [f.name for f in schema.kind(page.kind).fields if f.type in unpublished.FILE_TYPES]

    held = unpublished.held_back(copies, hidden, site.by_url.values(), lambda: unpublished.hub_texts(root), file_fields)
    drafts = {p.source for p in hidden if p.fields.get("draft")}
    return {path: f"{source}, {'a draft' if source in drafts else 'not published yet'}" for path, source in held.items()}


def static_files(root: Path) -> dict[str, Path]:
    """Site path -> file, for the theme's assets and then the site's static/ (which wins)."""
    files: dict[str, Path] = {}
    for folder in (THEME / "static", root / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not content.IGNORED.search(rel) and (folder == THEME / "static" or content.is_inside(path, root)):
                    files["/" + rel] = path
    return files


def check_root_links(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Links written from the site root (/files/plan.pdf, /feed.xml, /news/2026/) must lead to a file the build makes."""
    made = {o.url for o in outputs} | {c.url for c in copies}
    for page in site.by_url.values():
        for link in page.links:
            if not link.target.startswith("/"):
                continue
            path = link.target.split("#")[0].split("?")[0]
            if path not in made and path.rstrip("/") + "/" not in made:
                what = "image" if link.image else "link"
                problems.error(page.source, link.line, f"{what} to {path}: nothing on the site has that address{did_you_mean(path, sorted(made))}")


def check_paths(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Every file the build makes must be one a file system can hold: no backslash in a name, no part
    longer than 255 bytes, and no file where another needs a folder (content/about beside about.md)."""
    root = site.config.root
    made: dict[str, tuple[str, str | None, int | None]] = {}  # output file -> (site path, source, line)
    redirects = [o for o in outputs if o.source is None and o.url in site.aliases]
    redirected = {id(o) for o in redirects}
    for output in [o for o in outputs if id(o) not in redirected] + redirects:  # sitegen's own files first: an alias may not replace one
        source, line = output.source, None
        if id(output) in redirected:  # named by the page that asks for it
            page = site.by_url.get(site.aliases[output.url])
            source, line = (page.source, page.line_of("aliases")) if page else (None, None)
            taken = _file_of(output.url)
            if taken in made:
                problems.error(source, line, f"aliases: {output.url} is an address sitegen makes itself; "
                                             "an alias must be an old address that nothing else uses")
                continue
        _add_path(made, output.url, source, line, problems)
    for copy in copies:
        _add_path(made, copy.url, hub_name(copy.src, root), None, problems)
    for file, (url, source, line) in made.items():
        folder = file
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            if folder in made:
                other_url, other, other_line = made[folder]
                where, at = (source, line) if source else (other, other_line)
                problems.error(where, at, f"{other_url} is both a file ({other or 'made by sitegen'}) and a folder holding {url} "
                                          f"({source or 'made by sitegen'}); rename one of them")
                break


def _file_of(url: str) -> str | None:
    try:
        return output_file(url)
    except ValueError:
        return None


def _add_path(made: dict[str, tuple[str, str | None, int | None]], url: str, source: str | None, line: int | None, problems: Problems) -> None:
    try:
        file = output_file(url)
    except ValueError:
        if "\\" in url:
            problems.error(source, line, f"{url}: a backslash (\\) cannot be part of a web address; rename the file")
        return  # any other impossible path is refused where it is written (model.assemble)
    if len(file) * 4 <= MAX_NAME:  # no part can be too long (4 bytes at most a character): the usual case, quickly
        made.setdefault(file, (url, source, line))
        return
    longest = max(file.split("/"), key=lambda part: len(part.encode()))
    if len(longest.encode()) > MAX_NAME:
        problems.error(source, line, f"{url}: a part of this address is {len(longest.encode())} bytes long; file systems allow at most {MAX_NAME}")
        return
    made.setdefault(file, (url, source, line))


MAX_NAME = 255  # bytes in one file or folder name, on every common file system


def check_unique(outputs: list[Output], copies: list[Copy], problems: Problems) -> None:
    """Two outputs for one file (say a post with slug 'tags' and the tag index) is an error naming the file."""
    seen: dict[str, str] = {}
    for url, source in [(o.url, o.source) for o in outputs]:
        key = _file_or_none(url)
        if key is None:
            continue
        if key in seen and bool(source) != bool(seen[key]):  # two content files: reported by assemble already
            culprit = source or seen[key]
            problems.error(culprit, 1, f"{url} is also a page that sitegen makes itself; give this file another 'slug:'")
        seen.setdefault(key, source or "")
    for copy in copies:  # a file of the hub's own, copied over what sitegen makes: allowed, but said
        key = _file_or_none(copy.url)
        if key in seen and not seen[key]:
            problems.warn(None, None, f"{copy.url}: the hub's own file replaces the one sitegen makes at that address")


def _file_or_none(url: str) -> str | None:
    try:
        return output_file(url)
    except ValueError:  # reported by check_paths
        return None


def render_output(output: Output, site: Site, env: jinja2.Environment) -> bytes:
    """Pure: the same output, site and templates give the same bytes."""
    if output.render is not None:
        return output.render(output, site)
    assert output.template is not None
    context: dict[str, Any] = {"site": site, "config": site.config, "data": site.data, "page": None, "title": None, "current_url": output.url}
    context.update(output.context)
    html = render_template(env, output.template, context, site.config.root)
    pictures = env.globals.get("images")
    if isinstance(pictures, images.Pictures):  # sizes, srcset and loading hints on every <img>; format and size on file links
        html = images.enhance(html, pictures)
    return html.encode("utf-8")


def _check_templates(outputs: list[Output], env: jinja2.Environment, problems: Problems) -> set[str]:
    """Templates named by outputs that do not exist, each reported where it was asked for."""
    missing: set[str] = set()
    for output in outputs:
        if output.template is None or output.template in missing:
            continue
        try:
            env.get_template(output.template)
        except UnicodeDecodeError:
            missing.add(output.template)
            problems.error(f"templates/{output.template}", None, "is not UTF-8 text: save it again as UTF-8", TemplateError)
        except jinja2.TemplateNotFound:
            missing.add(output.template)
            page = output.context.get("page")
            line = page.line_of("template") if page is not None and page.fields.get("template") else None
            where = output.source if line else None
            problems.error(where, line, f"template '{output.template}' does not exist in templates/ or the built-in theme", TemplateError)
        except OSError as exc:  # after TemplateNotFound, which is one too
            missing.add(output.template)
            problems.error(f"templates/{output.template}", None, f"cannot be read ({exc.strerror or exc}): check the file's permissions", TemplateError)
        except jinja2.TemplateError:
            continue  # a syntax error: reported when it is rendered
    return missing


def check_build(root: Path, options: BuildOptions, strict: bool = False) -> BuildResult:
    """Everything a build does except writing, and the checks of `checks.py` (`sitegen check`).

    With `strict`, warnings count as errors."""
    result = build(root, dataclasses.replace(options, write=False))
    problems = check_site(result.site, result.rendered, result.pictures)
    result.links_followed = check_built_links(result, problems)
    problems.raise_if_any()
    result.warnings += problems.warnings
    for path, why in sorted(result.held_back.items()):
        result.warnings.append(SitegenWarning(f"{path} is left out of the site until it is published: the only item using it is {why}"))
    if strict and result.warnings:
        raise BuildFailed(result.warnings)
    return result


def check_built_links(result: BuildResult, problems: Problems) -> int:
    """Follow every link and asset of the built site, as it would be written, under its base path."""
    files: dict[str, bytes | None] = dict(result.rendered)
    for rel, src in result.copied.items():  # the hub's own files replace generated ones of the same name
        files[rel] = src.read_bytes() if rel.endswith(".css") else None
    for picture in result.pictures.rasters.values():  # the smaller copies a build makes of each picture
        files.update({output_file(v.url): None for v in picture.variants})
    site = result.site
    sources = {output_file(p.url): p.source for p in site.by_url.values()}
    policy = security(site).header
    return check_output(files, site.config.base_path, site.config.origin, policy, sources, problems)


__all__ = ["BuildFailed", "BuildOptions", "BuildResult", "Copy", "build", "check_build", "load_site"]
