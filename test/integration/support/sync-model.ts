// A randomized model of offline clients (issue 11): in one workspace, a few clients edit while
// offline (creates with their own UUIDv7 ids, updates naming the version they saw, deletes),
// replay their outboxes as sync batches (sometimes twice, sometimes with the same
// Idempotency-Key), and pull deltas, in an order a seeded generator picks. The server is the
// oracle: at the end every client, after pulling, must hold exactly what a full snapshot holds,
// and nothing any client was told succeeded may be lost or made twice.
//
// A seed fixes every choice, and the clients act one at a time, so a failing seed replays the
// same story (`npm run test:sync-soak -- --seeds N --from S`).
import { newId } from '../../../shared/domain/ids.js';
import { call, createWorkspace, type ApiResponse, type SignedInUser } from './api.js';
import { eventually } from './eventually.js';
import { syncAll, type Entity } from './sync.js';

/** mulberry32: small, fast and good enough to pick actions. */
export function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

type Kind = 'label' | 'location' | 'item';
const kinds: readonly Kind[] = ['label', 'location', 'item'];
const answerKey: Record<Kind, 'labels' | 'locations' | 'items'> = { label: 'labels', location: 'locations', item: 'items' };

interface Known {
  kind: Kind;
  version: number;
  name: string;
  is_archived: boolean;
}

interface Operation {
  operation: 'create' | 'update' | 'delete';
  entity_type: Kind;
  entity_id: string;
  data?: Record<string, unknown>;
  version?: number;
}

interface BatchResult {
  index: number;
  status: 'success' | 'error' | 'conflict';
  entity_id?: string;
  error_code?: string;
  server_data?: (Entity & { name: string }) | null;
}

/** What a run found wrong; empty when it converged with nothing lost or doubled. */
export interface ModelOutcome {
  seed: number;
  problems: string[];
  actions: number;
}

/** Codes an operation may meet without anything being wrong: another client deleted what it edits. */
const expectedRefusals = new Set(['ENTITY_DELETED', 'NOT_FOUND']);

class Client {
  readonly store = new Map<string, Known>();
  outbox: Operation[] = [];
  syncedAt: string | undefined;
  constructor(readonly name: string, readonly token: string, readonly workspaceId: string) {}

  apply(id: string, kind: Kind, entity: (Entity & { name?: unknown }) | null | undefined) {
    if (!entity) {
      this.store.delete(id);
      return;
    }
    const known = this.store.get(id);
    if (known && known.version > entity.version) return;
    this.store.set(id, { kind, version: entity.version, name: String(entity.name), is_archived: entity.is_archived === true });
  }

  async pull() {
    const snapshot = this.syncedAt === undefined;
    const result = await syncAll(this.token, this.workspaceId, { since: this.syncedAt, types: 'label,location,item' });
    // a snapshot is the whole workspace: what it does not hold is gone (but for what is not sent yet)
    if (snapshot) for (const [id, known] of this.store) if (known.version > 0 && !result.state.has(id)) this.store.delete(id);
    for (const [id, entity] of result.state) {
      const kind = (Object.entries(answerKey).find(([, key]) => key === entity.type)?.[0] ?? 'label') as Kind;
      this.apply(id, kind, entity);
    }
    for (const id of result.deleted) this.store.delete(id);
    this.syncedAt = result.syncedAt;
  }
}

