"""The one description of every kind of content and its fields.

Everything that knows about kinds reads it: loading and checking front matter,
the checks of references between items, URLs and sections, the Site's collections,
`sitegen new`, the resource facets and search filters, what the dev server must
render again, `sitegen schema` (JSON Schema for editors), the browser editor, and
the field tables in docs/writing.md. A hub declares its own kinds, and adds fields
to the built-in ones, under `kinds:` in site.yaml (`kinds_from_settings`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

TYPES = {  # type -> what it takes, for docs and error messages
    "text": "text",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date, or a date and time",
    "link": "a web address, or a path on this site",
    "email": "an email address",
    "image": "an image, from static/ or beside the file",
    "file": "a file, from static/ or beside the file",
    "urn": "a 6-digit URN",
    "choice": "one of a fixed list",
    "vocabulary": "a term of a vocabulary",
    "reference": "the file name of another item",
    "contacts": "a list of {name, role, email, phone}",
    "menu": "true, a menu title, or {title, order}",
    "mapping": "your own key: value lines",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a key of TYPES
    label: str
    help: str = ""  # plain English, for docs, editors and the browser editor
    example: str = ""  # as written in front matter
    required: bool = False
    many: bool = False  # takes several values: a list, one value, or a comma-separated line
    prose: bool = False  # with `many`: each value is a sentence, so commas do not split it
    choices: tuple[str, ...] = ()  # for "choice"
    synonyms: dict[str, str] = field(default_factory=dict)  # for "choice": what people write -> a choice
    vocabulary: str = ""  # for "vocabulary": subjects, key_stages, phases, resource_types
    to: str = ""  # for "reference": the kind it names
    facet: str = ""  # its key in facet URLs and search filters ("subject"), when it is a facet
    places: bool = False  # decides where the item is listed (its date, its networks...), not only what it shows
    same_day_as: str = ""  # for "date": a time alone ("17:00") means that field's day
    aliases: tuple[str, ...] = ()  # what other tools call it; accepted with a warning
    pattern: str = ""  # for "urn": the shape of a school number outside England, a regular expression (curricula.py)

    @property
    def empty(self) -> Any:
        """The value of a field not given: templates can test `page.author` without an error."""
        return () if self.many or self.type == "contacts" else None

    def given(self, value: Any) -> bool:
        """Whether a value counts as given for `required`: not missing or blank (false and 0 are values)."""
        return value not in (None, "", [], ())

    def missing(self, what: str) -> str:
        """The message for a required field left out: `what` says who needs it; with the field's example if it has one."""
        example = f", e.g. '{self.name}: {self.example}'" if self.example else ""
        return f"{self.name}: missing; {what}{example}"


@dataclass(frozen=True)
class Kind:
    name: str  # the folder under content/ and the first part of its addresses: "news"
    title: str  # the section's title: "News"
    singular: str  # "news post": for messages, `sitegen new` and the editor
    fields: tuple[Field, ...]  # every field, the common ones first
    date_field: str = ""  # the field that dates an item (its file name may start with that date)
    order: str = "title"  # "title", or a date field: "date" soonest first, "-date" newest first
    waits_for_date: bool = False  # an item dated in the future stays off the site until that day (news)
    prompt: str = "Write the text here."  # the text of a new file (`sitegen new`), where the writer starts
    item_template: str = "item.html"
    list_template: str = "items.html"
    bespoke: bool = True  # has its own templates and planner in outputs/ (news, events...); a hub's own kind has not

    @property
    def one(self) -> str:
        """'a news post', 'an event': for messages."""
        return ("an " if self.singular[:1].lower() in "aeiou" else "a ") + self.singular

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def aliases(self) -> dict[str, str]:
        """Other tools' field names -> this kind's."""
        return {alias: f.name for f in self.fields for alias in f.aliases}

    @property
    def own_fields(self) -> tuple[Field, ...]:
        """The fields that are the kind's own, not those every kind takes."""
        common = {f.name for f in COMMON}
        return tuple(f for f in self.fields if f.name not in common)

    @property
    def facets(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.facet)

    @property
    def references(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type == "reference")

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def is_section(self) -> bool:
        """Plain pages have no section: every other kind has an index at /<name>/."""
        return self.name != "pages"


def _f(name: str, type: str, label: str, help: str = "", example: str = "", **options: Any) -> Field:
    return Field(name, type, label, help, example, **options)


