import { isMappingKind, kindWord, MAPPING_KINDS, MAX_EXTERNAL_ID, type MappingKind } from '../domain/mappings.js';
import { Refusal, type EntryProblem } from '../domain/refusals.js';
import { closestMatch } from '../domain/suggest.js';
import type { CatalogEntry, CatalogRepository } from '../db/catalog.repository.js';
import type { MappingWrite } from '../db/mapping-rows.js';

/** One mapping as a person asked for it: any front end's raw input. */
export interface MappingEntry {
  kind: string;
  externalId: string;
  code: string;
}

/** `sku` or `channel`, or a refusal naming the two (with "did you mean"). */
export function parseMappingKind(value: string): MappingKind {
  if (isMappingKind(value)) return value;
  const problem = kindProblem(0, value);
  throw new Refusal('invalid_input', problem.message, { kind: value, suggestion: problem.suggestion, known: [...MAPPING_KINDS] });
}

function kindProblem(index: number, value: string): EntryProblem {
  const suggestion = closestMatch(value, MAPPING_KINDS);
  return {
    index,
    field: 'kind',
    code: 'invalid_input',
    message: `Kind must be sku or channel (got "${value}")${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    suggestion,
  };
}

/** A trimmed external id (as the sync resolves it), or what is wrong with it. */
export function checkExternalId(kind: MappingKind, externalId: string): { externalId: string } | { message: string } {
  const trimmed = externalId.trim();
  if (!trimmed) return { message: `The external ${kindWord(kind)} id is empty` };
  if (trimmed.length > MAX_EXTERNAL_ID) return { message: `The external ${kindWord(kind)} id is longer than ${MAX_EXTERNAL_ID} characters` };
  return { externalId: trimmed };
}

/**
 * Checks a batch of mappings before anything is written: kind, external id (non-empty, at most
 * 255 characters, once per kind in the batch), and that each Tether code exists (unknown ones
 * with "did you mean" among the codes). Every fault is collected, by entry, so a form can show
 * each next to its field; any fault refuses the whole batch.
 */
export async function validateMappingEntries(repository: CatalogRepository, entries: MappingEntry[]): Promise<MappingWrite[]> {
  if (!entries.length) throw new Refusal('invalid_input', 'No mappings to add', { problems: [] });
  const problems: EntryProblem[] = [];
  const checked: { index: number; kind: MappingKind; externalId: string; code: string }[] = [];
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!isMappingKind(entry.kind)) return void problems.push(kindProblem(index, entry.kind));
    const kind = entry.kind;
    const id = checkExternalId(kind, entry.externalId);
    if ('message' in id) return void problems.push({ index, field: 'externalId', code: 'invalid_input', message: id.message, suggestion: null });
    const key = `${kind}\u0000${id.externalId}`;
    const first = firstIndex.get(key);
    if (first !== undefined) {
      const message = `${kindWord(kind)} "${id.externalId}" is given twice (entries ${first + 1} and ${index + 1})`;
      return void problems.push({ index, field: 'externalId', code: 'invalid_input', message, suggestion: null });
    }
    firstIndex.set(key, index);
    const code = entry.code.trim();
    if (!code) return void problems.push({ index, field: 'code', code: 'invalid_input', message: `No Tether ${kindWord(kind)} given for "${id.externalId}"`, suggestion: null });
    checked.push({ index, kind, externalId: id.externalId, code });
  });

  const found = new Map<MappingKind, Map<string, CatalogEntry>>();
  for (const kind of MAPPING_KINDS) {
    found.set(kind, await repository.catalogEntries(kind, [...new Set(checked.filter((entry) => entry.kind === kind).map((entry) => entry.code))]));
  }
  const writes: MappingWrite[] = [];
  for (const entry of checked) {
    const target = found.get(entry.kind)!.get(entry.code);
    if (target) {
      writes.push({ kind: entry.kind, externalId: entry.externalId, target });
      continue;
    }
    const suggestion = closestMatch(entry.code, await repository.codesLike(entry.kind, entry.code));
    problems.push({
      index: entry.index,
      field: 'code',
      code: 'unknown_code',
      message: `Unknown Tether ${kindWord(entry.kind)} "${entry.code}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      suggestion,
    });
  }
  if (problems.length) throw refusalOf(problems.sort((a, b) => a.index - b.index), entries);
  return writes;
}

function refusalOf(problems: EntryProblem[], entries: MappingEntry[]): Refusal {
  const [first] = problems;
  if (problems.length === 1 && first) {
    const entry = entries[first.index]!;
    return new Refusal(first.code, first.message, {
      kind: entry.kind,
      externalId: entry.externalId.trim(),
      tetherCode: entry.code.trim(),
      suggestion: first.suggestion,
      problems,
    });
  }
  const listed = problems.slice(0, 10).map((problem) => `entry ${problem.index + 1}: ${problem.message}`);
  const more = problems.length > 10 ? `; …and ${problems.length - 10} more` : '';
  return new Refusal('invalid_input', `Nothing saved, ${problems.length} mappings are wrong: ${listed.join('; ')}${more}`, { problems });
}
