// Every key the product writes, built in one place so shared/db/README.md and the code agree.
// Partition keys group what is read together; sort keys order it.

// Imported as a namespace (`import * as keys`), so a bundle holds only the keys its route builds.
export const user = (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' });
/** guard item: one per lower-cased email, written in the same transaction as its user */
export const emailGuard = (email: string) => ({ PK: `UNIQUE#EMAIL#${email.toLowerCase()}`, SK: 'UNIQUE' });
/** all users, oldest first by creation (superuser listing reads it backwards) */
export const usersIndex = (createdAt: string, userId: string) => ({ GSI1PK: 'USERS', GSI1SK: `${createdAt}#${userId}` });
export const session = (userId: string, familyId: string) => ({ PK: `USER#${userId}`, SK: `SESSION#${familyId}` });
/**
 * Sign-in attempts in one fixed window, per email and client address, and per email from every
 * client together (the higher ceiling); counted before the password is checked.
 */
export const loginAttemptsOfClient = (email: string, client: string, window: number) => ({ PK: `THROTTLE#LOGIN#${email.toLowerCase()}`, SK: `CLIENT#${client}#${window}` });
export const loginAttemptsOfEmail = (email: string, window: number) => ({ PK: `THROTTLE#LOGIN#${email.toLowerCase()}`, SK: `ALL#${window}` });
export const passwordReset = (tokenHash: string) => ({ PK: `RESET#${tokenHash}`, SK: 'RESET' });
/** a mail waiting to be sent by the change feed's mail projector (see shared/domain/mail/outbox.ts) */
export const mailOutbox = (mailId: string) => ({ PK: `OUTBOX#${mailId}`, SK: 'MAIL' });
/**
 * An address SES reported undeliverable (a permanent bounce or a complaint, shared/domain/mail/feedback.ts):
 * nothing more is mailed to it. Lower-cased, as the mail projector and the reminder job look it up.
 */
export const undeliverableAddress = (email: string) => ({ PK: `MAIL#${email.toLowerCase()}`, SK: 'UNDELIVERABLE' });
/** that one lender of one workspace was told about it (at most once) */
export const undeliverableToldLender = (email: string, workspaceId: string, userId: string) => ({ PK: `MAIL#${email.toLowerCase()}`, SK: `TOLD#${workspaceId}#${userId}` });

export const workspace = (workspaceId: string) => ({ PK: `WS#${workspaceId}`, SK: 'WS' });
export const slugGuard = (slug: string) => ({ PK: `UNIQUE#SLUG#${slug}`, SK: 'UNIQUE' });
/** workspaces waiting for the purge job, oldest deletion first */
export const purgeIndex = (deletedAt: string, workspaceId: string) => ({ GSI3PK: 'PURGE#WS', GSI3SK: `${deletedAt}#${workspaceId}` });
export const member = (workspaceId: string, userId: string) => ({ PK: `WS#${workspaceId}`, SK: `MEMBER#${userId}` });
/** a user's memberships (my workspaces) */
export const memberOfIndex = (userId: string, workspaceId: string) => ({ GSI1PK: `USER#${userId}`, GSI1SK: `MEMBER#${workspaceId}` });

export const notification = (userId: string, notificationId: string) => ({ PK: `USER#${userId}`, SK: `NOTIF#${notificationId}` });
/** sparse: present only while the notification is unread */
export const unreadIndex = (userId: string, notificationId: string) => ({ GSI2PK: `USER#${userId}#UNREAD`, GSI2SK: `NOTIF#${notificationId}` });
export const notificationCounter = (userId: string) => ({ PK: `USER#${userId}`, SK: 'NOTIF#COUNT' });

// ---- a workspace's content (catalog entities, later items, inventory, loans)

/** every entity of a workspace lives in its partition, sorted by type then id (UUIDv7: creation order) */
export const entity = (workspaceId: string, type: string, id: string) => ({ PK: `WS#${workspaceId}`, SK: `${type}#${id}` });
/** an entity's place in one of the indexes that list it (see the partitions and sort keys below) */
export const entityIndex = (index: string, partition: string, sortKey: string) => ({ [`${index}PK`]: partition, [`${index}SK`]: sortKey });
/** an entity type's whole collection (GSI1) */
export const collectionPartition = (workspaceId: string, type: string) => `WS#${workspaceId}#${type}`;
/** the entities of a type linked to one target (a category's children, a container's… by its location); `ROOT` for tree roots */
export const linkPartition = (workspaceId: string, type: string, targetId: string | undefined) => `WS#${workspaceId}#${type}#IN#${targetId ?? 'ROOT'}`;
/** the entities of a type with one value of a looked-up field (items by barcode) */
export const lookupPartition = (workspaceId: string, type: string, field: string, value: string) => `WS#${workspaceId}#${type}#${field.toUpperCase()}#${value}`;
/** a unique value in a workspace (a label's name, a short code), written with its entity */
export const uniqueGuard = (workspaceId: string, kind: string, value: string) => ({ PK: `WS#${workspaceId}#UNIQUE`, SK: `${kind}#${value}` });
/** who deleted what and when; written by the delete itself, oldest first, kept 90 days */
export const tombstone = (workspaceId: string, deletedAt: string, type: string, id: string) => ({ PK: `WS#${workspaceId}#TOMBSTONES`, SK: `${deletedAt}#${type}#${id}` });
/** a user's favorite, in the workspace's favorites partition (purged with it) */
/** A search posting: this word finds this entity; `rank` puts a word's best postings first (shared/domain/search/postings.ts). */
export const searchPosting = (workspaceId: string, word: string, rank: string, type: string, id: string) => ({ PK: `WS#${workspaceId}#TERMS`, SK: `${word}#${rank}#${type}#${id}` });
/** A typo entry: `variant` (a word, or one of 5+ letters with one letter left out) leads to `word`. */
export const searchTypo = (workspaceId: string, variant: string, word: string) => ({ PK: `WS#${workspaceId}#TYPOS`, SK: `${variant}#${word}` });

/** Powertools idempotency records of a workspace's requests (shared/http/idempotency.ts): its partition key. */
/** A background job (printing, later exports and backups): `WS#{ws}#JOBS` / `{id}`, kept 7 days. */
export const job = (workspaceId: string, id: string) => ({ PK: `WS#${workspaceId}#JOBS`, SK: id });
export const idempotencyPartition = (workspaceId: string) => `WS#${workspaceId}#IDEMPOTENCY`;

/**
 * That an entity of this id was deleted for good: a create carrying the client's own id checks it
 * is absent, so replaying the create of something deleted since does not bring it back.
 */
export const deletedId = (workspaceId: string, type: string, id: string) => uniqueGuard(workspaceId, `DELETED#${type}`, id);

export const favorite = (workspaceId: string, userId: string, type: string, targetId: string) => ({ PK: `WS#${workspaceId}#FAVORITES`, SK: `USER#${userId}#${type}#${targetId}` });
/** the favorites pointing at one target (removed with it) */
export const favoriteTargetIndex = (workspaceId: string, type: string, targetId: string, userId: string) => ({ GSI1PK: `WS#${workspaceId}#FAVORITES#${type}#${targetId}`, GSI1SK: `USER#${userId}` });

// ---- movements of inventory (shared/domain/movements): written by the move itself

/** a movement, in its workspace's movements partition, oldest first (UUIDv7 sort keys) */
export const movement = (workspaceId: string, id: string) => ({ PK: `WS#${workspaceId}#MOVES`, SK: id });
/** a movement's second index posting (the row split off, the location moved to), when it has one */
export const movementPosting = (workspaceId: string, id: string) => ({ PK: `WS#${workspaceId}#MOVES#POSTINGS`, SK: id });
/** the movements of one inventory row (GSI2) */
export const movementsOfInventoryIndex = (workspaceId: string, inventoryId: string, id: string) => ({ GSI2PK: `WS#${workspaceId}#MOVES#INV#${inventoryId}`, GSI2SK: id });
/** the movements out of or into one location (GSI3) */
export const movementsOfLocationIndex = (workspaceId: string, locationId: string, id: string) => ({ GSI3PK: `WS#${workspaceId}#MOVES#LOC#${locationId}`, GSI3SK: id });

// ---- loans (shared/domain/loans): sparse indexes, present only while a loan is open

/** a workspace's open loans by due date, undated ones last (GSI1): `/loans/active`, `/loans/overdue` */
export const openLoanIndex = (workspaceId: string, dueDate: string | undefined, loanId: string) =>
  ({ GSI1PK: `WS#${workspaceId}#LOANS#OPEN`, GSI1SK: `${dueDate ?? '~'}#${loanId}` });
/** every workspace's open loans due on one day (GSI4): what the reminder job reads, one Query per day it looks at */
export const loansDueIndex = (dueDate: string, workspaceId: string, loanId: string) => ({ GSI4PK: `LOANS#DUE#${dueDate}`, GSI4SK: `${workspaceId}#${loanId}` });
/**
 * One reminder of a loan (the reminder job): `DUE_SOON` once per due date, `OVERDUE` once per due
 * date and reminder day. Written by a conditional put before anything is sent, so a rerun, a
 * retry or a concurrent run finds it and sends nothing; it is also the mail's outbox entry (its
 * status records the send). In the workspace's reminders partition, so a purge removes them.
 */
export const loanReminder = (workspaceId: string, loanId: string, kind: string, dueDate: string, day?: string) =>
  ({ PK: `WS#${workspaceId}#REMINDERS`, SK: `${loanId}#${kind}#${dueDate}${day === undefined ? '' : `#${day}`}` });

// ---- attachments (shared/domain/attachments): their files in S3, and the uploads not yet arrived

/** The object key of an attachment's file: only ids and the sanitised file name (see model.ts) */
export const attachmentObject = (workspaceId: string, itemId: string, attachmentId: string, safeName: string) =>
  `workspaces/${workspaceId}/items/${itemId}/${attachmentId}/${safeName}`;
/**
 * Uploads asked for and not yet verified, by the day they were asked for (GSI3, sparse: present
 * only while PENDING): the cleanup job reads the days before yesterday's cut-off, one Query each.
 */
export const pendingUploadIndex = (createdAt: string, workspaceId: string, attachmentId: string) =>
  ({ GSI3PK: `ATTACHMENTS#PENDING#${createdAt.slice(0, 10)}`, GSI3SK: `${createdAt}#${workspaceId}#${attachmentId}` });

// ---- projections of the change feed (functions/streams/projectors/)

/** the change log (SYNC.md): ordered by the time the log learned of a change */
export const changeLogEntry = (workspaceId: string, loggedAt: string, eventId: string) => ({ PK: `WS#${workspaceId}#CHANGES`, SK: `${loggedAt}#${eventId}` });
/** one per stream record projected into the change log, so a replayed record adds nothing */
export const changeLogEvent = (workspaceId: string, eventId: string) => ({ PK: `WS#${workspaceId}#CHANGES#EVENTS`, SK: eventId });
/** the activity log, newest last; keyed by the stream record, so a replay writes the same key */
export const activity = (workspaceId: string, occurredAt: string, eventId: string) => ({ PK: `WS#${workspaceId}#ACTIVITY`, SK: `${occurredAt}#${eventId}` });
export const activityByUserIndex = (workspaceId: string, userId: string, sortKey: string) => ({ GSI1PK: `WS#${workspaceId}#ACTIVITY#USER#${userId}`, GSI1SK: sortKey });
export const activityByEntityIndex = (workspaceId: string, type: string, entityId: string, sortKey: string) => ({ GSI2PK: `WS#${workspaceId}#ACTIVITY#${type}#${entityId}`, GSI2SK: sortKey });

/** a workspace's analytics aggregates (shared/domain/analytics/model.ts): `TOTALS`, `CAT#…`, `LOC#…`, `BOR#…`, `MONTH#…` */
export const analyticsPartition = (workspaceId: string) => `WS#${workspaceId}#STATS`;
export const analytics = (workspaceId: string, aggregate: string) => ({ PK: analyticsPartition(workspaceId), SK: aggregate });
/** one per stream record the analytics projector applied, so a replayed record adds nothing (kept a few days) */
export const analyticsApplied = (workspaceId: string, eventId: string) => ({ PK: `WS#${workspaceId}#STATS#APPLIED`, SK: eventId });
/**
 * Every workspace that has analytics, for the weekly recount (GSI3, on the `WORKSPACE` item of its
 * aggregates partition, written when the workspace is created): a Query walks them, no Scan.
 */
export const analyticsWorkspaceIndex = (workspaceId: string) => ({ GSI3PK: 'ANALYTICS#WS', GSI3SK: workspaceId });
/** where the scheduled recount stopped (a cursor of that index), so its next run carries on */
export const analyticsRecountPlace = () => ({ PK: 'ANALYTICS#RECOUNT', SK: 'PLACE' });

// ---- barcode lookup (shared/domain/barcode): what the providers said, and lookups per client

/** what the providers said about one barcode, found or not, until its `expires_at` (and `ttl`) */
export const barcodeCache = (barcode: string) => ({ PK: `BARCODE#${barcode}`, SK: 'CACHE' });
/** lookups from one client address in one fixed window, counted before anything else is done */
export const barcodeLookupsOfClient = (client: string, window: number) => ({ PK: `THROTTLE#BARCODE#${client}`, SK: `WINDOW#${window}` });

// ---- borrower links (shared/domain/loans/borrower-links.ts): what a borrower said through their link

/**
 * A borrower's claim about a loan (`RETURN`, or `EXTENSION` with the date asked for), written by a
 * conditional put with the lender's notification in one transaction: the same claim twice notifies
 * nobody twice. In the workspace's own partition, so a purge removes it; `ttl` = the link's expiry.
 */
export const borrowerClaim = (workspaceId: string, loanId: string, kind: string, date?: string) =>
  ({ PK: `WS#${workspaceId}`, SK: `BORROWER_CLAIM#${loanId}#${kind}${date === undefined ? '' : `#${date}`}` });
/** form posts through borrower links from one client address in one fixed window, counted before anything else is done */
export const borrowerLinkPostsOfClient = (client: string, window: number) => ({ PK: `THROTTLE#BORROWER_LINK#${client}`, SK: `WINDOW#${window}` });


/**
 * By name: active ones first (`0#`), then archived (`1#`), each by folded name; the active ones are
 * `begins_with 0#`. The name ends with U+0001, lower than any character a name may hold (text types
 * refuse controls), so "Shelf" sorts before "Shelf 2".
 */
export const nameSortKey = (archived: boolean, sortName: string, id: string) => `${archived ? 1 : 0}#${sortName}\u0001${id}`;

/** Newest first (read backwards): active ones under `1#` come before archived ones under `0#`; ids are UUIDv7. */
export const newestSortKey = (archived: boolean, id: string) => `${archived ? 0 : 1}#\u0001${id}`;

/** The id at the end of an index sort key. */
export const idOfSortKey = (sortKey: string | undefined) => sortKey?.slice(sortKey.lastIndexOf('\u0001') + 1);

/** Key attributes never leave the repository layer. */
export const keyAttributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK', 'ttl', 'entity'] as const;

export function withoutKeys<T extends Record<string, unknown>>(item: T): Omit<T, (typeof keyAttributes)[number]> {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as Omit<T, (typeof keyAttributes)[number]>;
}

/** Epoch seconds for the `ttl` attribute. DynamoDB Local never expires, so readers check times too. */
export const ttlAt = (date: Date) => Math.floor(date.getTime() / 1000);
