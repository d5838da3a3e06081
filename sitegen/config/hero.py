"""The home page's hero: one picture, one sentence and one call to action.

It may be set in site.yaml (`hero:`) or in content/index.md's front matter (which wins):

    hero:
      text: Eleven schools along the River Wendle, learning from each other.
      image: /img/hero.jpg
      image_alt: Teachers from three schools planning a lesson together
      action: Find resources
      action_url: /resources/
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from ..core.errors import did_you_mean

KEYS = ("text", "image", "image_alt", "action", "action_url")


@dataclass(frozen=True)
class Hero:
    text: str
    image: str = ""  # a site path: "/img/hero.jpg"
    image_alt: str = ""
    action: str = ""  # the button's words: "Find resources"
    action_url: str = ""  # a site path or a full address


def parse(raw: Any, folder: str | None = None) -> Hero:
    """A Hero from its YAML mapping; raises ValueError with a plain-English message.

    `folder` is where a relative image path starts (content/ for index.md); None: paths must start with /."""
    example = "e.g. {text: 'One sentence about the hub.', action: Find resources, action_url: /resources/}"
    if not isinstance(raw, dict):
        raise ValueError(f"must be a mapping with {', '.join(KEYS)}; {example}")
    for key in raw:
        if key not in KEYS:
            raise ValueError(f"unknown key '{key}'{did_you_mean(str(key), KEYS)}; a hero takes {', '.join(KEYS)}")
    values = {}
    for key in KEYS:
        value = raw.get(key)
        if value is None or value == "":
            values[key] = ""
        elif not isinstance(value, str):
            raise ValueError(f"{key} must be text")
        else:
            values[key] = value.strip()
    if not values["text"]:
        raise ValueError(f"text is missing: one sentence saying what the hub is for; {example}")
    if values["image"] and not values["image_alt"]:
        raise ValueError("image needs image_alt, a few words saying what the picture shows")
    if bool(values["action"]) != bool(values["action_url"]):
        raise ValueError("give both action (the button's words, e.g. Find resources) and action_url (where it leads, e.g. /resources/)")
    image = values["image"]
    if image and not image.startswith("/"):
        if folder is None or "://" in image:
            raise ValueError(f'image must be the path of a file in static/, such as /img/hero.jpg, not "{image}"')
        image = "/" + posixpath.normpath(posixpath.join(folder, image)).lstrip("/")
    action_url = values["action_url"]
    if action_url and not action_url.startswith("/") and "://" not in action_url and not action_url.startswith("mailto:"):
        raise ValueError(f'action_url must be a site path such as /resources/ or a full address, not "{action_url}"')
    return Hero(values["text"], image, values["image_alt"], values["action"], action_url)
