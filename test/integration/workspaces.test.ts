// Workspaces: create, find by slug, change (conditionally), ETags, delete and purge.
import { describe, expect, it } from 'vitest';
import {
  addMember, call, createWorkspace, expectProblem, expectStatus, signUp, uniqueSlug, type WorkspaceShape,
} from './support/api.js';
import { partition } from './support/table.js';
import { runJob } from './support/run-job.js';

/** Runs `npm run job purge-workspaces` against this run's runtime. */
const runPurgeJob = () => runJob(['purge-workspaces']);

async function listMine(token: string): Promise<WorkspaceShape[]> {
  return expectStatus(await call<{ items: WorkspaceShape[] }>('GET', '/workspaces', { token, query: { limit: 100 } }), 200).json.items;
}

describe('POST /workspaces', () => {
  it('creates a workspace (201) with the creator as owner', async () => {
    const owner = await signUp();
    const slug = uniqueSlug('home');
    const response = await call<WorkspaceShape>('POST', '/workspaces', { token: owner.token, body: { name: 'Home', slug, description: 'Our flat' } });
    expectStatus(response, 201);
    expect(response.json).toMatchObject({ name: 'Home', slug, description: 'Our flat', is_personal: false, role: 'owner', version: 1 });
    const mine = await listMine(owner.token);
    expect(mine.find((workspace) => workspace.id === response.json.id)).toMatchObject({ role: 'owner', slug });
    const members = expectStatus(await call('GET', `/workspaces/${response.json.id}/members`, { token: owner.token }), 200);
    expect(members.json.items).toEqual([expect.objectContaining({ user_id: owner.id, role: 'owner' })]);
  });

  it('refuses a slug in use with 409 SLUG_TAKEN', async () => {
    const first = await signUp();
    const second = await signUp();
    const workspace = await createWorkspace(first.token);
    expectProblem(await call('POST', '/workspaces', { token: second.token, body: { name: 'Mine too', slug: workspace.slug } }), 409, 'SLUG_TAKEN');
    expect((await listMine(second.token)).map((item) => item.slug)).not.toContain(workspace.slug);
  });

  it('refuses a malformed slug with 422 at body.slug', async () => {
    const owner = await signUp();
    const problem = expectProblem(await call('POST', '/workspaces', { token: owner.token, body: { name: 'Bad', slug: 'Bad Slug' } }), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.location)).toEqual(['body.slug']);
  });
});

