// Borrower links (issue 9): a signed link a reminder mail carries to a public page that shows one
// loan to its borrower, who can say "I have returned it" (the lender gets RETURN_CLAIMED; the loan
// stays open until the lender confirms with the normal return) or "I need more time" with a date
// (the lender gets EXTENSION_REQUESTED; they accept through the normal extend route).
//
// The token is its own proof: HMAC-SHA256 over a version byte, the workspace, loan and borrower ids
// (16 bytes each) and the expiry (epoch seconds), keyed with a key derived from the access-token
// secret for this use alone (HMAC(secret, label)), so no access token and no other signature of
// the product is ever a valid link and the reverse. 85 bytes, base64url: 114 characters.
//
// Expiry: a dated loan's link works through the 30th day after its due date (UTC) and expires at
// the midnight that ends it; an undated loan's link works for 90 days from when it was made (an
// undated loan gets no reminders: such a link is made on purpose, and a new one can be made).
//
// A link shows only its own loan: the ids come from the signed bytes, never from the request, and
// the loan read must name the same borrower. A tampered link, an expired one, or one for a loan
// that was returned (the link has served) answers a plain page saying so (4xx), never another loan.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../../config.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { batchGet, cancellationReasons, putIfAbsent, tableName, transactWrite } from '../../db/table.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import { signingKey } from '../auth/signing-key.js';
import { notificationWrites } from '../notifications/repository.js';
import type { NotificationRecord } from '../notifications/model.js';
import { countUnlessAt, fixedWindow } from '../../db/throttle.js';

const day = 24 * 60 * 60 * 1000;

export const borrowerLinkRules = {
  /** a dated loan's link works through this many days after the due date */
  daysAfterDue: 30,
  /** an undated loan's link works this many days from when it was made */
  undatedDays: 90,
  /** form posts per client address in one fixed window */
  maxPostsPerClient: 20,
  windowSeconds: 15 * 60,
  /** how far ahead a borrower may ask to keep it */
  maxExtensionDays: 365,
} as const;

/** What a link says, signed. */
export interface BorrowerLinkClaims {
  workspaceId: string;
  loanId: string;
  borrowerId: string;
  expiresAt: Date;
}

// ---- errors (the page routes answer them as pages)

export const BorrowerLinkInvalid = () =>
  new DomainError('BORROWER_LINK_INVALID', 'This link is not valid: it may be mistyped or incomplete. Open it again from the mail you received.');
export const BorrowerLinkExpired = () =>
  new DomainError('BORROWER_LINK_EXPIRED', 'This link has expired. If you still have the item, contact the person who lent it to you.');
export const LoanClosed = () =>
  new DomainError('LOAN_ALREADY_RETURNED', 'This loan is closed: it was marked as returned, so there is nothing more to do here. Thank you!');
export const TooManyPosts = (retryAfter: number) =>
  new DomainError('TOO_MANY_ATTEMPTS', 'Too many requests from this address; wait a few minutes and try again.', { retryAfter });

// ---- the token

const version = 1;
const signedLength = 1 + 16 * 3 + 4;
const tokenLength = signedLength + 32;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const tokenPattern = /^[A-Za-z0-9_-]{114}$/;
const maxExpirySeconds = 0xffff_ffff;

/** The key of borrower links: derived from the access-token secret for this one use. */
const linkKey = (secret: Uint8Array | string) => createHmac('sha256', secret).update('home-warehouse/borrower-link/v1').digest();

