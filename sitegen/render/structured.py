"""schema.org JSON-LD for every kind, so search engines can show pages richly: NewsArticle, Event, JobPosting
(vacancies), School, LearningResource, Organization (networks), and Organization with WebSite on the home page.

`site` is the site as the template sees it, so what is read here is recorded like any template's reading."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..content.page import Page
from ..core.urls import DATE_PREFIX
from ..model.site import Site
from ..schema.vocab import normalise

CONTEXT = "https://schema.org"


ATTENDANCE = {
    "in person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


# Google's employmentType for each built-in contract (a permanent post is full or part time, which `hours` says).
CONTRACT_TYPES = {"fixed term": "TEMPORARY", "maternity cover": "TEMPORARY", "temporary": "TEMPORARY", "casual": "PER_DIEM"}


POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b", re.I)  # a UK postcode, within an address


MONEY = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)")


def json_ld(page: Page | None, site: Site, image: str | None = None, current_url: str | None = None) -> dict[str, Any] | None:
    """The JSON-LD object for a page, or None for pages that have none.

    `image`: the full address of its picture, a JPEG or PNG (see templates.preview_image). `current_url` tells
    the home page (which may have no content/index.md) from the other pages with no item."""
    if page is None or page.kind == "home":
        return home(site) if current_url == "/" or page is not None else None
    makers = {"news": news_article, "events": event, "vacancies": job_posting, "schools": school, "resources": learning_resource,
              "networks": network}
    maker = makers.get(page.kind)
    return maker(page, site, image) if maker else None


def home(site: Site) -> dict[str, Any]:
    """The hub as an Organization, and its WebSite (with its search, when it has one)."""
    config = site.config
    organisation: dict[str, Any] = {"@type": "Organization", "@id": site.urls.absolute("/#organization"), "name": config.title,
                                    "url": site.urls.absolute("/")}
    if config.description:
        organisation["description"] = config.description
    if config.logo:
        organisation["logo"] = site.urls.absolute(config.logo)
    for key in ("email", "telephone"):
        value = config.contact.get("phone" if key == "telephone" else key)
        if value:
            organisation[key] = value
    website: dict[str, Any] = {"@type": "WebSite", "name": config.title, "url": site.urls.absolute("/"), "inLanguage": config.language,
                               "publisher": {"@id": organisation["@id"]}}
    if config.search:
        website["potentialAction"] = {"@type": "SearchAction", "target": site.urls.absolute("/search/") + "?q={search_term_string}",
                                      "query-input": "required name=search_term_string"}
    return {"@context": CONTEXT, "@graph": [organisation, website]}


def publisher(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.config.title, "url": site.urls.absolute("/")}


def news_article(post: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    """A news post; a date written with a time keeps it, with its zone (2026-11-23T16:30:00+00:00)."""
    f = post.fields
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": post.title,
        "datePublished": iso(f["date"]),
        "dateModified": iso(f["updated"] or f["date"]),
        "url": site.urls.absolute(post.url),
        "mainEntityOfPage": site.urls.absolute(post.url),
        "publisher": publisher(site),
    }
    if f["summary"]:
        data["description"] = f["summary"]
    if f["author"]:
        data["author"] = {"@type": "Person", "name": f["author"], **({"jobTitle": f["author_role"]} if f["author_role"] else {})}
    else:
        data["author"] = {"@type": "Organization", "name": site.config.title}
    if image:
        data["image"] = image
    return data


def event(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    f = page.fields
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": page.title,
        "startDate": iso(f["start"]),
        "eventStatus": STATUS[f["status"] or "scheduled"],
        "url": site.urls.absolute(page.url),
        "organizer": {"@type": "Organization", "name": f["provider"] or site.config.title, "url": site.urls.absolute("/")},
    }
    if f["end"]:
        data["endDate"] = iso(f["end"])
    if f["summary"]:
        data["description"] = f["summary"]
    if f["attendance"]:
        data["eventAttendanceMode"] = ATTENDANCE[f["attendance"]]
    places: list[dict[str, Any]] = []
    if f["location"] and f["attendance"] != "online":
        places.append(place(f["location"]))
    if f["online_url"] or f["attendance"] in ("online", "mixed"):
        places.append({"@type": "VirtualLocation", "url": f["online_url"] or site.urls.absolute(page.url)})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if f["booking_url"]:
        data["offers"] = offer(page, site)
    if f["audience"]:
        data["audience"] = {"@type": "Audience", "audienceType": f["audience"]}
    if image:
        data["image"] = image
    return data


def place(location: str) -> dict[str, Any]:
    """A Place from an event's location as written ("Millbrook Primary School, Orchard Street, Millbrook AV3 1DN"):
    its first part names it, the rest is its street address, and a postcode in it becomes the postalCode."""
    postcode = POSTCODE.search(location)
    street = (location[:postcode.start()] + location[postcode.end():]).strip(" ,") if postcode else location
    address: dict[str, Any] = {"@type": "PostalAddress", "streetAddress": street}
    if postcode:
        address["postalCode"] = postcode.group(1).upper()
        address["addressCountry"] = "GB"
    return {"@type": "Place", "name": location.split(",")[0].strip(), "address": address}


def offer(page: Page, site: Site) -> dict[str, Any]:
    """Where to book: the booking link, the price ("0" when it is free, else the first amount in pounds) and whether places are open."""
    f = page.fields
    data: dict[str, Any] = {"@type": "Offer", "url": f["booking_url"]}
    cost = f["cost"] or ""
    amount = MONEY.search(cost)
    if normalise(cost).startswith("free"):
        data.update(price="0", priceCurrency="GBP")
    elif amount:
        data.update(price=amount.group(1).replace(",", ""), priceCurrency="GBP")
    if cost:
        data["description"] = cost
    over = page not in site.upcoming_events()  # a query, not site.now: the page depends on the answer, not on the moment
    cancelled = (f["status"] or "scheduled") == "cancelled"
    data["availability"] = "https://schema.org/Discontinued" if cancelled or over else "https://schema.org/InStock"
    return data


def postal_address(item: Page) -> dict[str, Any] | None:
    """A school's address and postcode as a PostalAddress (None without either)."""
    f = item.fields
    if not f.get("address") and not f.get("postcode"):
        return None
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "GB"}
    if f.get("address"):
        address["streetAddress"] = f["address"]
    if f.get("postcode"):
        address["postalCode"] = f["postcode"]
    if f.get("local_authority"):
        address["addressRegion"] = f["local_authority"]
    return address


