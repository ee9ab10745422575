// Lists whose answer follows their collections' versions (shared/domain/workspaces/collections.ts):
// a version ETag, and the answer kept in this container, both keyed by everything that decides the
// answer: the workspace, the route, its path parameters (the location of a list of what is there),
// the normalised query (cursor included) and the versions of the collections it shows. The role and the user decide nothing in a list, so members share entries.
//
// The consistency rule (README, "Caching"). A write moves its collections' versions in its own
// transaction, so every authorisation read after it was acknowledged sees a new version (as soon
// as an eventually consistent read sees the write at all, like the list's own Query would): no 304
// and no kept answer from before it. But list Queries read GSIs, which trail the table: a list read
// just after a write may miss it although the version read with it shows it. So while one of its
// collections moved less than `settleMs` (5 s) ago, a list is answered from its Query with a hash of
// its body as ETag and kept nowhere: only an answer read once the indexes have settled is tagged with,
// and kept under, its version. GSIs settle well within a second in a region; 5 s is the margin the
// change log's δ (SYNC.md) already takes for the same kind of lag.
import { createHash } from 'node:crypto';
import { listCacheSettings } from '../config.js';
import { collectionVersion } from '../domain/workspaces/collections.js';
import type { HttpResponse } from './problem.js';

const settings = listCacheSettings();
const maxEntries = 1000;
/** An entry is dropped after this long, used or not: a bound on what a write that moved no version (one by an older deploy, during a deploy) could leave stale. */
const maxAgeMs = 10 * 60_000;

export interface ListTag {
  /** what decides the answer, spelled out (the cache's key: no two lists can share it) */
  key: string;
  etag: string;
}

const normalised = (values: unknown) =>
  Object.entries((values ?? {}) as Record<string, unknown>).filter(([, value]) => value !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The list's version tag, or undefined while one of its collections is settling (see the top of this file). */
export function listTag(
  routeId: string, workspace: { id: string }, collections: readonly string[], params: unknown, query: unknown, now = Date.now(),
): ListTag | undefined {
  const versions = collections.map((type) => collectionVersion(workspace, type));
  // a time ahead of this clock (another writer's) counts as just now
  if (versions.some(({ bumpedAt }) => now - bumpedAt < settings.settleMs)) return undefined;
  const key = JSON.stringify([workspace.id, routeId, normalised(params), normalised(query), collections.map((type, index) => [type, versions[index]!.version])]);
  return { key, etag: `"${createHash('sha1').update(key).digest('base64url')}"` };
}

interface Entry {
  response: HttpResponse;
  bytes: number;
  keptAt: number;
}

/** Least recently used first (a Map keeps insertion order; a hit is inserted again). */
const entries = new Map<string, Entry>();
let keptBytes = 0;

function drop(key: string) {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  keptBytes -= entry.bytes;
}

const copy = (response: HttpResponse): HttpResponse => ({ ...response, headers: { ...response.headers } });

/** The answer kept under `tag`, as a fresh response (the wrapper adds its per-request headers to it). */
export function keptAnswer(tag: ListTag, now = Date.now()): HttpResponse | undefined {
  const entry = entries.get(tag.key);
  if (!entry) return undefined;
  drop(tag.key);
  if (now - entry.keptAt > maxAgeMs) return undefined;
  entries.set(tag.key, entry);
  keptBytes += entry.bytes;
  return copy(entry.response);
}

/** Keeps a 200 answer under `tag`, evicting the least recently used beyond the entry and byte bounds. */
export function keepAnswer(tag: ListTag, response: HttpResponse, now = Date.now()): void {
  if (response.statusCode !== 200 || typeof response.body !== 'string') return;
  const bytes = Buffer.byteLength(response.body) + tag.key.length;
  if (bytes > settings.maxBytes) return;
  drop(tag.key);
  entries.set(tag.key, { response: copy(response), bytes, keptAt: now });
  keptBytes += bytes;
  for (const key of entries.keys()) {
    if (keptBytes <= settings.maxBytes && entries.size <= maxEntries) break;
    drop(key);
  }
}

/**
 * What a list route gives `httpRoute` (`{ listCache: cachedBy('CATEGORY') }`): passed in by the
 * list routes' handler modules, so only their bundles carry this module (as `{ idempotency }` is).
 */
export interface ListCache {
  collections: readonly string[];
  tag: typeof listTag;
  kept: typeof keptAnswer;
  keep: typeof keepAnswer;
}

/** The list cache of a list made only of records of these entity types. */
export const cachedBy = (...collections: string[]): ListCache => ({ collections, tag: listTag, kept: keptAnswer, keep: keepAnswer });