COMMON = (
    _f("title", "text", "Title", "The title.", "Our autumn conference", required=True),
    _f("summary", "text", "Summary", "One or two sentences for listings, search results and link previews "
       "(default: the start of the text).", "Twelve teachers planned the reading fortnight.", aliases=("description", "excerpt")),
    _f("slug", "text", "Address", "The last part of the address: lowercase letters, digits and hyphens "
       "(default: from the file name).", "autumn-conference"),
    _f("draft", "boolean", "Draft", "true keeps it off the site (--drafts and sitegen serve show it).", "true", places=True),
    _f("publish_date", "date", "Publish from", "It stays off the site until then (--future shows it).", "2027-01-04 08:00", places=True),
    _f("expires", "date", "Expires", "It comes off the site after then.", "2027-07-31", places=True),
    _f("tags", "text", "Tags", "Tags, as a list or separated by commas.", "reading, ITT", many=True, places=True,
       aliases=("categories", "keywords")),
    _f("networks", "reference", "Networks", "The networks it belongs to: their file names without .md.",
       "reading-network", many=True, to="networks", places=True),
    _f("aliases", "text", "Old addresses", "Old addresses that should lead here.", "/old-news/visit.html", many=True,
       places=True, aliases=("redirect_from",)),
    _f("template", "text", "Template", "A template of your own for this page, in templates/.", "wide.html"),
    _f("extra", "mapping", "Your own fields", "Your own fields, for your own templates (page.extra.NAME).", "{sponsor: Vale Trust}"),
)


ATTENDANCE_SYNONYMS = {
    "face to face": "in person", "in-person": "in person", "onsite": "in person", "on site": "in person",
    "virtual": "online", "remote": "online", "zoom": "online", "teams": "online", "webinar": "online",
    "hybrid": "mixed", "blended": "mixed", "both": "mixed",
}


STATUS_SYNONYMS = {"confirmed": "scheduled", "on": "scheduled", "going ahead": "scheduled", "canceled": "cancelled",
                   "called off": "cancelled", "delayed": "postponed", "rescheduled": "postponed"}


CONTRACTS = ("permanent", "fixed term", "maternity cover", "temporary", "casual")


CONTRACT_SYNONYMS = {"fixed": "fixed term", "fixed term contract": "fixed term", "secondment": "fixed term",
                     "maternity": "maternity cover", "maternity leave cover": "maternity cover", "mat cover": "maternity cover",
                     "parental leave cover": "maternity cover", "temp": "temporary", "supply": "casual", "relief": "casual",
                     "zero hours": "casual", "permanent contract": "permanent"}


def _kind(name: str, title: str, singular: str, own: tuple[Field, ...], **options: Any) -> Kind:
    overridden = {f.name for f in own}
    return Kind(name, title, singular, tuple(f for f in COMMON if f.name not in overridden) + own, **options)