def school(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    """A member school (or, with neither URN nor phase, another kind of member: an EducationalOrganization), its URN as identifier."""
    f = page.fields
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "School" if f["urn"] or f["phase"] else "EducationalOrganization",
                            "name": page.title, "url": site.urls.absolute(page.url)}
    if f["summary"]:
        data["description"] = f["summary"]
    address = postal_address(page)
    if address:
        data["address"] = address
    if f["urn"]:
        number = site.kind_of(page).field("urn")  # a URN in England, a school number in Wales, a SEED code in Scotland...
        data["identifier"] = {"@type": "PropertyValue", "propertyID": number.label if number else "URN", "value": str(f["urn"])}
    if f["website"]:
        data["sameAs"] = f["website"]
    if f["headteacher"]:
        data["employee"] = {"@type": "Person", "name": f["headteacher"], "jobTitle": "Headteacher"}
    return data


def learning_resource(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    """A resource: its key stages as educationalLevel, its subjects as what it is about, its type and licence."""
    f = page.fields
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "LearningResource", "name": page.title, "url": site.urls.absolute(page.url),
                            "publisher": publisher(site)}
    if f["summary"]:
        data["description"] = f["summary"]
    levels = [label for name in site.config.curriculum.stage_names[:1] for label in site.labels(page, name)]  # KS2, PS2, Second level
    if levels:
        data["educationalLevel"] = levels
    subjects = site.labels(page, "subjects")
    if subjects:
        data["about"] = [{"@type": "Thing", "name": s} for s in subjects]
    kinds = site.labels(page, "type")
    if kinds:
        data["learningResourceType"] = kinds[0]
    if f["licence"]:
        data["license"] = f["licence"]
    if f["author"]:
        data["author"] = {"@type": "Organization", "name": f["author"]}
    if f["date"]:
        data["datePublished"] = iso(f["date"])
    if f["reviewed"]:
        data["dateModified"] = iso(f["reviewed"])
    return data


