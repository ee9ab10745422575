// The rules of a backup archive (shared/domain/backups/archive.ts) that keep a restore exact and
// safe: records round-trip through DynamoDB JSON lines (sets, numbers, binary), rekeying swaps the
// workspace id everywhere and nothing else, and only the workspace's own data may be written (a
// crafted archive cannot add a member, touch a user, or write into another workspace or index);
// tar parts concatenate into one archive that tar-stream reads back with the offsets a restore
// resumes from.
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { belongsTo, entrySpan, kindOf, recordLine, recordOfLine, rekeyed, tarOf, validEntryName } from '../../shared/domain/backups/archive.js';

const ws = '01a23bd9-0000-7000-8000-00000000aaaa';
const other = '01a23bd9-0000-7000-8000-00000000bbbb';
const item: Record<string, AttributeValue> = {
  PK: { S: `WS#${ws}` }, SK: { S: 'ITEM#01a23bd9-0000-7000-8000-000000000001' },
  GSI1PK: { S: `WS#${ws}#ITEM` }, GSI1SK: { S: '0#saw\u000101a23bd9-0000-7000-8000-000000000001' },
  workspace_id: { S: ws }, name: { S: 'Scie égoïne' }, version: { N: '3' }, label_ids: { SS: ['l1', 'l2'] },
  meta: { M: { blob: { B: new Uint8Array([0, 1, 254, 255]) }, list: { L: [{ S: `workspaces/${ws}/x` }, { BOOL: true }, { NULL: true }] } } },
};

describe('backup records', () => {
  it('round-trip through a DynamoDB JSON line: strings, numbers, string sets, maps, lists and binary', () => {
    const line = recordLine(item);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toHaveProperty('Item.label_ids.SS', ['l1', 'l2']);
    const back = recordOfLine(line);
    expect(back).toEqual({ ...item, meta: { M: { ...item.meta!.M!, blob: { B: Buffer.from([0, 1, 254, 255]) } } } });
    expect(() => recordOfLine('{"nothing": 1}')).toThrow();
  });

  it('are filed by entity type in the workspace partition, else by partition', () => {
    expect(kindOf(ws, item)).toBe('ITEM');
    expect(kindOf(ws, { PK: { S: `WS#${ws}#MOVES#POSTINGS` }, SK: { S: 'x' } })).toBe('MOVES_POSTINGS');
  });

  it('rekeying swaps the workspace id in every string (keys, index keys, nested values) and keeps ids and everything else', () => {
    const moved = rekeyed(item, ws, other);
    expect(moved.PK).toEqual({ S: `WS#${other}` });
    expect(moved.SK).toEqual(item.SK);
    expect(moved.GSI1PK).toEqual({ S: `WS#${other}#ITEM` });
    expect(moved.workspace_id).toEqual({ S: other });
    expect(moved.meta!.M!.list!.L![0]).toEqual({ S: `workspaces/${other}/x` });
    expect(moved.version).toEqual({ N: '3' });
    expect(moved.label_ids).toEqual({ SS: ['l1', 'l2'] });
    expect(JSON.stringify(moved)).not.toContain(ws);
  });
});

describe('what a restore may write', () => {
  const record = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { S: value }])) as Record<string, AttributeValue>;

  it('the workspace\'s entities, guards, movements and their shared index entries', () => {
    expect(belongsTo(item, ws)).toBe(true);
    expect(belongsTo(record({ PK: `WS#${ws}#UNIQUE`, SK: 'SKU#SAW-1' }), ws)).toBe(true);
    expect(belongsTo(record({ PK: `WS#${ws}#MOVES`, SK: 'm1', GSI2PK: `WS#${ws}#MOVES#INV#i1`, GSI2SK: 'm1' }), ws)).toBe(true);
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'LOAN#l1', GSI4PK: 'LOANS#DUE#2026-12-24', GSI4SK: `${ws}#l1` }), ws)).toBe(true);
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'ATTACHMENT#a1', GSI3PK: 'ATTACHMENTS#PENDING#2026-12-03', GSI3SK: `2026-12-03T10:00:00Z#${ws}#a1` }), ws)).toBe(true);
  });

  it('never the workspace record, a member, a borrower\'s claim, another workspace, a user, or another index', () => {
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'WS' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'MEMBER#u1' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'BORROWER_CLAIM#l1#RETURN' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${other}`, SK: 'ITEM#x' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: 'USER#u1', SK: 'USER' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${ws}#CHANGES`, SK: 'x' }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${ws}#JOBS`, SK: 'x' }), ws)).toBe(false);
    // a member index entry that would list the workspace among a stranger's
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'ITEM#x', GSI1PK: 'USER#victim', GSI1SK: `MEMBER#${ws}` }), ws)).toBe(false);
    // a shared index entry of another workspace
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'LOAN#l1', GSI4PK: 'LOANS#DUE#2026-12-24', GSI4SK: `${other}#l1` }), ws)).toBe(false);
    expect(belongsTo(record({ PK: `WS#${ws}`, SK: 'ITEM#x', GSI2PK: `WS#${other}#ITEM` }), ws)).toBe(false);
    expect(belongsTo({ SK: { S: 'ITEM#x' } }, ws)).toBe(false);
  });

  it('only entry names of our archives', () => {
    expect(validEntryName('manifest.json')).toBe(true);
    expect(validEntryName('records/ITEM-1-2.jsonl')).toBe(true);
    expect(validEntryName('files/01a23bd9-0000-7000-8000-000000000001')).toBe(true);
    for (const name of ['../etc/passwd', 'records/item.jsonl', 'files/../x', 'files/x', 'other.txt', 'records/ITEM-1-2.jsonl/']) expect(validEntryName(name), name).toBe(false);
  });
});

describe('archive parts', () => {
  it('concatenate into one tar, read back whole, each entry where its offset says', async () => {
    const at = new Date('2026-12-03T10:00:00Z');
    const first = await tarOf([{ name: 'records/ITEM-1-1.jsonl', bytes: Buffer.from('a\n') }, { name: 'files/01a23bd9-0000-7000-8000-000000000001', bytes: Buffer.alloc(1000, 7) }], false, at);
    const last = await tarOf([{ name: 'manifest.json', bytes: Buffer.from('{}') }], true, at);
    expect(first.length).toBe(entrySpan(2) + entrySpan(1000));
    expect(last.length).toBe(entrySpan(2) + 1024);
    const archive = Buffer.concat([first, last]);
    const extract = tar.extract();
    const seen: { name: string; offset: number; size: number }[] = [];
    const reading = (async () => {
      for await (const entry of extract) {
        for await (const _ of entry) { /* drain */ }
        seen.push({ name: entry.header.name, offset: entry.offset, size: entry.header.size ?? 0 });
      }
    })();
    extract.end(archive);
    await reading;
    expect(seen.map((entry) => entry.name)).toEqual(['records/ITEM-1-1.jsonl', 'files/01a23bd9-0000-7000-8000-000000000001', 'manifest.json']);
    // each next entry starts where the previous one's span ends (what a restore step resumes from)
    expect(seen[1]!.offset).toBe(seen[0]!.offset + entrySpan(seen[0]!.size));
    expect(seen[2]!.offset).toBe(seen[1]!.offset + entrySpan(seen[1]!.size));
  });
});