BUILTIN_KINDS = (
    _kind("news", "News", "news post", (
        _f("date", "date", "Date", "The day it is published (a time may follow); a post dated in the future waits until then.",
           "2026-11-23", required=True, places=True),
        _f("author", "text", "Author", "Who wrote it.", "A. Head"),
        _f("author_role", "text", "Author's role", "Their role.", "Headteacher, Millbrook Primary"),
        _f("image", "image", "Image", "The lead picture.", "/img/visit.jpg", aliases=("featured_image", "cover", "thumbnail", "hero")),
        _f("image_alt", "text", "Image description", "What the picture shows, for people who cannot see it (needed with an image).",
           "Pupils measuring the river's depth"),
        _f("updated", "date", "Updated", "When it was last changed.", "2026-11-30", places=True, aliases=("lastmod", "last_modified", "modified")),
    ), date_field="date", order="-date", waits_for_date=True, item_template="news.html",
       prompt="Write the post here. Link to another page by its file, for example\n`[the toolkit](../resources/toolkit.md)`.", list_template="news_list.html"),
    _kind("networks", "Networks", "network", (
        _f("focus", "text", "Focus", "What the network works on: one line, or a list.", "Early reading and phonics", many=True, prose=True),
        _f("aims", "text", "Aims", "Its aims, as a list.", "[Every child reads by seven]", many=True, prose=True),
        _f("region", "text", "Region", "Where it works.", "Wendle Valley"),
        _f("members", "reference", "Member schools", "Member schools: their file names or URNs.", "[millbrook-primary, 123456]",
           many=True, to="schools", places=True),
        _f("contacts", "contacts", "Contacts", "Who to contact.", "[{name: A. Head, role: Lead, email: a@school.example}]"),
        _f("website", "link", "Website", "Its own website.", "https://reading.example.org"),
        _f("logo", "image", "Logo", "Its logo.", "/img/reading-network.svg"),
    ), item_template="network.html", list_template="networks.html"),
    _kind("schools", "Schools", "school", (
        _f("urn", "urn", "URN", "The school's Unique Reference Number (on GIAS).", "123456", places=True),
        _f("phase", "vocabulary", "Phase", "Its phase.", "primary", vocabulary="phases", places=True),
        _f("type", "text", "Type", "Its type of establishment.", "Academy converter"),
        _f("local_authority", "text", "Local authority", "Its local authority.", "Wendleshire"),
        _f("address", "text", "Address", "Its address.", "Mill Lane, Millbrook"),
        _f("postcode", "text", "Postcode", "Its postcode.", "WN1 2AB"),
        _f("website", "link", "Website", "Its website.", "https://millbrook.example.sch.uk"),
        _f("headteacher", "text", "Headteacher", "Its headteacher.", "Mrs J. Patel"),
        _f("age_range", "text", "Age range", "The ages it teaches.", "4-11"),
    ), item_template="school.html", list_template="schools.html"),
    _kind("resources", "Resources", "resource", (
        _f("subjects", "vocabulary", "Subjects", "Subjects, from the subjects vocabulary.", "[Maths, science]",
           many=True, vocabulary="subjects", facet="subject", places=True),
        _f("key_stages", "vocabulary", "Key stages", "Key stages.", "KS2, KS3", many=True, vocabulary="key_stages",
           facet="key-stage", places=True),
        _f("phases", "vocabulary", "Phases", "Phases.", "primary", many=True, vocabulary="phases", facet="phase", places=True),
        _f("type", "vocabulary", "Type", "What kind of resource it is.", "lesson plan", vocabulary="resource_types",
           facet="type", places=True),
        _f("networks", "reference", "Networks", "The networks it belongs to: their file names without .md.",
           "reading-network", many=True, to="networks", places=True, facet="network"),
        _f("file", "file", "File", "The download: a file beside the .md or in static/.", "toolkit.pdf", places=True),
        _f("url", "link", "Link", "A link to the resource elsewhere, instead of a file.", "https://example.org/toolkit"),
        _f("licence", "text", "Licence", "Its licence.", "CC BY 4.0", aliases=("license",)),
        _f("author", "text", "Author", "Who made it.", "Vale Maths Hub"),
        _f("school", "reference", "School", "The school it comes from: its file name or URN.", "millbrook-primary", to="schools"),
        _f("date", "date", "Date", "When it was made.", "2026-09-01", places=True),
        _f("reviewed", "date", "Reviewed", "When it was last checked.", "2026-11-01"),
        _f("duration", "text", "Duration", "How long it takes.", "45 minutes"),
        _f("featured", "boolean", "Featured", "true shows it on the home page (with none featured, the home page shows the newest).",
           "true", places=True),
    ), item_template="resource.html", list_template="resources.html", prompt="Say what the resource is, who it is for and how to use it."),
    _kind("events", "Events", "event", (
        _f("start", "date", "Start", "A date for an all-day event, or a date and time.", "2027-02-04 16:00", required=True, places=True),
        _f("end", "date", "End", "When it ends: a date, a date and time, or a time on the day it starts.", "17:30",
           same_day_as="start", places=True),
        _f("attendance", "choice", "Attendance", "How people take part.", "in person", choices=("in person", "online", "mixed"),
           synonyms=ATTENDANCE_SYNONYMS),
        _f("location", "text", "Location", "Where it happens.", "Millbrook Primary, Mill Lane"),
        _f("online_url", "link", "Online link", "Where to join online.", "https://meet.example.org/abc"),
        _f("booking_url", "link", "Booking link", "Where to book.", "https://forms.example.org/book"),
        _f("audience", "text", "Audience", "Who it is for.", "Year 6 teachers"),
        _f("cost", "text", "Cost", "What it costs.", "Free"),
        _f("provider", "text", "Provider", "Who runs it.", "Vale Maths Hub"),
        _f("status", "choice", "Status", "Whether it goes ahead.", "scheduled", choices=("scheduled", "cancelled", "postponed"),
           synonyms=STATUS_SYNONYMS, places=True),
        _f("updated", "date", "Updated", "When its time or status last changed: calendar apps that imported it then take the new version.",
           "2026-11-30", places=True, aliases=("lastmod", "last_modified", "modified")),
        _f("image", "image", "Image", "A picture for its page and its card.", "/img/book-festival.jpg"),
        _f("image_alt", "text", "Image description", "What the picture shows, for people who cannot see it (needed with an image).",
           "Shelves of books under bunting"),
    ), date_field="start", order="start", item_template="event.html", list_template="events.html",
       prompt="Say what will happen, who it is for and how to take part."),
    _kind("vacancies", "Vacancies", "vacancy", (
        _f("closing_date", "date", "Closing date", "The last day to apply, or a date and time (\"2027-01-15 12:00\"). After it the "
           "vacancy leaves the list; its page stays, marked closed.", "2027-01-15", required=True, places=True),
        _f("school", "reference", "School", "The member school the post is at: its file name or URN (leave it out for a post "
           "across the network).", "millbrook-primary", to="schools", places=True),
        _f("contract", "choice", "Contract", "The kind of contract.", "permanent", choices=CONTRACTS, synonyms=CONTRACT_SYNONYMS,
           facet="contract", places=True),
        _f("hours", "text", "Hours", "Full time, part time, or as you would write them.", "Part time, 0.6 (three days a week)"),
        _f("salary", "text", "Salary", "The pay, as the school writes it.", "MPS/UPS", aliases=("pay",)),
        _f("start_date", "text", "Start date", "When the post starts: a date, or words.", "September 2027"),
        _f("apply_url", "link", "Apply online", "Where to apply: a web address (or give apply_email instead).",
           "https://jobs.example.org/123"),
        _f("apply_email", "email", "Apply by email", "The address applications go to (or give apply_url instead).",
           "recruitment@millbrook.example.sch.uk"),
        _f("file", "file", "Application pack", "The job description or application pack: a file beside the .md or in static/.",
           "year-3-teacher-pack.pdf", places=True),
    ), order="closing_date", item_template="vacancy.html", list_template="vacancies.html",  # no date_field: a file name's date is not its closing date
       prompt="Say what the post is, who would suit it and how to arrange a visit."),
    _kind("pages", "Pages", "page", (
        _f("menu", "menu", "Menu", "Put it in the main menu: true, a menu title, or {title: About us, order: 2}.", "true", places=True),
        _f("reviewed", "date", "Reviewed", "When it was last checked (the accessibility statement shows it).", "2026-09-01"),
        _f("hero", "mapping", "Hero", "content/index.md only: the home page's band, with text (one sentence), image, image_alt, "
           "action (a button's words) and action_url.", "{text: Eleven schools learning together., action: Find resources, action_url: /resources/}"),
    ), item_template="page.html", list_template=""),
)


