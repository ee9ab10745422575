// The seeded world the fuzzer acts in, and keeps alive while generated requests change it.
//
// - Tenant A, the fuzzer's side: A.owner, A.viewer and A.member, all in workspace A.main with
//   those roles; A.owner's personal workspace; A.side (A.viewer's, A.owner a member) and A.other
//   (A.member's, A.owner an admin), which also gave A.owner notifications.
// - Tenant B, the victim: B.owner and B.member in B.main. Every string of B carries a marker
//   (`zqxB-<random>-…`) so a leak into an answer to A is recognised; B never acts after seeding.
// - S, a superuser (granted in the table: no route grants it).
// - In A.main and B.main, entities of every collection (seedEntities: generated bodies, plus stock
//   made by hand: items with barcodes and a label, inventory rows in a container and out of it, and
//   movements, split ones included), so `{id}`, `{item_id}`, `{inventory_id}`, `{label_id}`,
//   `{barcode}` and `{short_code}` name real things of A, sometimes of B; lists of either are read
//   for real cursors when a request needs one.
//
// Generated requests name things of the world symbolically, as `⟦ref⟧` inside any string, resolved
// when the request is sent: `⟦ws:A.main⟧` stays the caller's workspace even after a generated
// DELETE made the world create a new one. What valid requests destroy is put back by `heal()`:
// a deleted or abandoned workspace is created again with its members, a changed role restored, a
// deactivated user activated, a signed-out principal signed in again (the world follows password
// changes: it generated the new password), spent refresh tokens and reset tokens replaced.
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { routeTable, type RouteContract } from '../../../../shared/contract/index.js';
import { addMember, createWorkspace, signUp, waitForMail, mailTo, type SignedInUser } from '../api.js';
import { getItem, makeSuperuser, queryAll, tableName } from '../table.js';
import { arbitraryOf, inputsOf, type Hint, type OpenApiDocument } from './generate.js';
import { encodeSegment, rawSend, type Answer } from './http.js';
import type { CursorTransform } from './mutate.js';
import { principalCallers, stringsIn, type CallerKey, type PrincipalKey } from './request.js';

/** The ids of an answer: the entity's and its page's items'. */
const stringsOfIds = (json: any): string[] => (json && typeof json === 'object'
  ? [json, ...(Array.isArray(json.items) ? json.items : [])].map((item: { id?: unknown }) => item?.id).filter((id: unknown): id is string => typeof id === 'string')
  : []);

export type PersonKey = PrincipalKey | 'B.owner' | 'B.member';
const aPeople = ['A.owner', 'A.viewer', 'A.member'] as const;
const bPeople = ['B.owner', 'B.member'] as const;
const everyone: PersonKey[] = [...principalCallers, ...bPeople];

export interface Person {
  key: PersonKey;
  id: string;
  email: string;
  password: string;
  fullName: string;
  token: string;
  refreshToken: string;
  /** extra sessions whose refresh tokens the fuzzer may spend, rotate or sign out */
  spares: string[];
  notifications: string[];
}

export type WorkspaceKey = 'A.main' | 'A.personal' | 'A.side' | 'A.other' | 'B.main' | 'B.personal';

interface Workspace {
  id: string;
  slug: string;
}

/** What the resolution of one request needs, and what it records. */
export interface ResolveContext {
  route: RouteContract;
  caller: CallerKey;
  /** resolved (decoded) path parameters, once known */
  params?: Record<string, string>;
  /** every ref the request used */
  used: Set<string>;
  /** the resource a conditional request targets, read once */
  resource?: { etag: string; version: number; id: string } | null;
  /** whose entities `⟦pool:…⟧` names (B only while the world seeds B) */
  tenant?: 'A' | 'B';
  /** query values that pick which list a page belongs to (`include_archived`), as resolved */
  selectors?: Record<string, string>;
  /** the variant of the list whose real cursor this request carries (the selectors resolved after it follow it) */
  cursorVariant?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The collection an id belongs to, from where it appears: the literal segment before `{param}` in a
 * route path (`/workspaces/{workspace_id}/categories/{id}` → `categories`), or the last literal
 * segment of a list or create path.
 */
export function collectionOf(path: string, param?: string): string {
  const segments = path.split('/').filter(Boolean);
  const at = param ? segments.indexOf(`{${param}}`) : segments.length;
  for (let index = at - 1; index >= 0; index -= 1) if (!segments[index]!.startsWith('{')) return segments[index]!;
  return '';
}

/** Segments that narrow a list rather than name what it holds (`/inventory/by-item/{item_id}` lists inventory). */
const narrowing = /^(by-.+|available|search|recent|root|children|unread|total-quantity)$/;

/** The collection a page's entries belong to: the last literal segment of its path that is no narrowing. */
export function listCollectionOf(path: string): string {
  const segments = path.split('/').filter((segment) => segment && !segment.startsWith('{'));
  return [...segments].reverse().find((segment) => !narrowing.test(segment)) ?? '';
}

/**
 * The pool a path parameter names: `{id}` the collection before it, `{item_id}` the items
 * whatever segment it follows (`/inventory/total-quantity/{item_id}`), by its stem.
 */
export const poolOfParam = (path: string, param: string) => (/_id$/.test(param) ? stemOf(param) : collectionOf(path, param));

/** A field name as the stem of a collection (`parent_category_id` → `categor`), to find its pool by prefix. */
export const stemOf = (name: string) => {
  const stem = name.replace(/_ids?$/, '').replace(/^(parent|default|current)_/, '');
  return stem.length > 4 ? stem.slice(0, stem.length - 1) : stem;
};

/** A query value that resolves to this is not sent at all. */
export const dropParameter = '\u0000(left out)';

const ids = (count: number) => Array.from({ length: count }, (_, index) => index);

/**
 * Which list of a route's path a query picks: `include_archived=true` is another list than the
 * active ones (its cursors name it), `false` or nothing the same one.
 */
const listVariant = (selectors?: Record<string, string>) => (selectors?.include_archived === 'true' ? 'archived' : '');

/** The key of a real cursor: the list (route, path parameters, variant) and who read it. */
const cursorKey = (routeId: string, caller: string, params: Record<string, string> = {}, variant = '') =>
  `${routeId}|${caller}|${Object.entries(params).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => `${name}=${value}`).join('&')}|${variant}`;

/** A barcode of 13 random digits (an EAN-13's length: also a valid `/barcode/{barcode}`). */
const randomBarcode = () => Array.from(randomBytes(13), (byte) => String(byte % 10)).join('');

const encodeCursor = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

let documentClient: DynamoDBDocumentClient | undefined;
const documents = () => (documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
})));

/** Counts of what keeping the world alive took (printed with the fuzz counts). */
export const upkeep = { requests: 0, logins: 0, relogins: 0, workspacesRecreated: 0, rolesRestored: 0, membersReadded: 0, usersActivated: 0, sparesReplaced: 0, resetTokensMailed: 0, passwordsFollowed: 0 };

let nextClient = 0;

export class World {
  readonly people = {} as Record<PersonKey, Person>;
  readonly workspaces = {} as Record<WorkspaceKey, Workspace>;
  /** member record ids, by workspace key and person */
  readonly memberIds = new Map<string, string>();
  /** real cursors, per list and reader (`cursorKey`: route id, caller, path parameters, include_archived variant) */
  readonly cursors = new Map<string, string>();
  /** reset tokens of A.member, unspent */
  resetTokens: string[] = [];
  private resetMailsSeen = 0;
  private lastResetMail = 0;
  /** refresh tokens the world spent (rotated) itself */
  spentRefreshTokens: string[] = [];
  /** B's marked strings (lower case) → what they are */
  readonly bStrings = new Map<string, string>();
  /** B's ids → what they are */
  readonly bIds = new Map<string, string>();
  /** B strings tenant A has legitimately learnt (it made that user a member of its workspace) */
  readonly disclosed = new Set<string>();
  readonly marker: string;
  private needsHeal = false;

  private constructor() {
    this.marker = `zqxb-${randomBytes(5).toString('hex')}`;
  }

  private document?: OpenApiDocument;

