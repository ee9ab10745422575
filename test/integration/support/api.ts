// A small typed HTTP client for the local runtime that global-setup.ts started, and helpers that
// make a fresh user (random email) or workspace (random slug) for each test, so tests never
// share state even though they share one table and run file by file in parallel.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import { conformanceProblems } from './conformance.js';

let apiOverride: string | undefined;
/** The API the helpers call: the shared test runtime's, or (a test file that starts a runtime of its own) the one given to useApi. */
export const apiUrl = (): string => (apiOverride ?? inject('apiUrl')).replace(/\/+$/, '');
/** Points every helper of this file at another runtime's API (undefined: back to the shared one). Test files run in workers of their own, so this stays within one file. */
export function useApi(url: string | undefined): void {
  apiOverride = url;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** the parsed body when it was JSON (application/json or application/problem+json) */
  json: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  /** sent as JSON */
  body?: unknown;
  /** sent as is (malformed JSON, empty bodies) */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** `manual`: answer a redirect as it came (default: follow it, as fetch does) */
  redirect?: 'follow' | 'manual';
}

/** The URL, headers and body text of a call: JSON accepted, the token as a bearer, a JSON body unless a raw one is given. */
export function requestOf(baseUrl: string, path: string, options: CallOptions): { url: URL; headers: Record<string, string>; body?: string } {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return { url, headers, ...(body !== undefined ? { body } : {}) };
}

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const { url, headers, body } = requestOf(apiUrl(), path, options);
  const response = await fetch(url, { method, headers, body, redirect: options.redirect ?? 'follow' });
  const text = await response.text();
  let json: any;
  if (/json/i.test(response.headers.get('content-type') ?? '') && text) json = JSON.parse(text);
  // Every answer must be one the OpenAPI document describes (support/conformance.ts).
  const problems = await conformanceProblems({ method, url, status: response.status, headers: response.headers, text });
  expect(problems, 'answers not described by the OpenAPI document').toEqual([]);
  return { status: response.status, headers: response.headers, json, text };
}

/** Asserts a problem+json answer with this status and code; answers its body. */
export function expectProblem(response: ApiResponse, status: number, code: string) {
  const context = `expected ${status} ${code}, got ${response.status}: ${response.text}`;
  expect(response.status, context).toBe(status);
  expect(response.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
  expect(response.json?.code, context).toBe(code);
  expect(response.json?.status, context).toBe(status);
  return response.json as { status: number; code: string; title: string; detail: string; errors?: { location: string; message: string }[] };
}

/** Asserts a status, showing the body when it is not the one expected. */
export function expectStatus<T>(response: ApiResponse<T>, status: number): ApiResponse<T> {
  expect(response.status, `expected ${status}, got ${response.status}: ${response.text}`).toBe(status);
  return response;
}

const tag = () => randomBytes(6).toString('hex');

/** A fresh, unique email (lower case unless asked otherwise). */
export const uniqueEmail = (prefix = 'user') => `${prefix}-${tag()}@example.test`;

/** A fresh, unique workspace slug. */
export const uniqueSlug = (prefix = 'ws') => `${prefix}-${tag()}`;

export interface UserShape {
  id: string;
  email: string;
  full_name: string;
  date_format: string;
  language: string;
  theme: string;
  is_superuser: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  is_active?: boolean;
}

export interface Session {
  token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserShape;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  fullName: string;
  user: UserShape;
}

export interface SignedInUser extends TestUser {
  token: string;
  refreshToken: string;
  session: Session;
}

/** Registers a new user with a random email; fails the test unless the API answers 201. */
export async function register(options: { email?: string; password?: string; fullName?: string } = {}): Promise<TestUser> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? `pw-${randomUUID()}`;
  const fullName = options.fullName ?? `Test ${tag()}`;
  const response = expectStatus(await call<UserShape>('POST', '/auth/register', { body: { email, password, full_name: fullName } }), 201);
  return { id: response.json.id, email: response.json.email, password, fullName, user: response.json };
}