@dataclass(frozen=True)
class Schema:
    kinds: tuple[Kind, ...]

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds)

    def kind(self, name: str) -> Kind:
        return self._by_name[name if name != "home" else "pages"]

    def get(self, name: str) -> Kind | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Kind]:
        return {k.name: k for k in self.kinds}

    @property
    def sections(self) -> tuple[Kind, ...]:
        """Every kind with an index at /<name>/, in menu order."""
        return tuple(k for k in self.kinds if k.is_section)

    def places(self) -> tuple[str, ...]:
        """Every field that decides where an item is listed, in any kind."""
        return tuple(sorted({f.name for k in self.kinds for f in k.fields if f.places}))


BUILTIN = Schema(BUILTIN_KINDS)


def display_label(field: Field, value: Any, vocabularies: dict[str, Any]) -> str:
    """How a value is shown: a vocabulary term's label ("Lesson plan"), a choice in sentence case, or the value."""
    if field.type == "vocabulary":
        return str(vocabularies[field.vocabulary].label(value))
    if field.type == "choice":
        return str(value)[:1].upper() + str(value)[1:]
    return str(value)


def values_of(field: Field, value: Any) -> tuple[Any, ...]:
    """A field's values as a tuple, whether it takes one or many."""
    if value is None or value == "" or value == ():
        return ()
    return tuple(value) if field.many else (value,)