  static async create(document: OpenApiDocument): Promise<World> {
    const world = new World();
    world.document = document;
    await world.seed();
    await world.seedEntities(document, ['A', 'B']);
    return world;
  }

  // ---- seeding

  private async seed() {
    const marker = this.marker;
    const person = (key: PersonKey, user: SignedInUser): Person => ({
      key, id: user.id, email: user.email, password: user.password, fullName: user.fullName,
      token: user.token, refreshToken: user.refreshToken, spares: [], notifications: [],
    });
    const [s, owner, viewer, member, bOwner, bMember] = await Promise.all([
      signUp({ fullName: 'Sue Superuser' }),
      signUp({ fullName: 'Ann A-Owner' }),
      signUp({ fullName: 'Vic A-Viewer' }),
      signUp({ fullName: 'Max A-Member' }),
      signUp({ email: `${marker}-owner@example.test`, fullName: `zqxB-${marker.slice(5)}-owner-name` }),
      signUp({ email: `${marker}-member@example.test`, fullName: `zqxB-${marker.slice(5)}-member-name` }),
    ]);
    await makeSuperuser(s.id);
    this.people.S = person('S', s);
    this.people['A.owner'] = person('A.owner', owner);
    this.people['A.viewer'] = person('A.viewer', viewer);
    this.people['A.member'] = person('A.member', member);
    this.people['B.owner'] = person('B.owner', bOwner);
    this.people['B.member'] = person('B.member', bMember);

    await this.createMain();
    const side = await createWorkspace(viewer.token, { name: 'A side', description: 'A.viewer\'s' });
    await addMember(viewer.token, side.id, owner.id, 'member');
    this.workspaces['A.side'] = { id: side.id, slug: side.slug };
    const other = await createWorkspace(member.token, { name: 'A other', description: 'A.member\'s' });
    await addMember(member.token, other.id, owner.id, 'admin');
    this.workspaces['A.other'] = { id: other.id, slug: other.slug };

    const bMain = await createWorkspace(bOwner.token, { name: `zqxB-${marker.slice(5)}-ws-name`, slug: `${marker}-ws-slug`, description: `zqxB-${marker.slice(5)}-ws-desc` });
    const bMembership = await addMember(bOwner.token, bMain.id, bMember.id, 'member');
    this.workspaces['B.main'] = { id: bMain.id, slug: bMain.slug };

    for (const key of ['A.owner', 'B.owner', 'B.member'] as const) {
      const list = await this.api('GET', '/workspaces?limit=100', { token: this.people[key].token });
      const personal = (list.json?.items ?? []).find((workspace: { is_personal: boolean }) => workspace.is_personal);
      if (!personal) throw new Error(`world: no personal workspace for ${key}`);
      if (key === 'A.owner') {
        this.workspaces['A.personal'] = { id: personal.id, slug: personal.slug };
        continue;
      }
      if (key === 'B.owner') this.workspaces['B.personal'] = { id: personal.id, slug: personal.slug };
      this.bIds.set(personal.id, `${key}'s personal workspace`);
      this.bStrings.set(personal.slug.toLowerCase(), `${key}'s personal workspace slug`);
    }

    // B: every string and id it has
    for (const key of bPeople) {
      const b = this.people[key];
      this.bIds.set(b.id, `${key} user id`);
      this.bStrings.set(b.email.toLowerCase(), `${key} email`);
      this.bStrings.set(b.fullName.toLowerCase(), `${key} full name`);
    }
    this.bIds.set(bMain.id, 'B.main workspace id');
    this.bIds.set(bMembership.id, 'B.main membership of B.member');
    this.bStrings.set(`zqxB-${marker.slice(5)}-ws-name`.toLowerCase(), 'B.main name');
    this.bStrings.set(`${marker}-ws-slug`, 'B.main slug');
    this.bStrings.set(`zqxB-${marker.slice(5)}-ws-desc`.toLowerCase(), 'B.main description');
    const bMembers = await this.api('GET', `/workspaces/${bMain.id}/members?limit=100`, { token: bOwner.token });
    for (const item of bMembers.json?.items ?? []) this.bIds.set(item.id, `B.main membership of ${item.user_id}`);
    for (const key of bPeople) {
      const notes = await this.api('GET', '/notifications?limit=100', { token: this.people[key].token });
      this.people[key].notifications = (notes.json?.items ?? []).map((item: { id: string }) => item.id);
      for (const id of this.people[key].notifications) this.bIds.set(id, `${key}'s notification`);
    }

    await Promise.all(aPeople.map((key) => this.refreshNotifications(key)));
    await Promise.all(aPeople.flatMap((key) => ids(2).map((index) => this.replaceSpare(key, index))));
    await this.replenishResetTokens();
    await this.harvestCursors();
  }

  /** A.main: created by A.owner, with A.viewer as viewer and A.member as member. */
  private async createMain() {
    const owner = this.people['A.owner'];
    const main = await createWorkspace(owner.token, { name: 'A main', description: 'tenant A\'s workspace' });
    this.workspaces['A.main'] = { id: main.id, slug: main.slug };
    this.memberIds.set('A.main:A.viewer', (await addMember(owner.token, main.id, this.people['A.viewer'].id, 'viewer')).id);
    this.memberIds.set('A.main:A.member', (await addMember(owner.token, main.id, this.people['A.member'].id, 'member')).id);
  }

  private async refreshNotifications(key: PersonKey) {
    const notes = await this.api('GET', '/notifications?limit=100', { token: this.people[key].token });
    if (notes.status === 200) this.people[key].notifications = (notes.json.items as { id: string }[]).map((item) => item.id);
  }

  /** A real `next_cursor` of every list route, for each caller that may read it. */
  private async harvestCursors() {
    for (const route of routeTable) await this.harvestCursorsOf(route);
    // a cursor of B's own list: a position in another tenant's partition
    const bList = await this.api('GET', '/workspaces/' + this.workspaces['B.main'].id + '/members?limit=1', { token: this.people['B.owner'].token });
    if (typeof bList.json?.next_cursor === 'string') this.cursors.set(cursorKey('listMembers', 'B.owner', { workspace_id: this.workspaces['B.main'].id }), bList.json.next_cursor);
  }

  private async harvestCursorsOf(route: RouteContract) {
    if (route.method !== 'GET' || !route.query) return;
    // lists with more than a workspace in their path (`/inventory/by-item/{item_id}`) are read when a request needs one (cursorFor)
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    if (names.some((name) => name !== 'workspace_id')) return;
    const params: Record<string, string> = names.includes('workspace_id') ? { workspace_id: this.workspaces['A.main'].id } : {};
    const callers: PrincipalKey[] = route.access === 'superuser' ? ['S'] : route.access === 'public' ? ['A.owner'] : ['A.owner', 'A.viewer'];
    for (const caller of callers) {
      if (this.cursors.has(cursorKey(route.id, caller, params))) continue;
      await this.fetchCursor(route, caller, params);
    }
  }