describe('GET /workspaces/by-slug/{slug}', () => {
  it('answers members (with their role), refuses non-members (403) and does not know unknown slugs (404)', async () => {
    const owner = await signUp();
    const viewer = await signUp();
    const stranger = await signUp();
    const workspace = await createWorkspace(owner.token);
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');

    const asOwner = expectStatus(await call<WorkspaceShape>('GET', `/workspaces/by-slug/${workspace.slug}`, { token: owner.token }), 200);
    expect(asOwner.json).toMatchObject({ id: workspace.id, role: 'owner' });
    const asViewer = expectStatus(await call<WorkspaceShape>('GET', `/workspaces/by-slug/${workspace.slug}`, { token: viewer.token }), 200);
    expect(asViewer.json).toMatchObject({ id: workspace.id, role: 'viewer' });
    expectProblem(await call('GET', `/workspaces/by-slug/${workspace.slug}`, { token: stranger.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('GET', `/workspaces/by-slug/${uniqueSlug('nowhere')}`, { token: owner.token }), 404, 'NOT_FOUND');
  });
});

describe('PATCH /workspaces/{workspace_id}', () => {
  it('lets an admin rename it and clear the description with null', async () => {
    const owner = await signUp();
    const admin = await signUp();
    const workspace = await createWorkspace(owner.token, { description: 'to be cleared' });
    await addMember(owner.token, workspace.id, admin.id, 'admin');

    const response = await call<WorkspaceShape>('PATCH', `/workspaces/${workspace.id}`, { token: admin.token, body: { name: 'Renamed', description: null } });
    expectStatus(response, 200);
    expect(response.json).toMatchObject({ id: workspace.id, name: 'Renamed', slug: workspace.slug, role: 'admin', version: workspace.version + 1 });
    expect(response.json).not.toHaveProperty('description');
    const read = expectStatus(await call<WorkspaceShape>('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200);
    expect(read.json).toMatchObject({ name: 'Renamed', role: 'owner', version: workspace.version + 1 });
    expect(read.json).not.toHaveProperty('description');
  });

  it('is conditional with If-Match: a stale version is 412 VERSION_CONFLICT, the current one goes through', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token, { name: 'Before' });
    expectStatus(await call('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { name: 'Moved on' } }), 200); // now version 2

    expectProblem(await call('PATCH', `/workspaces/${workspace.id}`, {
      token: owner.token, body: { name: 'Stale' }, headers: { 'if-match': String(workspace.version) },
    }), 412, 'VERSION_CONFLICT');
    const unchanged = expectStatus(await call<WorkspaceShape>('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200);
    expect(unchanged.json).toMatchObject({ name: 'Moved on', version: 2 });

    const current = await call<WorkspaceShape>('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { name: 'Fresh' }, headers: { 'if-match': '2' } });
    expectStatus(current, 200);
    expect(current.json).toMatchObject({ name: 'Fresh', version: 3 });
    // the ETag of a GET works as If-Match too
    const etag = expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200).headers.get('etag')!;
    const byTag = await call<WorkspaceShape>('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { name: 'Tagged' }, headers: { 'if-match': etag } });
    expectStatus(byTag, 200);
    expect(byTag.json.version).toBe(4);
    expectProblem(await call('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { name: 'Stale tag' }, headers: { 'if-match': etag } }), 412, 'VERSION_CONFLICT');
  });

  it('changing the slug frees the old one for another workspace', async () => {
    const owner = await signUp();
    const other = await signUp();
    const workspace = await createWorkspace(owner.token);
    const newSlug = uniqueSlug('moved');
    const moved = expectStatus(await call<WorkspaceShape>('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { slug: newSlug } }), 200);
    expect(moved.json.slug).toBe(newSlug);

    const taker = await createWorkspace(other.token, { slug: workspace.slug });
    expect(taker.slug).toBe(workspace.slug);
    expect(expectStatus(await call<WorkspaceShape>('GET', `/workspaces/by-slug/${newSlug}`, { token: owner.token }), 200).json.id).toBe(workspace.id);
    expect(expectStatus(await call<WorkspaceShape>('GET', `/workspaces/by-slug/${workspace.slug}`, { token: other.token }), 200).json.id).toBe(taker.id);
    expectProblem(await call('GET', `/workspaces/by-slug/${workspace.slug}`, { token: owner.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    // and the new slug is taken now
    expectProblem(await call('PATCH', `/workspaces/${taker.id}`, { token: other.token, body: { slug: newSlug } }), 409, 'SLUG_TAKEN');
  });
});

describe('concurrent slug changes', () => {
  it('two slug changes at once never fail with a 500, and only the final slug stays taken', async () => {
    const owner = await signUp();
    for (let round = 0; round < 8; round += 1) {
      const workspace = await createWorkspace(owner.token);
      const slugs = [uniqueSlug('one'), uniqueSlug('two')];
      const answers = await Promise.all(slugs.map((slug) => call<WorkspaceShape>('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { slug } })));
      const detail = answers.map((answer) => `${answer.status} ${answer.text}`).join('\n');
      expect(answers.every((answer) => answer.status < 500), detail).toBe(true);
      expect(answers.some((answer) => answer.status === 200), detail).toBe(true);
      const final = expectStatus(await call<WorkspaceShape>('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200).json.slug;
      expect(slugs).toContain(final);
      for (const slug of [workspace.slug, ...slugs]) {
        const found = await call<WorkspaceShape>('GET', `/workspaces/by-slug/${slug}`, { token: owner.token });
        expect(found.status, `by-slug ${slug} (final ${final})`).toBe(slug === final ? 200 : 404);
      }
    }
  });
});

describe('GET /workspaces/{workspace_id}', () => {
  it('answers an ETag, and 304 to If-None-Match with it until the workspace changes', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    const first = expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();

    const cached = await call('GET', `/workspaces/${workspace.id}`, { token: owner.token, headers: { 'if-none-match': etag! } });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.get('etag')).toBe(etag);

    expectStatus(await call('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { name: 'Changed' } }), 200);
    const changed = expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: owner.token, headers: { 'if-none-match': etag! } }), 200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('does not answer 304 when only the caller\'s role changed (the role is part of the answer)', async () => {
    const owner = await signUp();
    const member = await signUp();
    const workspace = await createWorkspace(owner.token);
    await addMember(owner.token, workspace.id, member.id, 'viewer');
    for (const path of [`/workspaces/${workspace.id}`, `/workspaces/by-slug/${workspace.slug}`]) {
      const before = expectStatus(await call<WorkspaceShape>('GET', path, { token: member.token }), 200);
      expect(before.json.role).toBe('viewer');
      const etag = before.headers.get('etag')!;
      expect(etag).toBeTruthy();
      // the owner's answer differs (role owner), so its ETag must differ too
      const asOwner = expectStatus(await call('GET', path, { token: owner.token }), 200);
      expect(asOwner.headers.get('etag')).not.toBe(etag);
      expect((await call('GET', path, { token: member.token, headers: { 'if-none-match': etag } })).status).toBe(304);
    }
    const etags = await Promise.all([`/workspaces/${workspace.id}`, `/workspaces/by-slug/${workspace.slug}`].map(async (path) =>
      [path, (await call('GET', path, { token: member.token })).headers.get('etag')!] as const));

    expectStatus(await call('PATCH', `/workspaces/${workspace.id}/members/${member.id}`, { token: owner.token, body: { role: 'admin' } }), 200);
    for (const [path, etag] of etags) {
      const after = await call<WorkspaceShape>('GET', path, { token: member.token, headers: { 'if-none-match': etag } });
      expect(after.status, `${path} answered ${after.status} to the ETag of the viewer's answer`).toBe(200);
      expect(after.json.role).toBe('admin');
    }
  });
});

describe('DELETE /workspaces/{workspace_id}', () => {
  it('refuses to delete a personal workspace (409 PERSONAL_WORKSPACE)', async () => {
    const owner = await signUp();
    const [personal] = await listMine(owner.token);
    expect(personal?.is_personal).toBe(true);
    expectProblem(await call('DELETE', `/workspaces/${personal!.id}`, { token: owner.token }), 409, 'PERSONAL_WORKSPACE');
    expect(await listMine(owner.token)).toHaveLength(1);
  });

  it('needs the owner: an admin gets 403 ROLE_TOO_LOW', async () => {
    const owner = await signUp();
    const admin = await signUp();
    const workspace = await createWorkspace(owner.token);
    await addMember(owner.token, workspace.id, admin.id, 'admin');
    expectProblem(await call('DELETE', `/workspaces/${workspace.id}`, { token: admin.token }), 403, 'ROLE_TOO_LOW');
    expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: admin.token }), 200);
  });

  it('a DELETE racing a slug change is never a 204 that deleted nothing', async () => {
    const owner = await signUp();
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round += 1) {
      const workspace = await createWorkspace(owner.token);
      const newSlug = uniqueSlug('racing');
      const [patch, removal] = await Promise.all([
        call('PATCH', `/workspaces/${workspace.id}`, { token: owner.token, body: { slug: newSlug } }),
        call('DELETE', `/workspaces/${workspace.id}`, { token: owner.token }),
      ]);
      const after = await call('GET', `/workspaces/${workspace.id}`, { token: owner.token });
      outcomes.push(`PATCH ${patch.status} ${patch.json?.code ?? ''}, DELETE ${removal.status}, then GET ${after.status}`);
      expect(removal.status, outcomes.join('\n')).toBe(204);
      expect(after.status, `DELETE answered 204 but the workspace is still there:\n${outcomes.join('\n')}`).toBe(403);
      // whichever slug it ended with is free again
      for (const slug of [workspace.slug, newSlug]) {
        expect((await call('GET', `/workspaces/by-slug/${slug}`, { token: owner.token })).status).toBe(404);
      }
    }
  });

  it('hides the workspace at once, frees its slug, and the purge job then removes everything in it', async () => {
    const owner = await signUp();
    const member = await signUp();
    const workspace = await createWorkspace(owner.token, { description: 'going away' });
    await addMember(owner.token, workspace.id, member.id, 'member');
    expect((await partition(`WS#${workspace.id}`)).length).toBeGreaterThanOrEqual(3); // workspace, two members

    expectStatus(await call('DELETE', `/workspaces/${workspace.id}`, { token: owner.token }), 204);

    for (const user of [owner, member]) {
      expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: user.token }), 403, 'WORKSPACE_ACCESS_DENIED');
      expectProblem(await call('GET', `/workspaces/${workspace.id}/members`, { token: user.token }), 403, 'WORKSPACE_ACCESS_DENIED');
      expect((await listMine(user.token)).map((item) => item.id)).not.toContain(workspace.id);
    }
    expectProblem(await call('DELETE', `/workspaces/${workspace.id}`, { token: owner.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('GET', `/workspaces/by-slug/${workspace.slug}`, { token: owner.token }), 404, 'NOT_FOUND');
    const successor = await createWorkspace(member.token, { slug: workspace.slug });
    expect(successor.id).not.toBe(workspace.id);

    // The job works through the purge index oldest first, up to 20 workspaces a run; other
    // deletions of this run may be ahead of ours, so run it until ours is gone (a few runs at most).
    let remaining = await partition(`WS#${workspace.id}`);
    for (let run = 1; run <= 5 && remaining.length > 0; run += 1) {
      const job = await runPurgeJob();
      expect(job.code, `npm run job purge-workspaces failed:\n${job.output}`).toBe(0);
      expect(job.output).toMatch(/"purged": \d+/);
      remaining = await partition(`WS#${workspace.id}`);
    }
    expect(remaining).toEqual([]);
    expect(await partition(`WS#${workspace.id}#UNIQUE`)).toEqual([]);
    // the successor that took the slug is untouched
    expectStatus(await call('GET', `/workspaces/${successor.id}`, { token: member.token }), 200);
    expect(expectStatus(await call<WorkspaceShape>('GET', `/workspaces/by-slug/${workspace.slug}`, { token: member.token }), 200).json.id).toBe(successor.id);
  });
});