const idBytes = (id: string) => {
  if (!uuidPattern.test(id)) throw new Error(`borrower link: ${JSON.stringify(id)} is not a lower-case UUID`);
  return Buffer.from(id.replace(/-/g, ''), 'hex');
};
const idOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Signs a link with the raw secret (the access tokens' secret). Exported for tests, which sign links with past expiries. */
export function signBorrowerLink(claims: BorrowerLinkClaims, secret: Uint8Array | string): string {
  const signed = Buffer.alloc(signedLength);
  signed[0] = version;
  idBytes(claims.workspaceId).copy(signed, 1);
  idBytes(claims.loanId).copy(signed, 17);
  idBytes(claims.borrowerId).copy(signed, 33);
  // seconds in 32 bits reach 2106-02-07: a loan due later (the API takes due dates to 9999) gets a link valid until then
  signed.writeUInt32BE(Math.min(Math.floor(claims.expiresAt.getTime() / 1000), maxExpirySeconds), 49);
  const mac = createHmac('sha256', linkKey(secret)).update(signed).digest();
  return Buffer.concat([signed, mac]).toString('base64url');
}

/** The claims of a link this API signed, or BORROWER_LINK_INVALID / BORROWER_LINK_EXPIRED. The signature is checked before the expiry. */
export function verifyBorrowerLink(token: string, secret: Uint8Array | string, now = new Date()): BorrowerLinkClaims {
  if (!tokenPattern.test(token)) throw BorrowerLinkInvalid();
  const bytes = Buffer.from(token, 'base64url');
  // only the canonical encoding (no other spelling of the same bytes) and this version
  if (bytes.length !== tokenLength || bytes.toString('base64url') !== token || bytes[0] !== version) throw BorrowerLinkInvalid();
  const expected = createHmac('sha256', linkKey(secret)).update(bytes.subarray(0, signedLength)).digest();
  if (!timingSafeEqual(expected, bytes.subarray(signedLength))) throw BorrowerLinkInvalid();
  const expiresAt = new Date(bytes.readUInt32BE(49) * 1000);
  if (now.getTime() >= expiresAt.getTime()) throw BorrowerLinkExpired();
  return { workspaceId: idOf(bytes.subarray(1, 17)), loanId: idOf(bytes.subarray(17, 33)), borrowerId: idOf(bytes.subarray(33, 49)), expiresAt };
}

/** When a link made now for this loan expires (see the rule at the top). */
export function borrowerLinkExpiry(loan: { due_date?: string | null | undefined }, now = new Date()): Date {
  if (loan.due_date) return new Date(Date.parse(`${loan.due_date.slice(0, 10)}T00:00:00.000Z`) + (borrowerLinkRules.daysAfterDue + 1) * day);
  return new Date(now.getTime() + borrowerLinkRules.undatedDays * day);
}

export interface LinkableLoan {
  id: string;
  workspace_id: string;
  borrower_id: string;
  due_date?: string | null | undefined;
}

/** The link to put in a mail: `{PUBLIC_URL or APP_URL}/b/{token}` (the API serves the page). */
export async function borrowerLinkFor(loan: LinkableLoan, options: { now?: Date } = {}): Promise<string> {
  const token = signBorrowerLink({
    workspaceId: loan.workspace_id, loanId: loan.id, borrowerId: loan.borrower_id, expiresAt: borrowerLinkExpiry(loan, options.now),
  }, await signingKey());
  return `${(config.publicUrl ?? config.appUrl).replace(/\/+$/, '')}/b/${token}`;
}

// ---- what the page shows

/** Only what the borrower may see of this loan. */
export interface BorrowerLoanView {
  itemName: string;
  quantity: number;
  dueDate?: string;
  lenderFirstName: string;
  workspaceName: string;
  /** when the borrower said they returned it, if they did */
  returnClaimedAt?: string;
}

interface LoadedLink {
  claims: BorrowerLinkClaims;
  loan: Record<string, unknown>;
  borrowerName: string;
  view: BorrowerLoanView;
}

const firstName = (fullName: unknown) => (typeof fullName === 'string' ? fullName.trim().split(/\s+/)[0] : '') || 'The lender';

/**
 * Checks the link and reads its loan: the loan, its workspace and the return claim in one
 * BatchGetItem, then the item, the borrower and the lender in another (their ids are the loan's).
 */
async function load(token: string, now: Date): Promise<LoadedLink> {
  const claims = verifyBorrowerLink(token, await signingKey(), now);
  const loanKey = keys.entity(claims.workspaceId, 'LOAN', claims.loanId);
  const claimKey = keys.borrowerClaim(claims.workspaceId, claims.loanId, 'RETURN');
  const first = await batchGet<Record<string, unknown>>([loanKey, keys.workspace(claims.workspaceId), claimKey]);
  const find = (list: Record<string, unknown>[], key: { PK: string; SK: string }) => list.find((item) => item.PK === key.PK && item.SK === key.SK);
  const loan = find(first, loanKey);
  const workspace = find(first, keys.workspace(claims.workspaceId));
  if (!loan || loan.borrower_id !== claims.borrowerId || workspace?.status !== 'active') throw BorrowerLinkInvalid();
  if (loan.is_archived === true) throw LoanClosed();
  const itemKey = keys.entity(claims.workspaceId, 'ITEM', String(loan.item_id));
  const borrowerKey = keys.entity(claims.workspaceId, 'BORROWER', claims.borrowerId);
  const lenderKey = keys.user(String(loan.created_by));
  const second = await batchGet<Record<string, unknown>>([itemKey, borrowerKey, lenderKey]);
  const returnClaim = find(first, claimKey);
  return {
    claims, loan,
    borrowerName: String(find(second, borrowerKey)?.name ?? 'The borrower'),
    view: {
      itemName: String(find(second, itemKey)?.name ?? 'an item'),
      quantity: Number(loan.quantity ?? 1),
      ...(typeof loan.due_date === 'string' ? { dueDate: loan.due_date } : {}),
      lenderFirstName: firstName(find(second, lenderKey)?.full_name),
      workspaceName: String(workspace.name ?? ''),
      ...(typeof returnClaim?.claimed_at === 'string' ? { returnClaimedAt: returnClaim.claimed_at } : {}),
    },
  };
}

/** GET /b/{token}: the loan as its borrower may see it. */
export async function openBorrowerLink(token: string, now = new Date()): Promise<BorrowerLoanView> {
  return (await load(token, now)).view;
}

// ---- the borrower's answers

/** Counts one form post from `client` unless the window already holds the maximum (atomic: a conditional ADD). */
async function countPost(client: string, now: Date): Promise<void> {
  const window = fixedWindow(now, borrowerLinkRules.windowSeconds);
  if (!(await countUnlessAt(keys.borrowerLinkPostsOfClient(client, window.index), borrowerLinkRules.maxPostsPerClient, 'BORROWER_LINK_THROTTLE', window))) {
    throw TooManyPosts(Math.ceil((window.endsAt - now.getTime()) / 1000));
  }
}

export interface ClaimOutcome {
  view: BorrowerLoanView;
  /** false when the same claim was made before: nothing was written and nobody was told again */
  notified: boolean;
  /** when the claim was first made */
  claimedAt: string;
}

type ClaimKind = 'RETURN' | 'EXTENSION';

/**
 * Records a claim and the lender's notification in one transaction: the claim's conditional put
 * makes a repeat change nothing, and a check of the loan (still open, still this borrower's) makes
 * a claim on a loan returned meanwhile write nothing.
 */
async function claim(loaded: LoadedLink, kind: ClaimKind, now: Date, proposed?: string): Promise<ClaimOutcome> {
  const { claims, loan, view } = loaded;
  const claimedAt = now.toISOString();
  const claimKey = keys.borrowerClaim(claims.workspaceId, claims.loanId, kind, proposed);
  const what = `${view.quantity} × ${view.itemName}`;
  const notification: NotificationRecord = kind === 'RETURN'
    ? {
      id: newId(), user_id: String(loan.created_by), workspace_id: claims.workspaceId, notification_type: 'RETURN_CLAIMED',
      title: `Returned, says ${loaded.borrowerName}: ${view.itemName}`,
      message: `${loaded.borrowerName} says they have returned ${what}. The loan stays open until you mark it returned.`,
      is_read: false, created_at: claimedAt,
      metadata: { loan_id: claims.loanId, inventory_id: loan.inventory_id, item_id: loan.item_id, borrower_id: claims.borrowerId },
    }
    : {
      id: newId(), user_id: String(loan.created_by), workspace_id: claims.workspaceId, notification_type: 'EXTENSION_REQUESTED',
      title: `More time asked for: ${view.itemName}`,
      message: `${loaded.borrowerName} asks to keep ${what} until ${proposed}${view.dueDate ? ` (due ${view.dueDate})` : ''}. Extend the loan to accept.`,
      is_read: false, created_at: claimedAt,
      metadata: {
        loan_id: claims.loanId, inventory_id: loan.inventory_id, item_id: loan.item_id, borrower_id: claims.borrowerId,
        proposed_due_date: proposed, ...(view.dueDate ? { due_date: view.dueDate } : {}),
      },
    };
  try {
    await transactWrite([
      {
        ConditionCheck: {
          TableName: tableName, Key: keys.entity(claims.workspaceId, 'LOAN', claims.loanId),
          ConditionExpression: 'borrower_id = :borrower AND (attribute_not_exists(is_archived) OR is_archived = :false)',
          ExpressionAttributeValues: { ':borrower': claims.borrowerId, ':false': false },
        },
      },
      putIfAbsent({
        ...claimKey, entity: 'BORROWER_CLAIM', workspace_id: claims.workspaceId, loan_id: claims.loanId, borrower_id: claims.borrowerId,
        kind, ...(proposed ? { proposed_due_date: proposed } : {}), claimed_at: claimedAt, notification_id: notification.id,
        ttl: ttlAt(claims.expiresAt),
      }),
      ...notificationWrites(notification),
    ]);
    return { view: kind === 'RETURN' ? { ...view, returnClaimedAt: claimedAt } : view, notified: true, claimedAt };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') throw LoanClosed(); // returned between the read and the write
    if (reasons?.[1] === 'ConditionalCheckFailed') {
      const earlier = (await batchGet<{ claimed_at?: string }>([claimKey]))[0]?.claimed_at ?? claimedAt;
      return { view: kind === 'RETURN' ? { ...view, returnClaimedAt: earlier } : view, notified: false, claimedAt: earlier };
    }
    throw error;
  }
}

/** POST /b/{token}/returned: the borrower says they gave it back; the lender is told once. */
export async function claimReturn(token: string, client: string, now = new Date()): Promise<ClaimOutcome> {
  verifyBorrowerLink(token, await signingKey(), now); // a forged link costs no write
  await countPost(client, now);
  return claim(await load(token, now), 'RETURN', now);
}

export type ExtensionOutcome = (ClaimOutcome & { proposed: string }) | { view: BorrowerLoanView; refused: string };

/** Today and the last day a borrower may ask for, as `YYYY-MM-DD` (UTC): the date field's bounds. */
export function extensionBounds(view: Pick<BorrowerLoanView, 'dueDate'>, now = new Date()): { min: string; max: string } {
  const tomorrow = new Date(now.getTime() + day).toISOString().slice(0, 10);
  const afterDue = view.dueDate ? new Date(Date.parse(`${view.dueDate}T00:00:00.000Z`) + day).toISOString().slice(0, 10) : tomorrow;
  return { min: afterDue > tomorrow ? afterDue : tomorrow, max: new Date(now.getTime() + borrowerLinkRules.maxExtensionDays * day).toISOString().slice(0, 10) };
}

function isCalendarDay(text: string): boolean {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00.000Z`) : Number.NaN;
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}

/**
 * POST /b/{token}/extension: the borrower asks to keep it until `proposed` (a day after both today
 * and the due date, within a year); the lender is told once per date asked for. A date outside
 * that answers the page again with the reason (`refused`), and nobody is told.
 */
export async function requestExtension(token: string, client: string, proposed: string, now = new Date()): Promise<ExtensionOutcome> {
  verifyBorrowerLink(token, await signingKey(), now);
  await countPost(client, now);
  const loaded = await load(token, now);
  const { min, max } = extensionBounds(loaded.view, now);
  const date = proposed.trim();
  if (!isCalendarDay(date)) return { view: loaded.view, refused: 'Choose a date (year-month-day).' };
  if (date < min) return { view: loaded.view, refused: `Choose ${min} or later: a day after ${loaded.view.dueDate && loaded.view.dueDate >= now.toISOString().slice(0, 10) ? 'the due date' : 'today'}.` };
  if (date > max) return { view: loaded.view, refused: `Choose a day within a year (until ${max} at the latest).` };
  return { ...(await claim(loaded, 'EXTENSION', now, date)), proposed: date };
}
