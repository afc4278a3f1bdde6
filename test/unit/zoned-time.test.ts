import { describe, expect, it } from 'vitest';
import { formatInZone, zoneAbbreviation } from '../../src/cli/zoned-time.js';

describe('times in a zone with the UTC instant alongside', () => {
  it('local time and zone name, then the UTC time; the UTC date only when it differs', () => {
    expect(formatInZone(new Date('2026-03-09T13:30:00Z'), 'America/New_York')).toBe('2026-03-09 09:30 EDT (13:30 UTC)');
    expect(formatInZone(new Date('2026-03-07T07:30:00Z'), 'America/New_York')).toBe('2026-03-07 02:30 EST (07:30 UTC)');
    expect(formatInZone(new Date('2026-01-15T05:00:00Z'), 'America/New_York')).toBe('2026-01-15 00:00 EST (05:00 UTC)');
    expect(formatInZone(new Date('2026-01-15T02:00:00Z'), 'America/New_York')).toBe('2026-01-14 21:00 EST (2026-01-15 02:00 UTC)');
    expect(formatInZone(new Date('2026-10-03T16:30:00Z'), 'Australia/Sydney')).toBe('2026-10-04 03:30 AEDT (2026-10-03 16:30 UTC)');
    expect(formatInZone(new Date('2026-03-08T06:00:00Z'), 'America/St_Johns')).toBe('2026-03-08 03:30 NDT (06:00 UTC)');
    expect(formatInZone(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25 02:30 CEST (00:30 UTC)');
  });

  it('the two 01:30s of fall-back day are told apart by the zone name', () => {
    expect(formatInZone(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 EDT (05:30 UTC)');
    expect(formatInZone(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 EST (06:30 UTC)');
  });

  it('UTC once in UTC; an offset where English has no name for the zone', () => {
    expect(formatInZone(new Date('2026-01-15T12:00:00Z'), 'UTC')).toBe('2026-01-15 12:00 UTC');
    expect(formatInZone(new Date('2026-01-15T12:00:00Z'), 'Etc/UTC')).toBe('2026-01-15 12:00 UTC');
    expect(formatInZone(new Date('2026-01-15T12:00:00Z'), 'Asia/Tokyo')).toBe('2026-01-15 21:00 UTC+9 (12:00 UTC)');
    expect(zoneAbbreviation(new Date('2026-01-15T12:00:00Z'), 'Asia/Kathmandu')).toBe('UTC+5:45');
  });
});
