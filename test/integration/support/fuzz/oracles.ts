// What every answer to a fuzz request must be, whatever the request was:
// - never a 5xx;
// - every 4xx is application/problem+json whose `code` is one of shared/contract/errors.ts, with the
//   status that code has (a route that produces text/html answers an HTML page with the code in
//   `X-Problem-Code`);
// - documented in the served OpenAPI document (checked by `call`, or by http.ts for raw requests);
// - nothing half-written: a write the API refused left every partition of every tenant as it was;
// - no secret echoed: no value the request sent in a `writeOnly` / `format: password` field, and
//   no password or token the world holds, appears in the answer;
// - tenant isolation: no answer to tenant A carries tenant B's marked strings or ids, except
//   what A itself sent and what A legitimately learnt (a user of B it made a member).
import { errorCodes, statusOfCode, type ErrorCode } from '../../../../shared/contract/errors.js';
import type { RouteContract } from '../../../../shared/contract/index.js';
import { clearedLinks } from '../../../../functions/streams/projectors/link-cleanup.js';
import { partition, queryAll } from '../table.js';
import { secretPrefix } from './generate.js';
import type { Answer } from './http.js';

export interface Finding {
  oracle: 'server error' | 'problem shape' | 'undocumented answer' | 'half-written refusal' | 'secret echoed' | 'tenant leak' | 'transport';
  detail: string;
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in errorCodes;

const producesHtml = (route: RouteContract) =>
  route.produces === 'text/html' || (Array.isArray(route.produces) && route.produces.includes('text/html'));

/** Never a 5xx; every 4xx a problem with a known code and its own status. */
export function checkStatusAndProblem(route: RouteContract, answer: Answer): Finding[] {
  const findings: Finding[] = [];
  if (answer.status >= 500) findings.push({ oracle: 'server error', detail: `answered ${answer.status}` });
  if (answer.status < 400) return findings;
  const contentType = (answer.headers.get('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/problem+json')) {
    let body: any = answer.json;
    if (body === undefined) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [...findings, { oracle: 'problem shape', detail: 'problem+json body is not JSON' }];
      }
    }
    if (!isErrorCode(body?.code)) findings.push({ oracle: 'problem shape', detail: `code ${JSON.stringify(body?.code)} is not in shared/contract/errors.ts` });
    else if (statusOfCode(body.code) !== answer.status) findings.push({ oracle: 'problem shape', detail: `code ${body.code} belongs to ${statusOfCode(body.code)}, answered ${answer.status}` });
    if (body?.status !== answer.status) findings.push({ oracle: 'problem shape', detail: `body.status ${JSON.stringify(body?.status)} ≠ HTTP ${answer.status}` });
    return findings;
  }
  if (producesHtml(route) && contentType.startsWith('text/html')) {
    const code = answer.headers.get('x-problem-code');
    if (!isErrorCode(code)) findings.push({ oracle: 'problem shape', detail: `HTML error page without a known X-Problem-Code (${JSON.stringify(code)})` });
    else if (statusOfCode(code) !== answer.status) findings.push({ oracle: 'problem shape', detail: `X-Problem-Code ${code} belongs to ${statusOfCode(code)}, answered ${answer.status}` });
    return findings;
  }
  findings.push({ oracle: 'problem shape', detail: `a ${answer.status} answered as ${contentType || '(no content-type)'}, not application/problem+json` });
  return findings;
}

// ---- secrets