  /** The `next_cursor` of the first page (limit 1) of a list as `caller` reads it, kept for later. */
  private async fetchCursor(route: RouteContract, caller: PrincipalKey, params: Record<string, string>, variant = ''): Promise<string | undefined> {
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(params[name] ?? ''));
    const answer = await this.api('GET', `${path}?limit=1${variant === 'archived' ? '&include_archived=true' : ''}`, { token: this.people[caller].token });
    const cursor = answer.json?.next_cursor;
    if (typeof cursor !== 'string') return undefined;
    this.cursors.set(cursorKey(route.id, caller, params, variant), cursor);
    return cursor;
  }

  /** Before a route's turn: the world whole, fresh notification pools, reset tokens, and a real cursor of its list if it has one by now. */
  async prepare(route: RouteContract) {
    await this.heal();
    if (this.resetTokens.length === 0 && route.access === 'public') {
      this.lastResetMail = Date.now();
      await this.replenishResetTokens();
    }
    await Promise.all(aPeople.map((key) => this.refreshNotifications(key)));
    await this.harvestCursorsOf(route);
  }

  // ---- HTTP for the world's own upkeep (not fuzz requests: not counted, not checked)

  async api(method: string, target: string, options: { token?: string; body?: unknown; localAddress?: string } = {}): Promise<Answer> {
    upkeep.requests += 1;
    return rawSend({
      method, target,
      headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
  }

  /**
   * Signs in from a client address of its own (127.0.0.x: the loopback network), so failed sign-ins
   * the fuzzer made from 127.0.0.1 never throttle the world; past the per-email ceiling the
   * counters are cleared in the table.
   */
  async login(key: PersonKey): Promise<{ token: string; refresh_token: string }> {
    const person = this.people[key];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      nextClient = (nextClient + 1) % 250;
      upkeep.logins += 1;
      const answer = await this.api('POST', '/auth/login', { body: { email: person.email, password: person.password }, localAddress: `127.0.0.${nextClient + 2}` });
      if (answer.status === 200) return answer.json;
      if (answer.status === 429) {
        const throttles = await queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `THROTTLE#LOGIN#${person.email.toLowerCase()}` }, ConsistentRead: true });
        await Promise.all(throttles.map((item) => documents().send(new DeleteCommand({ TableName: tableName(), Key: { PK: item.PK, SK: item.SK } }))));
        continue;
      }
      throw new Error(`world: ${key} (${person.email}) cannot sign in any more: ${answer.status} ${answer.text.slice(0, 300)} — did a generated request change the password without the world noticing?`);
    }
    throw new Error(`world: ${key} stays throttled`);
  }

  private async replaceSpare(key: PersonKey, index: number) {
    upkeep.sparesReplaced += 1;
    this.people[key].spares[index] = (await this.login(key)).refresh_token;
  }

  /** Two fresh reset tokens of A.member, read from the mail the change feed sends. */
  private async replenishResetTokens() {
    const member = this.people['A.member'];
    const before = (await mailTo(member.email)).length;
    for (let index = 0; index < 2; index += 1) await this.api('POST', '/auth/password-reset', { body: { email: member.email } });
    upkeep.resetTokensMailed += 2;
    const mails = await waitForMail(member.email, before + 2, 10_000);
    this.resetTokens = mails.slice(Math.max(before, this.resetMailsSeen))
      .map((mail) => /[?&]token=([^\s&"'<>]+)/.exec(mail.body.text ?? mail.body.html ?? '')?.[1])
      .filter((token): token is string => token !== undefined).map((token) => decodeURIComponent(token));
    this.resetMailsSeen = mails.length;
  }

  // ---- resolution of `⟦ref⟧`s

  personOf(caller: CallerKey): Person {
    return (principalCallers as readonly string[]).includes(caller) ? this.people[caller as PrincipalKey] : this.people['A.owner'];
  }

  /** Whose access token an Authorization header carries (a mutation may have put another one there). */
  actingPerson(authorization: string | undefined): Person | undefined {
    if (!authorization) return undefined;
    return everyone.map((key) => this.people[key]).find((person) => authorization.includes(person.token));
  }

  /** The Authorization header a caller sends. */
  authorizationOf(caller: CallerKey): string | undefined {
    switch (caller) {
      case 'none':
        return undefined;
      case 'forged': {
        const [header, payload] = this.people['A.owner'].token.split('.');
        return `Bearer ${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      }
      case 'refreshAsBearer':
        return `Bearer ${this.people['A.owner'].refreshToken}`;
      default:
        return `Bearer ${this.people[caller].token}`;
    }
  }

  /** Every `⟦ref⟧` of a string replaced, innermost first. */
  async resolve(text: string, context: ResolveContext): Promise<string> {
    let current = text;
    for (let round = 0; round < 5 && current.includes('⟦'); round += 1) {
      const refs = [...current.matchAll(/⟦([^⟦⟧]*)⟧/g)];
      if (refs.length === 0) break;
      const values = await Promise.all(refs.map((match) => this.value(match[1]!, context)));
      let index = 0;
      current = current.replace(/⟦([^⟦⟧]*)⟧/g, () => values[index++]!);
    }
    return current;
  }

  private async value(ref: string, context: ResolveContext): Promise<string> {
    context.used.add(ref);
    const [kind, ...rest] = ref.split(':');
    const name = rest.join(':');
    const caller = this.personOf(context.caller);
    const person = (key: string) => (key === 'caller' ? caller : this.people[key as PersonKey]);
    const pick = <T>(list: T[], index: string | undefined, fallback: T) => (list.length ? list[Number(index ?? 0) % list.length]! : fallback);
    switch (kind) {
      case 'upper': {
        const inner = await this.value(name, { ...context, used: new Set() }).catch(() => name);
        return (inner.startsWith('⟦') ? name : inner).toUpperCase();
      }
      case 'ws':
        return this.workspaces[name as WorkspaceKey]?.id ?? name;
      case 'slug':
        return this.workspaces[name as WorkspaceKey]?.slug ?? name;
      case 'user':
        return person(name)?.id ?? ref;
      case 'email':
        return person(name)?.email ?? ref;
      case 'password':
        return person(name)?.password ?? ref;
      case 'token':
        return person(name)?.token ?? ref;
      case 'member':
        return this.memberIds.get(name) ?? ref;
      case 'notif': {
        const [who, index] = name.split('.');
        if (who === 'B') return pick(this.people['B.member'].notifications, index, '0193a5e2-7c1a-7b3e-9f00-000000000000');
        return pick(person(who === 'caller' ? 'caller' : `A.${who}`)?.notifications ?? caller.notifications, index, '0193a5e2-7c1a-7b3e-9f00-000000000001');
      }
      case 'refresh': {
        // refresh:A.owner.spare.1 / refresh:spent
        if (name === 'spent') return this.spentRefreshTokens.at(-1) ?? 'rt1.not-a-real-token-0000000000';
        const match = /^(A\.\w+)\.spare\.(\d+)$/.exec(name);
        return match ? this.people[match[1] as PersonKey].spares[Number(match[2]) % 2] ?? ref : ref;
      }
      case 'reset':
        return pick(this.resetTokens, name.split('.').at(-1), 'q0fC3yM1c8TzX2rN5bV7wK9pL4hJ6gD0sA1eF3iU5oY');
      case 'pool':
      case 'bpool': {
        // pool:categories.3 — an id of that collection (B's for bpool, or while B is being seeded)
        const at = name.lastIndexOf('.');
        const tenant = kind === 'bpool' || context.tenant === 'B' ? 'B' : 'A';
        const list = this.poolFor(tenant, name.slice(0, at));
        return list.length ? pick(list, name.slice(at + 1), '') : pick(tenant === 'B' ? [...this.bIds.keys()] : this.aIds(), name.slice(at + 1), '0193a5e2-7c1a-7b3e-9f00-000000000002');
      }
      case 'place': {
        // place:2.location / place:2.container — a container of A's and the location it is at
        const [index, part] = name.split('.');
        const found = pick(this.places, index, undefined);
        return found ? found[part === 'container' ? 'container' : 'location'] : this.value(`pool:${part === 'container' ? 'containers' : 'locations'}.${index}`, context);
      }
      case 'select': {
        // select:include_archived=true — a value that picks a list; after a real cursor, the one of that cursor's list
        const [param, chosen] = [name.slice(0, name.indexOf('=')), name.slice(name.indexOf('=') + 1)];
        const value = context.cursorVariant !== undefined && param === 'include_archived' ? (context.cursorVariant === 'archived' ? 'true' : 'false') : chosen;
        context.selectors = { ...context.selectors, [param]: value };
        return value;
      }
      case 'barcode':
      case 'shortcode': {
        // barcode:B.1 — a barcode of one of that tenant's items; shortcode:A.2 — a short code of A's
        const [side, index] = name.split('.');
        const codes = this.codes[side === 'B' ? 'B' : 'A'];
        return pick(kind === 'barcode' ? codes.barcodes : codes.shortCodes, index, kind === 'barcode' ? '4006381333931' : 'NOSUCH22');
      }
      case 'anyid': {
        const [side, index] = name.split('.');
        const pool = side === 'B' ? [...this.bIds.keys()] : this.aIds();
        return pick(pool, index, '0193a5e2-7c1a-7b3e-9f00-000000000002');
      }
      case 'etag':
      case 'version':
      case 'id': {
        const resource = await this.resourceOf(context);
        if (kind === 'id') return resource?.id ?? '0193a5e2-7c1a-7b3e-9f00-000000000003';
        if (kind === 'version') return String(resource?.version ?? 1);
        if (!resource) return '"0193a5e2-7c1a-7b3e-9f00-000000000003.v1"';
        return name === 'stale' ? resource.etag.replace(/\.v(\d+)"$/, (_match, version: string) => `.v${Number(version) + 1}"`) : resource.etag;
      }
      case 'cursor':
        return this.cursorFor(name as CursorTransform, context);
      default:
        return `⟦${ref}⟧`.replace(/[⟦⟧]/g, '');
    }
  }

  /** Ids of things tenant A's own requests created or read (newest first): real ids for routes the seeding knows nothing of. */
  harvested: string[] = [];
  /** tenant A's and tenant B's entity ids by collection (`categories`, `locations`, …), newest first */
  readonly pools = { A: new Map<string, string[]>(), B: new Map<string, string[]>() };
  /** A's containers with the location each is at (a row's container must be at its location), newest first */
  places: { location: string; container: string }[] = [];
  /** each tenant's items' barcodes and its scannable short codes (items, locations, containers), for `{barcode}` and `{short_code}` */
  readonly codes = { A: { barcodes: [] as string[], shortCodes: [] as string[] }, B: { barcodes: [] as string[], shortCodes: [] as string[] } };

  private addPlace(location: string, container: string) {
    this.places = [{ location, container }, ...this.places.filter((place) => place.container !== container)].slice(0, 20);
  }

  private addToPool(tenant: 'A' | 'B', collection: string, ids: string[]) {
    if (!collection || ids.length === 0) return;
    const pool = this.pools[tenant];
    pool.set(collection, [...new Set([...ids, ...(pool.get(collection) ?? [])])].slice(0, 40));
  }

  /** The pool a key names: the collection itself, or the one whose name starts with the stem. */
  private poolFor(tenant: 'A' | 'B', key: string): string[] {
    const pool = this.pools[tenant];
    if (pool.has(key)) return pool.get(key)!;
    const match = [...pool.keys()].find((collection) => key.length >= 3 && collection.startsWith(key));
    return match ? pool.get(match)! : [];
  }

  /** Every id tenant A has (for uuid fields the world knows nothing more specific about). */
  aIds(): string[] {
    return [
      ...this.harvested,
      ...aPeople.map((key) => this.people[key].id),
      ...(['A.main', 'A.personal', 'A.side', 'A.other'] as const).map((key) => this.workspaces[key].id),
      ...this.memberIds.values(),
      ...aPeople.flatMap((key) => this.people[key].notifications),
    ];
  }

  /**
   * The resource a conditional request writes (or a GET reads): the GET route at the same path, or
   * at its parent (`/users/me/password` → `/users/me`), read as the caller.
   */
  private async resourceOf(context: ResolveContext) {
    if (context.resource !== undefined) return context.resource;
    context.resource = null;
    const template = [context.route.path, context.route.path.replace(/\/[^/{}]+$/, '')]
      .find((path) => routeTable.some((route) => route.method === 'GET' && route.path === path));
    if (!template || !context.params) return null;
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(context.params![name] ?? ''));
    const caller = context.route.access === 'superuser' && context.caller !== 'S' ? this.people.S : this.personOf(context.caller);
    const answer = await this.api('GET', path, { token: caller.token });
    const etag = answer.headers.get('etag');
    if (answer.status !== 200 || !etag) return null;
    context.resource = { etag, version: typeof answer.json?.version === 'number' ? answer.json.version : 1, id: answer.json?.id ?? '' };
    return context.resource;
  }

  /** A cursor for this route: a real one, or one crafted from a real one. */
  private async cursorFor(transform: CursorTransform, context: ResolveContext): Promise<string> {
    const callerKey = ((principalCallers as readonly string[]).includes(context.caller) ? context.caller : 'A.owner') as PrincipalKey;
    // a cursor of this very list (path parameters and variant), read now if none was seen yet
    const variant = listVariant(context.selectors);
    const exact = this.cursors.get(cursorKey(context.route.id, callerKey, context.params, variant))
      ?? (context.params ? await this.fetchCursor(context.route, callerKey, context.params, variant) : undefined);
    if (transform === 'real') {
      // this list has no second page (or cannot be read): a first page (the parameter is left out)
      if (exact === undefined) return dropParameter;
      context.cursorVariant = variant;
      return exact;
    }
    // crafted cursors start from a real one: of this list, else of the same route
    const own = exact
      ?? [...this.cursors].find(([key]) => key.startsWith(`${context.route.id}|${callerKey}|`))?.[1]
      ?? [...this.cursors].find(([key]) => key.startsWith(`${context.route.id}|`))?.[1];
    const foreign = [...this.cursors].find(([key]) => !key.startsWith(`${context.route.id}|`))?.[1] ?? encodeCursor({ l: 'users', k: { GSI1PK: 'USERS', GSI1SK: 'x', PK: 'USER#x', SK: 'USER' } });
    if (transform === 'foreign') return foreign;
    const base = JSON.parse(Buffer.from(own ?? foreign, 'base64url').toString('utf8')) as Record<string, any>;
    const position = (base.k && typeof base.k === 'object' ? base.k : undefined) as Record<string, unknown> | undefined;
    const firstKey = position ? Object.keys(position)[0]! : 'a';
    const setFirst = (value: unknown) => (position ? { ...base, k: { ...position, [firstKey]: value } } : { ...base, a: value });
    const b = this.people['B.member'];
    switch (transform) {
      case 'listName': return encodeCursor({ ...base, l: base.l === 'workspaces.purge' ? 'notifications' : 'workspaces.purge' });
      case 'listNameNumber': return encodeCursor({ ...base, l: 1 });
      case 'extraTopKey': return encodeCursor({ ...base, x: 1 });
      case 'extraKey': return encodeCursor(position ? { ...base, k: { ...position, GSI9PK: 'x' } } : { ...base, k: { PK: 'x' } });
      case 'dropKey': {
        if (!position) return encodeCursor({ l: base.l });
        const { [firstKey]: _dropped, ...rest } = position;
        return encodeCursor({ ...base, k: rest });
      }
      case 'numberValue': return encodeCursor(setFirst(123));
      case 'otherPartition':
      case 'otherPartitionB': {
        const replacement = transform === 'otherPartition' ? `USER#${this.people['A.viewer'].id}` : `USER#${b.id}`;
        const swap = (value: unknown) => (typeof value === 'string' ? value.replace(/^(USER|WS)#[0-9a-f-]{36}/, transform === 'otherPartitionB' && value.startsWith('WS#') ? `WS#${this.workspaces['B.main'].id}` : replacement) : value);
        if (!position) return encodeCursor({ ...base, a: `zzz\u0000${this.workspaces['B.main'].id}` });
        return encodeCursor({ ...base, k: Object.fromEntries(Object.entries(position).map(([key, value]) => [key, swap(value)])) });
      }
      case 'otherTableKey': {
        // an index cursor whose table key is someone else's item, its index key left as it was
        if (!position) return encodeCursor({ ...base, a: `${String(base.a ?? '')}\u0000${b.id}` });
        return encodeCursor({ ...base, k: { ...position, PK: `USER#${b.id}`, ...(typeof position.SK === 'string' && position.SK.startsWith('NOTIF#') ? { SK: `NOTIF#${b.notifications[0] ?? '0'}` } : {}) } });
      }
      case 'huge': return encodeCursor(setFirst('x'.repeat(1400)));
      case 'wrongPrefix': return encodeCursor(position ? { ...base, k: { ...position, SK: 'SESSION#x', ...(position.GSI2SK ? { GSI2SK: 'USER' } : {}) } } : { ...base, a: '' });
      case 'nestedValue': return encodeCursor(setFirst({ S: 'x' }));
      case 'nullValue': return encodeCursor(setFirst(null));
      case 'emptyValue': return encodeCursor(setFirst(''));
      case 'loneSurrogate': return encodeCursor(JSON.stringify(setFirst('x\ud800')));
      case 'topArray': return encodeCursor([base]);
      case 'topNull': return encodeCursor('null');
      case 'topString': return encodeCursor('"x"');
      case 'topNumber': return encodeCursor('1e400');
      case 'notJson': return encodeCursor('not json at all');
      case 'garbage': return 'Zm9v_-Zm9vYmFy-_garbage';
      case 'padded': return `${own ?? foreign}==`;
      case 'plusSlash': return (own ?? foreign).replace(/-/g, '+').replace(/_/g, '/') + '+/';
      case 'empty': return '';
      case 'tooLong': return 'A'.repeat(2049);
      case 'unicode': return 'é✓';
      case 'afterEverything': return encodeCursor(position ? setFirst(`${String(position[firstKey])}\uffff`) : { ...base, a: '\uffff\uffff' });
      case 'protoKey': return encodeCursor(`{"__proto__":{"l":${JSON.stringify(base.l)}},"l":${JSON.stringify(base.l)},"k":${JSON.stringify(base.k ?? {})}}`);
      default: return own ?? foreign;
    }
  }

  // ---- what tenant A must never see, and the snapshot of what refused writes must leave alone

  /** Partitions a refused write must leave as they were: every tenant's, B's included. */
  partitions(): string[] {
    const pks = new Set<string>();
    for (const workspace of Object.values(this.workspaces)) {
      pks.add(`WS#${workspace.id}`);
      pks.add(`WS#${workspace.id}#UNIQUE`);
      pks.add(`WS#${workspace.id}#TOMBSTONES`);
      pks.add(`WS#${workspace.id}#FAVORITES`);
      pks.add(`WS#${workspace.id}#ITEMLABELS`);
      pks.add(`WS#${workspace.id}#MOVES`);
      pks.add(`WS#${workspace.id}#MOVES#POSTINGS`);
      pks.add(`UNIQUE#SLUG#${workspace.slug}`);
    }
    for (const key of everyone) {
      pks.add(`USER#${this.people[key].id}`);
      pks.add(`UNIQUE#EMAIL#${this.people[key].email.toLowerCase()}`);
    }
    return [...pks];
  }

  /** Index partitions that would show a write the base partitions above cannot: memberships (GSI1) and unread notifications (GSI2). */
  indexPartitions(): { index: string; pk: string }[] {
    return everyone.flatMap((key) => [
      { index: 'GSI1', pk: `USER#${this.people[key].id}` },
      { index: 'GSI2', pk: `USER#${this.people[key].id}#UNREAD` },
    ]);
  }

  /** Every secret the world holds: passwords, access and refresh tokens, reset tokens. */
  secrets(): Map<string, string> {
    const secrets = new Map<string, string>();
    for (const key of everyone) {
      const person = this.people[key];
      secrets.set(person.password, `${key}'s password`);
      secrets.set(person.token, `${key}'s access token`);
      secrets.set(person.refreshToken, `${key}'s refresh token`);
      person.spares.forEach((token, index) => secrets.set(token, `${key}'s spare refresh token ${index}`));
    }
    for (const token of this.spentRefreshTokens) secrets.set(token, 'a spent refresh token');
    this.resetTokens.forEach((token, index) => secrets.set(token, `A.member's reset token ${index}`));
    return secrets;
  }

  // ---- after each request: follow what it changed, and put back what the fuzz needs

  /** What the answer to a request means for the world. */
  async observe(exchange: { context: ResolveContext; status: number; json?: any; method: string; body?: unknown; authorization?: string; location?: string | null }) {
    const { context, status, json } = exchange;
    const ok = status >= 200 && status < 300;
    // spare refresh tokens: adopt the rotated one, replace a spent or signed-out one
    for (const ref of context.used) {
      const match = /^refresh:(A\.\w+)\.spare\.(\d+)$/.exec(ref);
      if (!match) continue;
      const key = match[1] as PersonKey;
      const index = Number(match[2]) % 2;
      const old = this.people[key].spares[index]!;
      if (status === 200 && typeof json?.refresh_token === 'string') {
        this.spentRefreshTokens = [...this.spentRefreshTokens.slice(-5), old];
        this.people[key].spares[index] = json.refresh_token;
      } else if (status === 204 || status === 401) {
        // signed out, or refused as spent or revoked: a new one
        this.spentRefreshTokens = [...this.spentRefreshTokens.slice(-5), old];
        await this.replaceSpare(key, index);
      }
    }
    if (ok && exchange.method !== 'GET') {
      const body = (exchange.body ?? {}) as Record<string, unknown>;
      if (typeof body.new_password === 'string') {
        upkeep.passwordsFollowed += 1;
        const viaReset = [...context.used].some((ref) => ref.startsWith('reset:'));
        const changed = viaReset ? this.people['A.member'] : this.actingPerson(exchange.authorization) ?? this.personOf(context.caller);
        changed.password = body.new_password;
        // a password change outdates every reset token mailed before it
        if (changed.key === 'A.member') this.resetTokens = [];
        for (const index of ids(2)) await this.replaceSpare(changed.key, index);
      }
      this.needsHeal = true;
    }
    if (status === 401 && (principalCallers as readonly string[]).includes(context.caller)) this.needsHeal = true;
    // a real next page of this list, as this caller reads it
    if (ok && typeof json?.next_cursor === 'string' && (principalCallers as readonly string[]).includes(context.caller)) {
      this.cursors.set(cursorKey(context.route.id, context.caller, context.params, listVariant(context.selectors)), json.next_cursor);
    }
    // ids in tenant A's successful answers: entities of any domain, for the next routes' `{…_id}`;
    // only A.main's go into the pools by collection (the workspace `⟦pool:…⟧` ids are asked in), all into `harvested`
    const workspace = context.params?.workspace_id;
    if (ok && context.caller !== 'S') this.harvest('A', context.route, json, exchange.location, workspace === undefined || workspace === this.workspaces['A.main'].id);
  }

  /** Ids of a successful answer into the pools: the created resource's Location, the entity, a page's items. */
  private harvest(tenant: 'A' | 'B', route: RouteContract, json: any, location?: string | null, pooled = true) {
    if (location && pooled) {
      const segments = location.split('?')[0]!.split('/').filter(Boolean);
      segments.forEach((segment, index) => {
        if (index > 0 && uuidPattern.test(segment) && !uuidPattern.test(segments[index - 1]!)) this.addToPool(tenant, segments[index - 1]!, [segment]);
      });
    }
    if (!json || typeof json !== 'object') return;
    const idOf = (item: { id?: unknown } | undefined) => item?.id;
    const usable = (id: unknown): id is string => typeof id === 'string' && uuidPattern.test(id) && (tenant === 'B' || !this.bIds.has(id));
    const page = Array.isArray(json.items) ? (json.items as { id?: unknown }[]).map(idOf).filter(usable) : undefined;
    const found = [idOf(json), ...(page ?? [])].filter(usable);
    if (tenant === 'A') this.harvested = [...new Set([...found, ...this.harvested])].slice(0, 60);
    if (!pooled) return;
    if (tenant === 'A' && listCollectionOf(route.path).startsWith('containers')) {
      for (const container of (page ? json.items : [json]) as { id?: unknown; location_id?: unknown }[]) {
        if (usable(container.id) && usable(container.location_id)) this.addPlace(container.location_id, container.id);
      }
    }
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const last = params.at(-1);
    // a page of a collection (`/inventory/by-item/{item_id}` is a page of inventory), or an entity read at its own path
    if (page) this.addToPool(tenant, listCollectionOf(route.path), page);
    else if (last && last !== 'workspace_id' && route.path.endsWith(`{${last}}`)) this.addToPool(tenant, collectionOf(route.path, last), found.slice(0, 1));
  }

  /**
   * Entities of every collection a workspace can hold, created through the API for both tenants,
   * so routes of any domain get real ids from the start (and B's are there to be tried by A).
   * B's text fields carry B's marker. What the document cannot say (a reference that must
   * exist) is tried a few times with other generated bodies; what never succeeds is left out.
   */
  async seedEntities(document: OpenApiDocument, tenants: readonly ('A' | 'B')[]) {
    const creates = routeTable.filter((route) => route.method === 'POST' && route.status === 201
      && /^\/workspaces\/\{workspace_id\}\/[a-z-]+$/.test(route.path) && !route.path.endsWith('/members'));
    for (const tenant of tenants) {
      this.pools[tenant].clear();
      this.codes[tenant] = { barcodes: [], shortCodes: [] };
      if (tenant === 'A') this.places = [];
      const owner = this.people[tenant === 'A' ? 'A.owner' : 'B.owner'];
      const workspace = this.workspaces[tenant === 'A' ? 'A.main' : 'B.main'];
      for (const route of creates) {
        const inputs = inputsOf(document, route);
        if (!inputs.body) continue;
        const samples = fc.sample(arbitraryOf(inputs.body.schema, { route, location: 'body', name: '', pointer: 'body' }, { document, hint: worldHint }), { numRuns: 8, seed: 7 });
        for (const [attempt, sample] of samples.entries()) {
          const context: ResolveContext = { route, caller: tenant === 'A' ? 'A.owner' : 'none', used: new Set(), tenant };
          let body = await this.resolveValue(sample, context);
          if (tenant === 'B') body = this.marked(body, inputs.body.schema, `${route.id}${attempt}`, document);
          const answer = await this.api('POST', route.path.replace('{workspace_id}', workspace.id), { token: owner.token, body });
          if (answer.status !== 201) continue;
          this.harvest(tenant, route, answer.json, answer.headers.get('location'));
          if (tenant === 'B') {
            // an id B chose itself (a create's client id) may be any id B has seen, A's included: it is not B's secret
            const sent = new Set(stringsIn(body));
            for (const id of stringsOfIds(answer.json)) if (!sent.has(id)) this.bIds.set(id, `B's ${route.id} entity`);
            for (const text of stringsIn(body)) if (text.toLowerCase().includes(this.marker)) this.bStrings.set(text.toLowerCase(), `B's ${route.id} text`);
          }
          break;
        }
      }
      await this.seedStock(tenant);
    }
  }

  /**
   * Stock that generated bodies rarely manage to make (a row needs an item, a location and a
   * container at that location; a movement needs a row): for each tenant a room with a shelf in it
   * and a crate on the shelf, two items with barcodes (one labelled), rows of both, and three moves
   * (two splits), so every list of inventory and movements has more than one page at `limit=1`.
   * B's text carries B's marker; B's ids, SKUs, barcodes and short codes are B's to the isolation oracle.
   */
  private async seedStock(tenant: 'A' | 'B') {
    const owner = this.people[tenant === 'A' ? 'A.owner' : 'B.owner'];
    const base = `/workspaces/${this.workspaces[tenant === 'A' ? 'A.main' : 'B.main'].id}`;
    const text = (what: string) => (tenant === 'B' ? `zqxB-${this.marker.slice(5)}-${what}` : `A ${what}`);
    const code = (what: string) => (tenant === 'B' ? `zqxB-${this.marker.slice(5)}-${what}` : `A-${what}-${randomBytes(3).toString('hex')}`);
    const own = (collection: string, json: any) => {
      this.addToPool(tenant, collection, [json.id]);
      if (typeof json.short_code === 'string') this.codes[tenant].shortCodes.unshift(json.short_code);
      if (typeof json.barcode === 'string') this.codes[tenant].barcodes.unshift(json.barcode);
      if (tenant === 'A') {
        this.harvested = [...new Set([json.id as string, ...this.harvested])].slice(0, 60);
        return json;
      }
      this.bIds.set(json.id, `B's seeded ${collection} entity`);
      for (const field of ['name', 'sku', 'barcode', 'short_code', 'notes']) {
        if (typeof json[field] === 'string') this.bStrings.set(json[field].toLowerCase(), `B's seeded ${collection} ${field}`);
      }
      return json;
    };
    const send = async (method: string, path: string, status: number, body?: unknown) => {
      const answer = await this.api(method, `${base}${path}`, { token: owner.token, ...(body === undefined ? {} : { body }) });
      if (answer.status !== status) throw new Error(`world: ${tenant}'s stock: ${method} ${path} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      return answer.json;
    };
    const create = async (collection: string, body: Record<string, unknown>) => own(collection, await send('POST', `/${collection}`, 201, body));

    const room = await create('locations', { name: text('stock room') });
    const shelf = await create('locations', { name: text('stock shelf'), parent_location: room.id });
    const crate = await create('containers', { name: text('stock crate'), location_id: shelf.id });
    if (tenant === 'A') this.addPlace(shelf.id, crate.id);
    const [category] = this.pools[tenant].get('categories') ?? [];
    const drill = await create('items', {
      name: text('drill'), sku: code('sku-drill'), barcode: tenant === 'A' ? randomBarcode() : code('bc-drill'), brand: text('brand'),
      min_stock_level: 2, ...(category ? { category_id: category } : {}),
    });
    const screws = await create('items', { name: text('screws'), sku: code('sku-screws'), barcode: randomBarcode() });
    const [label] = this.pools[tenant].get('labels') ?? [];
    if (label) await send('POST', `/items/${drill.id}/labels/${label}`, 204);
    const inBox = await create('inventory', { item_id: drill.id, location_id: shelf.id, container_id: crate.id, quantity: 10, notes: text('row notes'), currency_code: 'EUR', purchase_price: 1299 });
    await create('inventory', { item_id: drill.id, location_id: room.id, quantity: 3, condition: 'GOOD' });
    const loose = await create('inventory', { item_id: screws.id, location_id: room.id, quantity: 100 });
    const move = async (row: string, body: Record<string, unknown>) => own('inventory', await send('POST', `/inventory/${row}/move`, 200, body));
    await move(inBox.id, { location_id: room.id, quantity: 2, reason: text('first split') });
    await move(inBox.id, { location_id: room.id, quantity: 1, reason: text('second split') });
    await move(loose.id, { location_id: shelf.id, container_id: crate.id, reason: text('whole row') });
    const movements = await send('GET', '/movements?limit=100', 200);
    for (const movement of movements.items as { id: string; reason?: string }[]) {
      own('movements', movement);
      if (tenant === 'B' && movement.reason) this.bStrings.set(movement.reason.toLowerCase(), "B's seeded movement reason");
    }
  }

  private async resolveValue(value: unknown, context: ResolveContext): Promise<unknown> {
    if (typeof value === 'string') return this.resolve(value, context);
    if (Array.isArray(value)) return Promise.all(value.map((item) => this.resolveValue(item, context)));
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) copy[key] = await this.resolveValue(inner, context);
      return copy;
    }
    return value;
  }

  /** B's version of a body: each free-text field (no format, enum or pattern, room for the marker) says it is B's. */
  private marked(body: unknown, schema: Record<string, any>, tag: string, document: OpenApiDocument): unknown {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    const properties = (schema.properties ?? {}) as Record<string, Record<string, any>>;
    const copy = { ...(body as Record<string, unknown>) };
    for (const [name, value] of Object.entries(copy)) {
      const property = properties[name] ?? {};
      const branches = [property, ...((property.anyOf ?? property.oneOf ?? []) as Record<string, any>[])];
      const text = branches.find((branch) => branch.type === 'string');
      if (typeof value !== 'string' || !text || text.format || text.enum || text.pattern || property.format || property.pattern) continue;
      const marker = `zqxB-${this.marker.slice(5)}-${tag}-${name}`;
      const max = typeof text.maxLength === 'number' ? text.maxLength : 200;
      if (max >= this.marker.length + 1) copy[name] = marker.slice(0, max);
    }
    void document;
    return copy;
  }

  /**
   * Tenant A named a user of B (by id or email) in a write that succeeded, and the answer is about
   * that user (adding them as a member): A has legitimately learnt who that is, from now on.
   */
  learn(exchange: { caller: CallerKey; status: number; method: string; bodyStrings: string[]; text: string }) {
    if (exchange.caller === 'S' || exchange.method === 'GET' || exchange.status < 200 || exchange.status >= 300) return;
    for (const key of bPeople) {
      const b = this.people[key];
      const named = exchange.bodyStrings.some((text) => text.toLowerCase() === b.id || text.trim().toLowerCase() === b.email.toLowerCase());
      if (named && exchange.text.includes(b.id)) {
        for (const text of [b.id, b.email.toLowerCase(), b.fullName.toLowerCase()]) this.disclosed.add(text);
      }
    }
    // A wrote a string of B into its own data (a borrower whose email is B's): A authored that
    // string, so it may come back to A later in anything derived from it (activity, lists)
    if (!(aPeople as readonly string[]).includes(exchange.caller)) return;
    for (const [value] of [...this.bStrings, ...this.bIds]) {
      const lower = value.toLowerCase();
      if (exchange.bodyStrings.some((text) => text.toLowerCase().includes(lower))) this.disclosed.add(lower);
    }
  }

  /** Puts back what the fuzz relies on; answers what it had to do. */
  async heal(force = false): Promise<string[]> {
    if (!this.needsHeal && !force) return [];
    this.needsHeal = false;
    const done: string[] = [];
    const s = this.people.S;
    // 1. every world user active (a superuser may have deactivated any of them)
    for (const key of everyone) {
      const item = await getItem({ PK: `USER#${this.people[key].id}`, SK: 'USER' });
      if (item && item.is_active === false) {
        if ((await this.api('GET', '/users/me', { token: s.token })).status !== 200) s.token = (await this.login('S')).token;
        const answer = await this.api('POST', `/users/${this.people[key].id}/activate`, { token: s.token });
        if (answer.status !== 204) throw new Error(`world: cannot activate ${key}: ${answer.status} ${answer.text}`);
        upkeep.usersActivated += 1;
        done.push(`activated ${key}`);
      }
    }
    // 2. every principal signed in (deactivation, password reset and logout sign sessions out)
    for (const key of [...principalCallers, ...bPeople]) {
      const person = this.people[key];
      if ((await this.api('GET', '/users/me', { token: person.token })).status === 200) continue;
      const session = await this.login(key);
      person.token = session.token;
      person.refreshToken = session.refresh_token;
      upkeep.relogins += 1;
      done.push(`signed ${key} in again`);
      if ((aPeople as readonly string[]).includes(key)) for (const index of ids(2)) await this.replaceSpare(key, index);
    }
    // 3. A.main exists, A.owner owns it, A.viewer and A.member have their roles
    const owner = this.people['A.owner'];
    const main = this.workspaces['A.main'];
    const mine = await this.api('GET', `/workspaces/${main.id}`, { token: owner.token });
    if (mine.status !== 200 || mine.json?.role !== 'owner') {
      await this.createMain();
      // its entities went with the old one: new ones, for the routes still to come
      if (this.document) await this.seedEntities(this.document, ['A']);
      upkeep.workspacesRecreated += 1;
      done.push(`created A.main again (${mine.status} ${mine.json?.code ?? mine.json?.role ?? ''})`);
      await this.refreshNotifications('A.viewer');
      await this.refreshNotifications('A.member');
    } else {
      main.slug = mine.json.slug;
      const members = await this.api('GET', `/workspaces/${main.id}/members?limit=100`, { token: owner.token });
      for (const [key, role] of [['A.viewer', 'viewer'], ['A.member', 'member']] as const) {
        const person = this.people[key];
        const member = (members.json?.items ?? []).find((item: { user_id: string }) => item.user_id === person.id);
        if (!member) {
          const added = await this.api('POST', `/workspaces/${main.id}/members`, { token: owner.token, body: { user_id: person.id, role } });
          if (added.status !== 201) throw new Error(`world: cannot add ${key} to A.main again: ${added.status} ${added.text}`);
          this.memberIds.set(`A.main:${key}`, added.json.id);
          upkeep.membersReadded += 1;
          done.push(`added ${key} to A.main again`);
          await this.refreshNotifications(key);
        } else if (member.role !== role) {
          const changed = await this.api('PATCH', `/workspaces/${main.id}/members/${person.id}`, { token: owner.token, body: { role } });
          if (changed.status !== 200) throw new Error(`world: cannot give ${key} its role back: ${changed.status} ${changed.text}`);
          upkeep.rolesRestored += 1;
          done.push(`gave ${key} the ${role} role again`);
        }
      }
    }
    for (const key of ['A.side', 'A.other', 'A.personal'] as const) {
      const workspace = this.workspaces[key];
      const answer = await this.api('GET', `/workspaces/${workspace.id}`, { token: owner.token });
      if (answer.status === 200) workspace.slug = answer.json.slug;
    }
    // 4. reset tokens to spend (not more often than every ten seconds, should mail be slow)
    if (this.resetTokens.length === 0 && Date.now() - this.lastResetMail > 10_000) {
      this.lastResetMail = Date.now();
      await this.replenishResetTokens();
      done.push('mailed A.member new reset tokens');
    }
    return done;
  }

}

// ---- where generated values come from the world

/** Body fields that name an entity without saying `_id`, and the collection they name. */
const referenceNames: Record<string, string> = { parent_location: 'locations', purchased_from: 'companies' };

/**
 * Strings of a `^[class]{m,n}$` pattern with no maxLength (short codes): the generic generator
 * takes the length from minLength/maxLength only, so most of what it makes is too long.
 */
function boundedPattern(schema: Record<string, any>): fc.Arbitrary<string> | undefined {
  const match = typeof schema.pattern === 'string' ? /^\^\[([^\]\\]+)\]\{(\d+),(\d+)\}\$$/.exec(schema.pattern) : null;
  if (!match || typeof schema.maxLength === 'number') return undefined;
  const chars: string[] = [];
  const body = match[1]!;
  for (let index = 0; index < body.length; index += 1) {
    if (body[index + 1] === '-' && index + 2 < body.length) {
      for (let code = body.charCodeAt(index); code <= body.charCodeAt(index + 2); code += 1) chars.push(String.fromCharCode(code));
      index += 2;
    } else chars.push(body[index]!);
  }
  return fc.string({ unit: fc.constantFrom(...chars), minLength: Number(match[2]), maxLength: Number(match[3]) });
}

/** http(s) addresses as people paste them: a host, maybe a port, a path, a query, a fragment. */
const urlArbitrary = (maxLength: number) => fc.tuple(
  fc.constantFrom('https', 'http', 'HTTPS'),
  fc.constantFrom('example.com', 'images.example.org', 'shop.example.test', 'localhost', '192.0.2.7', 'xn--bcher-kva.example'),
  fc.constantFrom('', ':8080', ':443'),
  fc.array(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABC0123456789-_.~'), minLength: 1, maxLength: 12 }), { maxLength: 4 }),
  fc.constantFrom('', '?size=large', '?a=1&b=two', '#top'),
).map(([scheme, host, port, segments, tail]) => `${scheme}://${host}${port}/${segments.join('/')}${tail}`.slice(0, maxLength));

const refs = (...entries: [string, number][]) =>
  fc.oneof(...entries.map(([ref, weight]) => ({ arbitrary: fc.constant(ref.startsWith('⟦') || ref === '*' ? ref : `⟦${ref}⟧`), weight })));
const randomUuid = fc.uuid({ version: 7 });

/** Values of the world in front of the generic ones, by what a field is. */
export const worldHint: Hint = ({ route, location, name, schema, pointer }) => {
  const uuid = schema.format === 'uuid';
  if (location === 'path' && name === 'workspace_id') {
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: refs(['ws:A.main', 14], ['ws:A.personal', 1], ['ws:A.side', 1], ['ws:A.other', 1], ['ws:B.main', 1], ['ws:B.personal', 1]), weight: 12 },
        { arbitrary: randomUuid, weight: 1 },
      ),
    };
  }
  if (uuid && (name === 'user_id' || (name === 'id' && route.path.startsWith('/users/')))) {
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: refs(['user:A.viewer', 5], ['user:A.member', 4], ['user:caller', 2], ['user:A.owner', 1], ['user:S', 1], ['user:B.member', 1], ['user:B.owner', 1]), weight: 10 },
        { arbitrary: randomUuid, weight: 1 },
      ),
    };
  }
  if (uuid && name === 'id' && route.path.startsWith('/notifications/')) {
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: fc.nat(5).map((index) => `⟦notif:caller.${index}⟧`), weight: 8 },
        { arbitrary: fc.nat(3).map((index) => `⟦notif:B.${index}⟧`), weight: 1 },
        { arbitrary: randomUuid, weight: 1 },
      ),
    };
  }
  if (uuid && location === 'path') {
    // an entity of a collection: A's of that collection, B's of it, any of A's, random
    const collection = poolOfParam(route.path, name);
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: fc.nat(8).map((index) => `⟦pool:${collection}.${index}⟧`), weight: 8 },
        { arbitrary: fc.nat(3).map((index) => `⟦bpool:${collection}.${index}⟧`), weight: 1 },
        { arbitrary: fc.nat(30).map((index) => `⟦anyid:A.${index}⟧`), weight: 1 },
        { arbitrary: randomUuid, weight: 1 },
      ),
    };
  }
  if (uuid && location === 'body' && (/_id$/.test(name) || name in referenceNames)) {
    // a reference (parent_category_id, location_id, purchased_from): an entity of the collection it names
    const stem = referenceNames[name] ?? stemOf(name);
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: fc.nat(8).map((index) => `⟦pool:${stem}.${index}⟧`), weight: 10 },
        { arbitrary: fc.nat(3).map((index) => `⟦bpool:${stem}.${index}⟧`), weight: 1 },
        { arbitrary: randomUuid, weight: 1 },
      ),
    };
  }
  if (uuid) {
    // a uuid the world knows nothing specific about (new routes): ids of A, ids of B, random
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: fc.nat(30).map((index) => `⟦anyid:A.${index}⟧`), weight: 4 },
        { arbitrary: fc.nat(10).map((index) => `⟦anyid:B.${index}⟧`), weight: 1 },
        { arbitrary: randomUuid, weight: 2 },
      ),
    };
  }
  if (schema.type === 'string' && !schema.format && /YYYY-MM-DD/.test(String(schema.description ?? ''))) {
    // a calendar date (the document says so only in words): a date, or a date-time whose date part counts
    const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true });
    return { exclusive: true, arbitrary: fc.oneof({ arbitrary: day.map((date) => date.toISOString().slice(0, 10)), weight: 3 }, { arbitrary: day.map((date) => date.toISOString()), weight: 1 }) };
  }
  if (location === 'path' && name === 'barcode') {
    // a barcode of A's items, else a generated one; on the workspace route B's too (A asking for them must find nothing of B's)
    const tenants: [string, number][] = route.path.startsWith('/workspaces/') ? [['A', 5], ['B', 2]] : [['A', 1]];
    return { arbitrary: fc.oneof(...tenants.map(([side, weight]) => ({ arbitrary: fc.nat(5).map((index) => `⟦barcode:${side}.${index}⟧`), weight }))), weight: 3 };
  }
  if (location === 'path' && name === 'short_code') {
    // a short code of A's (items, locations, containers), of B's, or one nobody has (that the pattern allows)
    return {
      exclusive: true,
      arbitrary: fc.oneof(
        { arbitrary: fc.nat(8).map((index) => `⟦shortcode:A.${index}⟧`), weight: 5 },
        { arbitrary: fc.nat(5).map((index) => `⟦shortcode:B.${index}⟧`), weight: 1 },
        { arbitrary: boundedPattern(schema) ?? fc.constant('NOSUCH22'), weight: 1 },
      ),
    };
  }
  if (schema.type === 'string' && schema.format === 'uri') {
    // a web address the server accepts (http or https), which the generic generator does not make
    return { exclusive: true, arbitrary: urlArbitrary(typeof schema.maxLength === 'number' ? schema.maxLength : 2048) };
  }
  const bounded = schema.type === 'string' ? boundedPattern(schema) : undefined;
  if (bounded) return { exclusive: true, arbitrary: bounded };
  if (name === 'slug' && location === 'path') return { arbitrary: refs(['slug:A.main', 5], ['slug:A.personal', 1], ['slug:A.side', 1], ['slug:B.main', 1]), weight: 4 };
  if (name === 'slug' && location === 'body') return { arbitrary: refs(['slug:A.main', 1], ['slug:B.main', 1]), weight: 0.2 };
  if (schema.format === 'email') {
    const offer = refs(['email:A.member', 3], ['email:A.viewer', 2], ['email:A.owner', 1], ['email:B.member', 1], ['email:B.owner', 1], ['email:S', 1]);
    return route.id === 'register' || route.path.includes('register') ? { arbitrary: offer, weight: 0.3 } : { arbitrary: offer, weight: 3 };
  }
  if (name === 'current_password') return { arbitrary: refs(['password:caller', 1]), weight: 4 };
  if (name === 'refresh_token') {
    return { arbitrary: fc.oneof(...aPeople.flatMap((key) => ids(2).map((index) => fc.constant(`⟦refresh:${key}.spare.${index}⟧`))), fc.constant('⟦refresh:spent⟧')), weight: 4 };
  }
  if (name === 'token' && (schema.writeOnly === true || schema.format === 'password')) return { arbitrary: fc.nat(3).map((index) => `⟦reset:A.member.${index}⟧`), weight: 2 };
  if (location === 'header' && name.toLowerCase() === 'if-match') {
    return { exclusive: true, arbitrary: refs(['etag:current', 5], ['*', 1], ['version:current', 2], ['W/⟦etag:current⟧', 1], ['etag:stale', 1]) };
  }
  if (location === 'header' && name.toLowerCase() === 'if-none-match') {
    return { exclusive: true, arbitrary: refs(['etag:current', 3], ['*', 1], ['⟦etag:stale⟧', 1]) };
  }
  // a real cursor of the list asked for (crafted and malformed ones are mutations)
  if (location === 'query' && name === 'cursor') return { exclusive: true, arbitrary: fc.constant('⟦cursor:real⟧') };
  if (location === 'query' && name === 'include_archived' && Array.isArray(schema.enum)) {
    return { exclusive: true, arbitrary: fc.constantFrom(...(schema.enum as string[])).map((value) => `⟦select:include_archived=${value}⟧`) };
  }
  if (location === 'query' && name === 'limit') return { exclusive: true, arbitrary: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 2, 50, 100)) };
  void pointer;
  return undefined;
};

