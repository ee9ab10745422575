// What a backup archive holds and how its parts are written and read (backup.ts makes one,
// restore.ts reads one). The archive is a plain tar (any tool opens it; its entries can be found
// again by byte offset, which lets a restore continue in steps with a ranged read):
//
//   records/{KIND}-{part}-{n}.jsonl   the stored records, one per line, in DynamoDB JSON
//                                     (`{"Item": {"PK": {"S": …}, …}}`, as DynamoDB's own export
//                                     to S3 writes them: types, sets and numbers survive exactly)
//   files/{attachment_id}             a READY attachment's bytes
//   manifest.json                     last: format, schema version, the workspace, counts, and the
//                                     size and SHA-256 of every other entry
//
// Records are every record of the workspace's own data: its entities (categories to attachments),
// the guards that keep SKUs and short codes unique, item labels, favorites, movements and sent loan
// reminders. Not the workspace record and its members (the restore makes a new workspace with its
// restorer as owner), nor what the change feed derives (change log, activity, search postings,
// stats, tombstones: rebuilt from the restored records), nor jobs and idempotency records.
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as tar from 'tar-stream';

export const backupFormat = 'home-warehouse-backup';
export const schemaVersion = 1;

export interface ManifestEntry {
  name: string;
  bytes: number;
  sha256: string;
  /** records in a records/ entry */
  records?: number;
}

export interface Manifest {
  format: typeof backupFormat;
  schema_version: number;
  created_at: string;
  workspace: { id: string; name: string; slug: string; description?: string };
  counts: { records: Record<string, number>; files: number; file_bytes: number };
  entries: ManifestEntry[];
}

/** The partitions of a workspace whose records a backup holds, in the order it writes them (entities first: a restore writes attachments' files after their records). */
export const backedUpPartitions = (workspaceId: string) => [
  `WS#${workspaceId}`, `WS#${workspaceId}#UNIQUE`, `WS#${workspaceId}#ITEMLABELS`, `WS#${workspaceId}#FAVORITES`,
  `WS#${workspaceId}#MOVES`, `WS#${workspaceId}#MOVES#POSTINGS`, `WS#${workspaceId}#REMINDERS`,
];

/** Records of the workspace partition that are not its data: the workspace itself, its members, borrowers' claims through links (expire with the link). */
export const notBackedUp = (sortKey: string) => sortKey === 'WS' || sortKey.startsWith('MEMBER#') || sortKey.startsWith('BORROWER_CLAIM#');

/** The kind a record is filed under: its entity type in the workspace partition (ITEM, LOAN…), else the partition's name (UNIQUE, MOVES_POSTINGS…). */
export function kindOf(workspaceId: string, record: Record<string, AttributeValue>): string {
  const partition = record.PK?.S ?? '';
  if (partition === `WS#${workspaceId}`) return (record.SK?.S ?? '').split('#')[0] || 'OTHER';
  return partition.slice(`WS#${workspaceId}#`.length).replace(/#/g, '_') || 'OTHER';
}

/** A record as a line of DynamoDB JSON (binary values in base64, as DynamoDB's export writes them). */
export const recordLine = (record: Record<string, AttributeValue>) =>
  JSON.stringify({ Item: record }, (_, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));

/** A line back into a record; binary values (`B`, `BS`) from base64. */
export function recordOfLine(line: string): Record<string, AttributeValue> {
  const parsed = JSON.parse(line) as { Item?: Record<string, AttributeValue> };
  if (!parsed.Item || typeof parsed.Item !== 'object') throw new Error('a line without an Item');
  const binary = (value: AttributeValue): AttributeValue => {
    if (value.B !== undefined) return { B: Buffer.from(value.B as unknown as string, 'base64') };
    if (value.BS !== undefined) return { BS: (value.BS as unknown as string[]).map((item) => Buffer.from(item, 'base64')) };
    if (value.L !== undefined) return { L: value.L.map(binary) };
    if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([name, inner]) => [name, binary(inner)])) };
    return value;
  };
  return Object.fromEntries(Object.entries(parsed.Item).map(([name, value]) => [name, binary(value)]));
}