/** The forms a text takes inside an answer: as is, JSON-escaped, HTML-escaped, URL-encoded. */
function forms(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const htmlHex = html.replace(/&#39;/g, '&#x27;');
  let url = text;
  try {
    url = encodeURIComponent(text);
  } catch {
    // a lone surrogate cannot be URL-encoded
  }
  return [...new Set([text, json, html, htmlHex, url])];
}

export interface SecretSent {
  /** where the request carried it: `body.password`, `query.token`, `authorization` */
  where: string;
  value: string;
  /** a secret the world issued (a real reset token): the reset page may carry it in its form */
  real?: boolean;
}

/**
 * Why a secret may appear: the reset page's form carries the reset token of the link the user
 * opened in a hidden field (it posts it back), when the token is real, and only that token.
 */
const mayCarry = (route: RouteContract, secret: SecretSent, answer: Answer) =>
  secret.real === true && secret.where.endsWith('.token') && producesHtml(route) && (answer.headers.get('content-type') ?? '').startsWith('text/html');

/**
 * `elsewhere`: the request's body and target. A secret of the world the request carried there but not
 * in a secret field (a token as a property name, in a non-secret field) may come back where the
 * API says what it refused (`body.<name>`, a non-secret `value`): the contract cannot know it is one.
 */
export function checkSecrets(route: RouteContract, answer: Answer, sent: SecretSent[], worldSecrets: Map<string, string>, elsewhere = ''): Finding[] {
  const findings: Finding[] = [];
  const text = answer.text;
  const echoed: SecretSent[] = [];
  for (const secret of sent) {
    // only distinctive values: generated secrets carry the prefix, the world's are long and random
    if (!(secret.value.includes(secretPrefix) || secret.value.length >= 12)) continue;
    if (mayCarry(route, secret, answer)) continue;
    // a long generated secret is also caught when only its start comes back (a truncated echo);
    // the world's tokens are structured (`rt1.<user>.<family>.…`), so only the whole token counts
    const probe = secret.value.length > 200 && secret.value.startsWith(secretPrefix) ? [secret.value.slice(0, 64)] : [secret.value];
    if (probe.some((value) => forms(value).some((form) => text.includes(form)))) echoed.push(secret);
  }
  // a short secret found only inside a longer one that was echoed is that one's echo
  for (const secret of echoed) {
    if (echoed.some((other) => other !== secret && other.value.length > secret.value.length && other.value.includes(secret.value))) continue;
    findings.push({ oracle: 'secret echoed', detail: `the value sent in ${secret.where} (${JSON.stringify(secret.value.slice(0, 40))}${secret.value.length > 40 ? '…' : ''}) is in the answer` });
  }
  if (sent.some((secret) => secret.value.includes(secretPrefix) && !mayCarry(route, secret, answer)) && text.includes(secretPrefix) && findings.length === 0) {
    findings.push({ oracle: 'secret echoed', detail: `part of a secret sent (prefix ${secretPrefix}) is in the answer` });
  }
  for (const [value, what] of worldSecrets) {
    if (!(value.includes(secretPrefix) || value.length >= 12) || !text.includes(value)) continue;
    if (sent.some((secret) => secret.value === value && mayCarry(route, secret, answer))) continue;
    if (elsewhere.includes(value) && !sent.some((secret) => secret.value === value)) continue;
    findings.push({ oracle: 'secret echoed', detail: `${what} is in the answer` });
  }
  return findings;
}

// ---- tenant isolation

/**
 * Tenant B's strings and ids must not reach tenant A. `sentByA`: every string of A's request (an
 * id A put in its path may come back); `disclosed`: what A learnt legitimately.
 */
export function checkIsolation(answer: Answer, marker: string, bStrings: Map<string, string>, bIds: Map<string, string>, sentByA: string[], disclosed: Set<string>): Finding[] {
  const text = answer.text.toLowerCase();
  if (!text) return [];
  const sent = sentByA.map((value) => value.toLowerCase());
  const allowed = (value: string) => disclosed.has(value) || sent.some((one) => one.includes(value));
  const findings: Finding[] = [];
  for (const [value, what] of [...bStrings, ...bIds]) {
    if (text.includes(value.toLowerCase()) && !allowed(value.toLowerCase())) findings.push({ oracle: 'tenant leak', detail: `tenant B's ${what} (${value}) is in an answer to tenant A` });
  }
  if (findings.length === 0 && text.includes(marker)) {
    // any other string of B (a derived one: a description built from B's name)
    let rest = text;
    for (const value of [...disclosed, ...sent]) if (value.includes(marker)) rest = rest.split(value).join('');
    if (rest.includes(marker)) {
      const at = rest.indexOf(marker);
      findings.push({ oracle: 'tenant leak', detail: `tenant B's marker is in an answer to tenant A: …${answer.text.slice(Math.max(0, at - 60), at + 60)}…` });
    }
  }
  return findings;
}

// ---- nothing half-written

type Item = Record<string, any>;
export type Snapshot = Map<string, string>;

/**
 * Items a refused request may change, with the reason. Throttle counters, outbox mails, reset
 * tokens and the change feed's projections are not even read: they live in partitions of their
 * own (THROTTLE#…, OUTBOX#…, RESET#…, WS#…#ACTIVITY, WS#…#CHANGES…).
 */
export const volatile: { why: string; applies: (route: RouteContract, key: string, change: 'added' | 'changed' | 'removed') => boolean }[] = [
  {
    why: 'WS#…#ACTIVITY and WS#…#CHANGES…: the activity log and the change log are projections the change feed writes after a successful write, whenever it gets to it; not snapshotted',
    applies: (_route, key) => /^WS#[^#|]+#(ACTIVITY|CHANGES)/.test(key),
  },
  {
    why: 'WS#…#FAVORITES removals: the change feed removes the favorites of a deleted entity after the delete succeeded, possibly while a later request is refused; additions and changes still count',
    applies: (_route, key, change) => change === 'removed' && /^WS#[^#|]+#FAVORITES\|/.test(key),
  },
  {
    why: 'WS#…#REMINDERS: the loan-reminder job (scheduled daily, also by the local runtime) writes reminders and their mail status on its own clock, never a request; not snapshotted',
    applies: (_route, key) => /^WS#[^#|]+#REMINDERS\|/.test(key),
  },
  {
    why: 'THROTTLE#LOGIN#… counters: a refused sign-in is counted before the password is checked (on purpose); not snapshotted',
    applies: (_route, key) => key.startsWith('THROTTLE#'),
  },
  {
    why: 'OUTBOX#… and RESET#…: a password-reset request always answers 202 and writes a token and a mail (a decoy for an unknown email); not snapshotted',
    applies: (_route, key) => key.startsWith('OUTBOX#') || key.startsWith('RESET#'),
  },
  {
    why: 'SESSION#… of a user on /auth/refresh: presenting a spent refresh token is refused (401) and revokes its whole family, on purpose',
    applies: (route, key) => route.id === 'refresh' && /^USER#[^|]+\|SESSION#/.test(key),
  },
];

/** An item as comparable text: attributes sorted, string and number sets (JS Sets, which JSON would show as `{}`) as sorted arrays. */
export const stable = (item: Item) => JSON.stringify(Object.keys(item).sort().map((key) => [key, item[key]]),
  (_key, value: unknown) => (value instanceof Set ? [...value].sort() : value));

export async function snapshot(partitions: string[], indexes: { index: string; pk: string }[]): Promise<Snapshot> {
  const result: Snapshot = new Map();
  const base = await Promise.all(partitions.map((pk) => partition(pk)));
  for (const items of base) for (const item of items) result.set(`${item.PK}|${item.SK}`, stable(item));
  const indexed = await Promise.all(indexes.map(({ index, pk }) => queryAll({
    IndexName: index, KeyConditionExpression: `${index}PK = :pk`, ExpressionAttributeValues: { ':pk': pk },
  })));
  indexes.forEach(({ index }, position) => {
    for (const item of indexed[position]!) result.set(`${index}:${item.PK}|${item.SK}`, stable(item));
  });
  return result;
}

/**
 * Notifications the change feed sends (functions/streams/projectors/): LOW_STOCK to each member
 * who can act when an item's stock crosses below its minimum, LOAN_RETURNED to the lender when a
 * loan comes back; after the write that caused them succeeded, whenever the feed gets to it
 * (possibly while a later request is refused). Such a notification added (in its user's partition
 * and the unread index) is not the refused request's doing, nor is its user's unread counter
 * moving with it; any other notification, or a counter moving alone, still counts.
 */
const sentByTheFeed = ['LOW_STOCK', 'LOAN_RETURNED'].map((type) => `["notification_type","${type}"]`);

function feedNotified(before: Snapshot, after: Snapshot): { keys: Set<string>; users: Set<string> } {
  const keys = new Set<string>();
  const users = new Set<string>();
  for (const [key, value] of after) {
    const match = /^(?:GSI\d:)?(USER#[^|#]+)\|NOTIF#(?!COUNT$)/.exec(key);
    if (!match || before.has(key) || !sentByTheFeed.some((type) => value.includes(type))) continue;
    keys.add(key);
    users.add(match[1]!);
  }
  return { keys, users };
}

/** A snapshotted item's attributes (as `stable` wrote them), or undefined for anything else. */
function attributesOf(text: string): Map<string, unknown> | undefined {
  try {
    return new Map<string, unknown>(JSON.parse(text) as [string, unknown][]);
  } catch {
    return undefined;
  }
}

/** Attributes every change of an entity moves (and the index keys that follow its fields). */
const bookkeeping = (name: string) => name === 'version' || name === 'updated_at' || name === 'updated_by' || /^GSI\d(PK|SK)$/.test(name);

/**
 * Links the change feed cleared (functions/streams/projectors/link-cleanup.ts): when a category,
 * company or label is deleted, the items linking to it lose the link, by a change of the item
 * (version, updated_at, updated_by and the link's index keys move with it) and, for a label, the
 * removal of its `WS#…#ITEMLABELS` link item; after the delete succeeded, whenever the feed gets to
 * it. Such a change is not the refused request's doing when the link's target is gone from its
 * workspace's partition (after the request) and nothing else of the entity changed.
 */
/** The type each cleared link points at: the item's fields link-cleanup clears, and its label set. */
const linkTargets = new Map<string, string>([...clearedLinks.map(({ link }) => [link.field, link.to] as [string, string]), ['label_ids', 'LABEL']]);

function linkCleared(key: string, change: 'added' | 'changed' | 'removed', before: Snapshot, after: Snapshot): boolean {
  // that entity, by its type and id, gone from its workspace's partition: ids alone collide, as a
  // client picks the UUID of what it creates and fast-check's biased uuids repeat across types (seen:
  // a label and a user sharing an id; a CI run flagged an item whose deleted category's link the
  // feed cleared, which a check by id alone takes for a live target when any entity holds that id)
  const gone = (workspace: string, type: string | undefined, id: unknown) => type !== undefined && typeof id === 'string'
    && /^[0-9a-f-]{36}$/i.test(id) && !after.has(`WS#${workspace}|${type}#${id}`);
  const labelLink = /^(?:GSI\d:)?WS#([^#|]+)#ITEMLABELS\|([^#]+)#/.exec(key);
  if (labelLink) return change === 'removed' && gone(labelLink[1]!, 'LABEL', labelLink[2]);
  const entityKey = /^WS#([^#|]+)\|[A-Z_]+#[^#]+$/.exec(key);
  if (!entityKey || change !== 'changed') return false;
  const workspace = entityKey[1]!;
  const old = attributesOf(before.get(key)!);
  const now = attributesOf(after.get(key)!);
  if (!old || !now) return false;
  let cleared = false;
  for (const name of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(name);
    const is = now.get(name);
    if (JSON.stringify(was) === JSON.stringify(is) || bookkeeping(name)) continue;
    const left = is === undefined || is === null ? [] : is;
    if (Array.isArray(was) && Array.isArray(left) && left.every((id) => was.includes(id))) {
      // a label set without labels that are gone (an emptied set is no attribute at all)
      if (!was.filter((id) => !left.includes(id)).every((id) => gone(workspace, linkTargets.get(name), id))) return false;
      cleared = true;
    } else if (is === undefined || is === null) {
      // a link field taken off, its target deleted
      if (!gone(workspace, linkTargets.get(name), was)) return false;
      cleared = true;
    } else return false;
  }
  return cleared;
}

/**
 * The workspace record's collection versions (`cv_{TYPE}`, `cvt_{TYPE}`, shared/domain/workspaces/
 * collections.ts) move in the transaction of every successful write, the change feed's own writes
 * included: link-cleanup clears a deleted label's or category's links from items in transactions
 * that bump `cv_ITEM`, after the delete succeeded, possibly while a later request is refused. A
 * refused write's transaction never commits, so a change of the workspace record in which nothing
 * but these versions moved is not its doing; any other attribute moving still counts.
 */
function versionsOnly(key: string, change: 'added' | 'changed' | 'removed', before: Snapshot, after: Snapshot): boolean {
  if (change !== 'changed' || !/^WS#[^#|]+\|WS$/.test(key)) return false;
  const old = attributesOf(before.get(key)!);
  const now = attributesOf(after.get(key)!);
  if (!old || !now) return false;
  return [...new Set([...old.keys(), ...now.keys()])]
    .every((name) => /^cvt?_[A-Z_]+$/.test(name) || JSON.stringify(old.get(name)) === JSON.stringify(now.get(name)));
}

export function checkUnchanged(route: RouteContract, before: Snapshot, after: Snapshot): Finding[] {
  const changes: string[] = [];
  const fromFeed = feedNotified(before, after);
  const ignored = (key: string, change: 'added' | 'changed' | 'removed') => fromFeed.keys.has(key)
    || (change !== 'removed' && fromFeed.users.has(key.replace(/\|NOTIF#COUNT$/, '')) && key.endsWith('|NOTIF#COUNT'))
    || linkCleared(key, change, before, after)
    || versionsOnly(key, change, before, after)
    || volatile.some((rule) => rule.applies(route, key.replace(/^GSI\d:/, ''), change));
  for (const [key, value] of after) {
    if (!before.has(key)) {
      if (!ignored(key, 'added')) changes.push(`added ${key}: ${value.slice(0, 300)}`);
    } else if (before.get(key) !== value && !ignored(key, 'changed')) {
      changes.push(`changed ${key}: ${before.get(key)!.slice(0, 300)} → ${value.slice(0, 300)}`);
    }
  }
  for (const key of before.keys()) if (!after.has(key) && !ignored(key, 'removed')) changes.push(`removed ${key}`);
  return changes.length ? [{ oracle: 'half-written refusal', detail: changes.join('; ') }] : [];
}
