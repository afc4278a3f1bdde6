/**
 * Times as a person in the schedule's zone reads them, with the UTC instant alongside:
 * `2026-03-09 09:30 EDT (13:30 UTC)`, the UTC date too when it differs, just `… UTC` in UTC.
 */
export function formatInZone(date: Date, timezone: string): string {
  const local = wallClock(date, timezone);
  const abbreviation = zoneAbbreviation(date, timezone);
  if (abbreviation === 'UTC') return `${local.date} ${local.time} UTC`;
  const utc = wallClock(date, 'UTC');
  return `${local.date} ${local.time} ${abbreviation} (${utc.date === local.date ? '' : `${utc.date} `}${utc.time} UTC)`;
}

// ICU names a zone's abbreviation only in the locales that use it (EDT in en-US, CEST in en-GB,
// AEDT in en-AU, NST in en-CA, IST in en-IN...); elsewhere it gives an offset such as GMT+11.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-CA', 'en-NZ', 'en-IN', 'en-IE', 'en-ZA'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timezone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timezone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) formatters.set(key, (cached = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone })));
  return cached;
}

/** "EDT", "CEST", "AEDT", "NST"; "UTC+9" where no English locale has a name for the zone. */
export function zoneAbbreviation(date: Date, timezone: string): string {
  let offset = '';
  for (const locale of ABBREVIATION_LOCALES) {
    const name = formatter(locale, timezone, { timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(name)) return name;
    offset ||= name;
  }
  return offset.replace(/^GMT/, 'UTC') || 'UTC';
}

function wallClock(date: Date, timezone: string): { date: string; time: string } {
  const parts = formatter('en-US', timezone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}