/** Who sends a valid request of a route: its role (owner for every workspace route), sometimes a weaker one. */
export function callersFor(route: RouteContract): fc.Arbitrary<CallerKey> {
  const weighted = (...entries: [CallerKey, number][]) => fc.oneof(...entries.map(([caller, weight]) => ({ arbitrary: fc.constant(caller), weight })));
  switch (route.access) {
    case 'public':
      return weighted(['none', 9], ['A.owner', 1]);
    case 'superuser':
      return weighted(['S', 8], ['A.owner', 1]);
    case 'user':
      return weighted(['A.owner', 6], ['A.viewer', 2], ['A.member', 1]);
    default:
      return weighted(['A.owner', 7], ['A.viewer', 2], ['A.member', 2]);
  }
}

/**
 * Fields that travel together: sign-in credentials of one person, a password typed twice, a
 * location and a container that is at it, a move of a few (not more than a row holds).
 */
export function correlate(route: RouteContract): fc.Arbitrary<(body: unknown) => unknown> {
  const moves = route.method === 'POST' && route.path.endsWith('/move');
  return fc.record({
    credentials: fc.option(fc.constantFrom<PersonKey>('A.owner', 'A.viewer', 'A.member', 'B.member'), { freq: 3 }),
    sameTwice: fc.boolean(),
    place: fc.option(fc.nat(5), { freq: 3 }),
    few: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
  }).map(({ credentials, sameTwice, place, few }) => (body: unknown) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    const copy = { ...(body as Record<string, unknown>) };
    if (credentials && 'email' in copy && 'password' in copy) {
      copy.email = `⟦email:${credentials}⟧`;
      // B's password is never offered: a sign-in as B only fails (and B is never signed out)
      copy.password = credentials === 'B.member' ? copy.password : `⟦password:${credentials}⟧`;
    }
    if (sameTwice && 'new_password' in copy && 'confirm_password' in copy) copy.confirm_password = copy.new_password;
    if (place !== null && typeof copy.location_id === 'string') {
      copy.location_id = `⟦place:${place}.location⟧`;
      if (typeof copy.container_id === 'string') copy.container_id = `⟦place:${place}.container⟧`;
    }
    if (few !== null && moves && typeof copy.quantity === 'number') copy.quantity = few;
    return copy;
  });
}