/** Runs one seed against the shared runtime; never throws for a model violation (it reports it). */
export async function runModel(seed: number, users: readonly [SignedInUser, SignedInUser], options: { actions?: number } = {}): Promise<ModelOutcome> {
  const random = generator(seed);
  const problems: string[] = [];
  /** what happened, for the report of a failing seed */
  const trace: string[] = [];
  const [owner, member] = users;
  const workspace = await createWorkspace(owner.token);
  const base = `/workspaces/${workspace.id}`;
  const added = await call('POST', `${base}/members`, { token: owner.token, body: { email: member.email, role: 'member' } });
  if (added.status !== 201) throw new Error(`seed ${seed}: adding a member answered ${added.status}`);
  // the owner's phone and laptop, and a member's phone
  const clients = [new Client('A', owner.token, workspace.id), new Client('B', owner.token, workspace.id), new Client('C', member.token, workspace.id)];

  // what clients were told: ids created (by whom), versions written, ids deleted
  const created = new Set<string>();
  const written = new Map<string, number>();
  let counter = 0;
  const fresh = (client: Client) => `${client.name}${seed}-${(counter += 1)}`;

  const push = async (client: Client) => {
    if (client.outbox.length === 0) return;
    const operations = client.outbox;
    client.outbox = [];
    const key = random.next() < 0.3 ? crypto.randomUUID() : undefined;
    const send = () => call<{ results: BatchResult[] }>('POST', `${base}/sync/batch`, {
      token: client.token, body: { operations }, ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
    const first = await send();
    trace.push(`${client.name} push ${JSON.stringify(operations.map((op) => [op.operation, op.entity_type, op.entity_id.slice(-6), op.version]))} → ${JSON.stringify(first.json?.results?.map((result) => [result.status, result.error_code, result.server_data === null ? null : result.server_data?.version]))}`);
    let answer: ApiResponse<{ results: BatchResult[] }> = first;
    if (first.status !== 200) {
      problems.push(`${client.name}: batch answered ${first.status} ${first.text.slice(0, 200)}`);
      return;
    }
    if (random.next() < 0.35) {
      // the phone lost the answer and sends the same batch again
      const again = await send();
      if (again.status !== 200) problems.push(`${client.name}: replayed batch answered ${again.status}`);
      else {
        if (key && JSON.stringify(again.json) !== JSON.stringify(first.json)) problems.push(`${client.name}: a batch replayed with its Idempotency-Key answered differently`);
        for (const [index, result] of again.json.results.entries()) {
          const before = first.json.results[index]!;
          // a replay changes nothing: creates and deletes succeed again; an update finds its own write (a conflict
          // with it) or its entity deleted since (by a later operation of the batch, or anyone)
          const deletedSince = operations[index]!.operation === 'update' && expectedRefusals.has(result.error_code ?? '');
          if (before.status === 'success' && result.status === 'error' && !deletedSince) problems.push(`${client.name}: replay of ${operations[index]!.operation} ${operations[index]!.entity_id} failed: ${result.error_code}`);
        }
        answer = again;
        trace.push(`${client.name} replayed → ${JSON.stringify(again.json.results.map((result) => [result.status, result.error_code, result.server_data === null ? null : result.server_data?.version]))}`);
      }
    }
    for (const [index, result] of answer.json.results.entries()) {
      const operation = operations[index]!;
      const firstResult = first.json.results[index]!;
      if (firstResult.status === 'success' && operation.operation === 'create') created.add(operation.entity_id);
      if (firstResult.status === 'success' && operation.operation === 'update' && firstResult.server_data) {
        written.set(operation.entity_id, Math.max(written.get(operation.entity_id) ?? 0, firstResult.server_data.version));
      }
      if (result.status === 'error' && !expectedRefusals.has(result.error_code ?? '')) {
        problems.push(`${client.name}: ${operation.operation} ${operation.entity_type} ${operation.entity_id} refused: ${result.error_code}`);
      }
      if (result.status === 'error') client.store.delete(operation.entity_id);
      else if (operation.operation === 'delete' && operation.entity_type !== 'item' && result.status === 'success') client.store.delete(operation.entity_id);
      else client.apply(operation.entity_id, operation.entity_type, result.server_data);
    }
  };

  const act = async (client: Client) => {
    const roll = random.next();
    const mine = [...client.store.entries()];
    if (roll < 0.35 || mine.length === 0) {
      const kind = random.pick(kinds);
      const id = newId();
      const name = fresh(client);
      client.outbox.push({ operation: 'create', entity_type: kind, entity_id: id, data: { name } });
      client.store.set(id, { kind, version: 0, name, is_archived: false });
    } else if (roll < 0.6) {
      const [id, known] = random.pick(mine);
      const name = fresh(client);
      client.outbox.push({ operation: 'update', entity_type: known.kind, entity_id: id, data: { name }, ...(known.version > 0 ? { version: known.version } : {}) });
      known.name = name;
    } else if (roll < 0.7) {
      const [id, known] = random.pick(mine);
      client.outbox.push({ operation: 'delete', entity_type: known.kind, entity_id: id, ...(known.version > 0 ? { version: known.version } : {}) });
    } else if (roll < 0.85) {
      await push(client);
    } else {
      await client.pull();
      trace.push(`${client.name} pulled: ${JSON.stringify([...client.store].map(([id, known]) => [id.slice(-6), known.version]))}`);
    }
  };

  const actions = options.actions ?? 14;
  for (let step = 0; step < actions; step += 1) await act(random.pick(clients));
  for (const client of clients) await push(client);

  // the oracle: what the server holds now
  const truth = await syncAll(owner.token, workspace.id, { types: 'label,location,item' });
  for (const id of truth.state.keys()) if (!created.has(id)) problems.push(`the server holds ${id}, which no client was told it created (a duplicate?)`);
  const tombstones = new Set<string>();
  for (const client of clients) for (const [id, known] of client.store) if (known.version === 0) client.store.delete(id); // never pushed
  const deleted = await call<{ items: { entity_id: string }[] }>('GET', `${base}/sync/deleted`, { token: owner.token, query: { limit: 100 } });
  for (const tombstone of deleted.json.items ?? []) tombstones.add(tombstone.entity_id);
  for (const id of created) if (!truth.state.has(id) && !tombstones.has(id)) problems.push(`${id} was created (the client was told so) and is gone without a tombstone`);
  for (const [id, version] of written) {
    const now = truth.state.get(id);
    if (now && now.version < version) problems.push(`${id}: a write of version ${version} was acknowledged; the server holds ${now.version}`);
  }

  // every client converges on it by pulling deltas
  const expected = JSON.stringify([...truth.state].map(([id, entity]) => [id, entity.version, entity.name, entity.is_archived === true]).sort());
  for (const client of clients) {
    try {
      await eventually(`client ${client.name} converges`, async () => {
        await client.pull();
        return JSON.stringify([...client.store].map(([id, known]) => [id, known.version, known.name, known.is_archived]).sort());
      // 40 s: how far the change feed may trail on a busy 2-core CI machine while the other test
      // files write too (what is checked is that nothing is lost or doubled, not the lag)
      }, (held) => held === expected, 40_000);
    } catch (error) {
      problems.push(`client ${client.name} did not converge: ${(error as Error).message.slice(0, 600)}\nexpected ${expected.slice(0, 600)}`);
    }
  }
  if (problems.length > 0) problems.push(`trace:\n    ${trace.join('\n    ')}`);
  return { seed, problems, actions };
}