/**
 * The record as the workspace `to` holds it: every string naming workspace `from` (its keys, the
 * index keys, `workspace_id`, an attachment's object key) names `to` instead. Ids are kept.
 */
export function rekeyed(record: Record<string, AttributeValue>, from: string, to: string): Record<string, AttributeValue> {
  const swap = (text: string) => text.split(from).join(to);
  const value = (item: AttributeValue): AttributeValue => {
    if (item.S !== undefined) return { S: swap(item.S) };
    if (item.SS !== undefined) return { SS: item.SS.map(swap) };
    if (item.L !== undefined) return { L: item.L.map(value) };
    if (item.M !== undefined) return { M: Object.fromEntries(Object.entries(item.M).map(([name, inner]) => [name, value(inner)])) };
    return item;
  };
  return Object.fromEntries(Object.entries(record).map(([name, item]) => [name, value(item)]));
}

/** Index keys a workspace's records may hold beyond its own partitions: the loans due on a day, the uploads not yet verified. */
const sharedIndexes = [
  { partition: 'GSI4PK', prefix: 'LOANS#DUE#', sortKey: 'GSI4SK', holds: (sortKey: string, workspaceId: string) => sortKey.startsWith(`${workspaceId}#`) },
  { partition: 'GSI3PK', prefix: 'ATTACHMENTS#PENDING#', sortKey: 'GSI3SK', holds: (sortKey: string, workspaceId: string) => sortKey.includes(`#${workspaceId}#`) },
];

/**
 * Whether a record (rekeyed) may be written into workspace `workspaceId`: in one of the backed-up
 * partitions, not the workspace's own record nor a member, and every index key of this workspace
 * (or a shared index's entry of it). An archive is a file a person uploads: this is what keeps a
 * crafted one from writing anywhere but into the new workspace's data.
 */
export function belongsTo(record: Record<string, AttributeValue>, workspaceId: string): boolean {
  const partition = record.PK?.S;
  const sortKey = record.SK?.S;
  if (!partition || !sortKey || !backedUpPartitions(workspaceId).includes(partition)) return false;
  if (partition === `WS#${workspaceId}` && notBackedUp(sortKey)) return false;
  for (const index of ['GSI1', 'GSI2', 'GSI3', 'GSI4']) {
    const key = record[`${index}PK`]?.S;
    if (key === undefined) continue;
    if (key.startsWith(`WS#${workspaceId}#`) || key === `WS#${workspaceId}`) continue;
    const shared = sharedIndexes.find((candidate) => candidate.partition === `${index}PK` && key.startsWith(candidate.prefix));
    if (!shared || !shared.holds(record[shared.sortKey]?.S ?? '', workspaceId)) return false;
  }
  return true;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The size of a tar entry of `size` bytes: a 512-byte header, then the data padded to 512. */
export const entrySpan = (size: number) => 512 + Math.ceil(size / 512) * 512;

/** Entries as tar bytes; `final` ends the archive (two empty blocks), otherwise more may follow. */
export async function tarOf(entries: readonly { name: string; bytes: Uint8Array }[], final: boolean, mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: entry.name, size: entry.bytes.byteLength, mtime, mode: 0o644 }, entry.bytes, (error) => (error ? reject(error) : resolve())));
  }
  pack.finalize();
  await collected;
  const bytes = Buffer.concat(chunks);
  // finalize() wrote the end of the archive (1,024 zero bytes): a part that more parts follow goes without it
  return final ? bytes : bytes.subarray(0, bytes.byteLength - 1024);
}

/** Names an archive may hold (anything else is not one of ours). */
export const validEntryName = (name: string) => name === 'manifest.json' || /^records\/[A-Z_]+-\d+-\d+\.jsonl$/.test(name) || /^files\/[0-9a-f-]{36}$/i.test(name);

export const objectKeys = {
  /** a finished backup */
  archive: (workspaceId: string, jobId: string, name: string) => `backups/${workspaceId}/${jobId}/${name}`,
  /** a part a step wrote and its manifest entries; the last step joins the parts into the archive and deletes them */
  part: (workspaceId: string, jobId: string, part: number, what: 'tar' | 'json') => `backups/${workspaceId}/${jobId}/parts/${String(part).padStart(5, '0')}.${what}`,
};
