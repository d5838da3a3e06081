// Reads an .ics file with ical.js (the library behind Thunderbird's calendar) and prints, one JSON
// object a line, each event's UID with its start and end as UTC instants (seconds since 1970), using
// only the VTIMEZONE components in the file itself.
// Usage: node ical_instants.mjs PATH/TO/ical.js/dist/ical.js CALENDAR.ics
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[3], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
for (const component of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  const instant = (time) => (time ? (time.isDate ? time.toString() : time.toUnixTime()) : null);
  console.log(JSON.stringify({ uid: event.uid, start: instant(event.startDate), end: instant(event.endDate),
                               sequence: event.sequence, status: component.getFirstPropertyValue("status") }));
}
