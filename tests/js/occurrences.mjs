// Reads an iCalendar text on stdin with Thunderbird's parser (ical.js) and prints, as JSON,
// each series' occurrences (UID -> [[start, end], ...] in Unix seconds, UTC) that start
// before the Unix time given as the first argument. Every VTIMEZONE in the text is
// registered under its TZID first: the zones' names are made up, so only the VTIMEZONE
// can place an event.
import ICAL from "ical.js";

const cutoff = Number(process.argv[2]);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}

const masters = new Map();
const exceptions = [];
for (const component of calendar.getAllSubcomponents("vevent")) {
  // related by UID below, as Thunderbird does (ical.js alone would relate every
  // RECURRENCE-ID of the calendar to every series)
  const event = new ICAL.Event(component, { strictExceptions: true, exceptions: [] });
  if (event.isRecurrenceException()) exceptions.push(event);
  else masters.set(event.uid, event);
}
for (const exception of exceptions) masters.get(exception.uid).relateException(exception);

const result = {};
for (const [uid, event] of masters) {
  const found = [];
  if (!event.isRecurring()) {
    found.push([event.startDate.toUnixTime(), event.endDate.toUnixTime()]);
  } else {
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toUnixTime() >= cutoff) break;
      const details = event.getOccurrenceDetails(next);
      found.push([details.startDate.toUnixTime(), details.endDate.toUnixTime()]);
    }
  }
  result[uid] = found;
}
process.stdout.write(JSON.stringify(result));
