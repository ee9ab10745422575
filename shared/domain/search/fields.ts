// What of each entity search reads, and how much each field weighs (match.ts): the one list the
// index (postings.ts) and the matcher of a page's results both follow.
import type { SearchField } from './match.js';

/** The types search covers, as `types` and the answers name them, and their entity type in the table. */
export const searchTypes = {
  item: 'ITEM', location: 'LOCATION', container: 'CONTAINER', borrower: 'BORROWER', category: 'CATEGORY', label: 'LABEL', company: 'COMPANY',
} as const;
export type SearchType = keyof typeof searchTypes;

const tableTypes = new Map<string, SearchType>(Object.entries(searchTypes).map(([name, type]) => [type, name as SearchType]));
/** `ITEM` → `item`; undefined for what search does not cover. */
export const searchTypeOf = (tableType: string | undefined): SearchType | undefined => (tableType ? tableTypes.get(tableType) : undefined);

type Spec = readonly (readonly [field: string, weight: number, code?: true])[];

/** By type: the name first (3), then what identifies (2: brand, model, maker, codes, an email), then the rest (1). */
const specs: Record<SearchType, Spec> = {
  item: [['name', 3], ['brand', 2], ['model', 2], ['manufacturer', 2], ['sku', 2, true], ['barcode', 2, true], ['serial_number', 2, true], ['short_code', 2, true], ['description', 1]],
  location: [['name', 3], ['short_code', 2, true], ['zone', 1], ['shelf', 1], ['bin', 1], ['description', 1]],
  container: [['name', 3], ['short_code', 2, true], ['description', 1]],
  borrower: [['name', 3], ['email', 2], ['phone', 1, true], ['notes', 1]],
  category: [['name', 3], ['description', 1]],
  label: [['name', 3], ['description', 1]],
  company: [['name', 3], ['website', 1], ['notes', 1]],
};

/** What an item is filed under, by name (its record holds only the ids): found by them too. */
export interface FiledUnder {
  category?: string | undefined;
  labels?: readonly string[];
}

/** An entity's searchable fields with their text (empty ones left out); an item's also the names it is filed under (weight 1). */
export function searchFieldsOf(type: SearchType, record: Record<string, unknown>, filed: FiledUnder = {}): SearchField[] {
  const own = specs[type].flatMap(([field, weight, code]) => {
    const text = record[field];
    return typeof text === 'string' && text !== '' ? [{ field, text, weight, ...(code ? { code } : {}) }] : [];
  });
  if (type !== 'item') return own;
  return [
    ...own,
    ...(filed.category ? [{ field: 'category', text: filed.category, weight: 1 }] : []),
    ...(filed.labels?.length ? [{ field: 'labels', text: filed.labels.join(' · '), weight: 1 }] : []),
  ];
}
