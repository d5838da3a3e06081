"""WordPress's menu (its `nav_menu_item`s) as site.yaml's `menu:`, where the entries lead to imported items.

site.yaml is a person's file, with their notes in it: the menu is added at its end when it has none, and never
changed when it has one (the report then gives the lines to paste)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..config.siteyaml import CONFIG_FILE
from .plan import Target
from .report import Report
from .wxr import Export, Item


def wordpress_menu(export: Export, targets: dict[int, Target], by_old: dict[str, Target], sections: dict[str, str],
                   report: Report) -> list[dict[str, str]]:
    """The entries of the WordPress menu with most entries leading to imported items: [{title, url}]. `sections` maps
    a section's address (/news/) to its title, for entries that led to WordPress's pages of the same name."""
    menus: dict[str, list[Item]] = {}
    for item in export.items:
        if item.type == "nav_menu_item":
            name = next((term[2] for term in item.terms if term[0] == "nav_menu"), "")
            menus.setdefault(name, []).append(item)
    if not menus:
        return []
    chosen: dict[str, list[dict[str, str]]] = {}
    for name, items in menus.items():
        entries = []
        for item in sorted(items, key=lambda i: (i.menu_order, i.id)):
            if item.meta.get("_menu_item_menu_item_parent", "0").strip() not in ("", "0"):
                continue  # sitegen's menu has one level: a sub-menu's pages are linked from their parent page
            entry = _entry(item, export, targets, by_old, sections)
            if entry is not None and entry not in entries:
                entries.append(entry)
        chosen[name] = entries
    best = max(sorted(chosen), key=lambda n: len(chosen[n]))
    for name in sorted(chosen):
        if name != best and chosen[name]:
            report.add("menu", "", "", f'the WordPress menu "{name}" was not imported (only one menu is: "{best}")')
    return chosen[best]


def _entry(item: Item, export: Export, targets: dict[int, Target], by_old: dict[str, Target],
           sections: dict[str, str]) -> dict[str, str] | None:
    kind = item.meta.get("_menu_item_type", "")
    target: Target | None = None
    url = ""
    if kind == "post_type":
        target_id = item.meta.get("_menu_item_object_id", "").strip()
        target = targets.get(int(target_id)) if target_id.isdigit() else None
        if target is None and target_id.isdigit():
            page = next((i for i in export.items if i.id == int(target_id)), None)
            url = f"/{page.slug}/" if page is not None and f"/{page.slug}/" in sections else ""
    elif kind == "custom":
        link = item.meta.get("_menu_item_url", "").strip()
        parts = urlsplit(link)
        if not parts.netloc or parts.netloc.lower() == urlsplit(export.site_url).netloc.lower():
            target = by_old.get(parts.path) or by_old.get(parts.path.rstrip("/") + "/")
            url = parts.path if parts.path in sections else ""
    if target is not None and target.item.status == "publish" and not target.item.password:
        url = target.url
    if not url:
        return None
    title = " ".join(html.unescape(item.title).split()) or (html.unescape(target.item.title) if target else sections.get(url, ""))
    return {"title": title, "url": url}


def add_to_site_yaml(root: Path, entries: list[dict[str, str]], report: Report) -> bytes | None:
    """site.yaml's new text with the menu at its end, or None when it needs no change (or must not be changed)."""
    if not entries:
        return None
    path = root / CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    try:
        current: Any = (yaml.safe_load(text) or {}).get("menu")
    except (yaml.YAMLError, AttributeError):
        current = None
    if current == entries:
        return None
    lines = [f"  - {{title: {json.dumps(e['title'], ensure_ascii=False)}, url: {json.dumps(e['url'])}}}" for e in entries]
    if current or re.search(r"^menu\s*:", text, re.M):
        report.add("menu", "", "", "site.yaml has a menu already, so it was not changed. WordPress's menu, to paste in its place if "
                   "you want it: menu: " + " ".join(line.strip() for line in lines))
        return None
    block = "\n# The main menu, from WordPress's (sitegen import wordpress).\nmenu:\n" + "\n".join(lines) + "\n"
    return (text.rstrip("\n") + "\n" + block).encode("utf-8")