export async function login(email: string, password: string): Promise<ApiResponse<Session>> {
  return call<Session>('POST', '/auth/login', { body: { email, password } });
}

/** Signs a user in and answers the session; fails the test unless the API answers 200. */
export async function signIn(user: Pick<TestUser, 'email' | 'password'>): Promise<Session> {
  return expectStatus(await login(user.email, user.password), 200).json;
}

/** A new user, signed in. */
export async function signUp(options: Parameters<typeof register>[0] = {}): Promise<SignedInUser> {
  const user = await register(options);
  const session = await signIn(user);
  return { ...user, token: session.token, refreshToken: session.refresh_token, session };
}

export async function refresh(refreshToken: string): Promise<ApiResponse<Session>> {
  return call<Session>('POST', '/auth/refresh', { body: { refresh_token: refreshToken } });
}

export interface WorkspaceShape {
  id: string;
  name: string;
  slug: string;
  description?: string;
  is_personal: boolean;
  role: 'viewer' | 'member' | 'admin' | 'owner';
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MemberShape {
  id: string;
  workspace_id: string;
  user_id: string;
  role: 'viewer' | 'member' | 'admin' | 'owner';
  email: string;
  full_name: string;
  invited_by?: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Creates a workspace owned by `token`'s user; fails the test unless the API answers 201. */
export async function createWorkspace(token: string, options: { name?: string; slug?: string; description?: string } = {}): Promise<WorkspaceShape> {
  const slug = options.slug ?? uniqueSlug();
  const body = { name: options.name ?? `Workspace ${slug}`, slug, ...(options.description === undefined ? {} : { description: options.description }) };
  return expectStatus(await call<WorkspaceShape>('POST', '/workspaces', { token, body }), 201).json;
}

/** A fresh owner and a workspace of theirs: where most tests start. */
export interface OwnedWorkspace {
  owner: SignedInUser;
  workspace: WorkspaceShape;
}

export async function ownedWorkspace(): Promise<OwnedWorkspace> {
  const owner = await signUp();
  return { owner, workspace: await createWorkspace(owner.token) };
}

/** Adds a user to a workspace; fails the test unless the API answers 201. */
export async function addMember(token: string, workspaceId: string, userId: string, role: MemberShape['role']): Promise<MemberShape> {
  return expectStatus(await call<MemberShape>('POST', `/workspaces/${workspaceId}/members`, { token, body: { user_id: userId, role } }), 201).json;
}

/** Every item of a cursor-paged list, following next_cursor; also answers how many pages it took. */
export async function allPages<T>(path: string, token: string, limit: number, maxPages = 1000): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const response = expectStatus(await call<{ items: T[]; next_cursor?: string }>('GET', path, { token, query: { limit, cursor } }), 200);
    expect(response.json.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.json.items);
    cursor = response.json.next_cursor;
    pages += 1;
  } while (cursor && pages < maxPages);
  return { items, pages };
}

/** The payload of a JWT, unverified. */
export function jwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

// ---- the SES emulator's inbox

export interface SentMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export async function sentMail(): Promise<SentMail[]> {
  const response = await fetch(`${inject('sesEndpoint').replace(/\/+$/, '')}/store`);
  expect(response.status).toBe(200);
  const store = (await response.json()) as { emails: SentMail[] };
  return store.emails;
}

/** Mail sent to `address`, oldest first. */
export async function mailTo(address: string): Promise<SentMail[]> {
  const lower = address.toLowerCase();
  return (await sentMail()).filter((mail) => mail.destination.to.some((to) => to.toLowerCase() === lower));
}

/** Waits (briefly) until `address` has received at least `count` mails. */
export async function waitForMail(address: string, count = 1, timeoutMs = 5_000): Promise<SentMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailTo(address);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends a presigned POST form as a browser does: its fields, then the file last (field `file`); fails the test unless storage accepts it. */
export async function postUploadForm(upload: { url: string; fields: Record<string, string> }, bytes: Buffer, contentType: string): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), 'file');
  const answer = await fetch(upload.url, { method: 'POST', body: form });
  expect(answer.status, await answer.text()).toBeLessThan(300);
}