def network(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    f = page.fields
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "Organization", "name": page.title, "url": site.urls.absolute(page.url),
                            "parentOrganization": publisher(site)}
    if f["summary"]:
        data["description"] = f["summary"]
    if f["website"]:
        data["sameAs"] = f["website"]
    members = site.members(page)
    if members:
        data["member"] = [{"@type": "School", "name": m.title, "url": site.urls.absolute(m.url)} for m in members]
    return data


def job_posting(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    """A vacancy, with what Google's job search needs: title, description, datePosted, validThrough, employmentType,
    hiringOrganization (its school, else the hub) and jobLocation (the school's address)."""
    f = page.fields
    schools = site.named_by(page, "school")
    at = schools[0] if schools else None
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "JobPosting",
        "title": page.title,
        "description": str(page.content) or f["summary"] or page.title,
        "validThrough": site.vacancy_closes(page).isoformat(),
        "url": site.urls.absolute(page.url),
        "hiringOrganization": hiring_organisation(at, site),
    }
    posted = date_posted(page)
    if posted:
        data["datePosted"] = posted
    types = employment_types(f.get("contract"), f.get("hours"))
    if types:
        data["employmentType"] = types
    address = postal_address(at) if at is not None else None
    if address:
        data["jobLocation"] = {"@type": "Place", "address": address}
    salary = base_salary(f.get("salary"))
    if salary:
        data["baseSalary"] = salary
    if f.get("start_date"):
        data["jobStartDate"] = str(f["start_date"])
    return data


def hiring_organisation(school_page: Page | None, site: Site) -> dict[str, Any]:
    if school_page is None:
        return {**publisher(site), **({"logo": site.urls.absolute(site.config.logo)} if site.config.logo else {})}
    data: dict[str, Any] = {"@type": "School", "name": school_page.title, "url": site.urls.absolute(school_page.url)}
    if school_page.fields.get("website"):
        data["sameAs"] = school_page.fields["website"]
    return data


def date_posted(page: Page) -> str | None:
    """When it was posted: its publish_date, else the date its file name starts with (none without either)."""
    if page.fields.get("publish_date"):
        return iso(page.fields["publish_date"])
    named = DATE_PREFIX.match(page.source.rsplit("/", 1)[-1])
    return named.group(0)[:10] if named else None


def employment_types(contract: Any, hours: Any) -> list[str]:
    """Google's employmentType values: FULL_TIME or PART_TIME from the hours as written ("part time, 0.6"), and
    TEMPORARY (fixed term, maternity cover...) or PER_DIEM (casual) from the contract."""
    types = []
    words = normalise(str(hours or ""))
    fte = re.search(r"\b0?\.\d+\b|\bfte\b", str(hours or "").lower())
    if words.startswith("full time") or words == "ft":
        types.append("FULL_TIME")
    elif "part time" in words or words == "pt" or fte or "days a week" in words or "term time" in words:
        types.append("PART_TIME")
    extra = CONTRACT_TYPES.get(str(contract or ""))
    if extra:
        types.append(extra)
    return types


def base_salary(salary: Any) -> dict[str, Any] | None:
    """A salary written with amounts in pounds ("£28,000–£35,000") as a MonetaryAmount; pay scales ("MPS/UPS") have none."""
    amounts = [float(m.group(1).replace(",", "")) for m in MONEY.finditer(str(salary or ""))][:2]
    if not amounts:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "YEAR" if max(amounts) >= 1000 else "HOUR"}
    if len(amounts) == 2:
        value.update(minValue=min(amounts), maxValue=max(amounts))
    else:
        value["value"] = amounts[0]
    return {"@type": "MonetaryAmount", "currency": "GBP", "value": value}


def iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()
