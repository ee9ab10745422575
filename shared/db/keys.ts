// Every key the product writes, built in one place so shared/db/README.md and the code agree.
// Partition keys group what is read together; sort keys order it.

export const keys = {
  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' }),
  /** guard item: one per lower-cased email, written in the same transaction as its user */
  emailGuard: (email: string) => ({ PK: `UNIQUE#EMAIL#${email.toLowerCase()}`, SK: 'UNIQUE' }),
  /** all users, oldest first by creation (superuser listing reads it backwards) */
  usersIndex: (createdAt: string, userId: string) => ({ GSI1PK: 'USERS', GSI1SK: `${createdAt}#${userId}` }),
  session: (userId: string, familyId: string) => ({ PK: `USER#${userId}`, SK: `SESSION#${familyId}` }),
  /**
   * Sign-in attempts in one fixed window, per email and client address, and per email from every
   * client together (the higher ceiling); counted before the password is checked.
   */
  loginAttemptsOfClient: (email: string, client: string, window: number) => ({ PK: `THROTTLE#LOGIN#${email.toLowerCase()}`, SK: `CLIENT#${client}#${window}` }),
  loginAttemptsOfEmail: (email: string, window: number) => ({ PK: `THROTTLE#LOGIN#${email.toLowerCase()}`, SK: `ALL#${window}` }),
  passwordReset: (tokenHash: string) => ({ PK: `RESET#${tokenHash}`, SK: 'RESET' }),
  /** a mail waiting to be sent by the change feed's mail projector (see shared/domain/mail/outbox.ts) */
  mailOutbox: (mailId: string) => ({ PK: `OUTBOX#${mailId}`, SK: 'MAIL' }),

  workspace: (workspaceId: string) => ({ PK: `WS#${workspaceId}`, SK: 'WS' }),
  slugGuard: (slug: string) => ({ PK: `UNIQUE#SLUG#${slug}`, SK: 'UNIQUE' }),
  /** workspaces waiting for the purge job, oldest deletion first */
  purgeIndex: (deletedAt: string, workspaceId: string) => ({ GSI3PK: 'PURGE#WS', GSI3SK: `${deletedAt}#${workspaceId}` }),
  member: (workspaceId: string, userId: string) => ({ PK: `WS#${workspaceId}`, SK: `MEMBER#${userId}` }),
  /** a user's memberships (my workspaces) */
  memberOfIndex: (userId: string, workspaceId: string) => ({ GSI1PK: `USER#${userId}`, GSI1SK: `MEMBER#${workspaceId}` }),

  notification: (userId: string, notificationId: string) => ({ PK: `USER#${userId}`, SK: `NOTIF#${notificationId}` }),
  /** sparse: present only while the notification is unread */
  unreadIndex: (userId: string, notificationId: string) => ({ GSI2PK: `USER#${userId}#UNREAD`, GSI2SK: `NOTIF#${notificationId}` }),
  notificationCounter: (userId: string) => ({ PK: `USER#${userId}`, SK: 'NOTIF#COUNT' }),
} as const;

/** Key attributes never leave the repository layer. */
export const keyAttributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'ttl', 'entity'] as const;

export function withoutKeys<T extends Record<string, unknown>>(item: T): Omit<T, (typeof keyAttributes)[number]> {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as Omit<T, (typeof keyAttributes)[number]>;
}

/** Epoch seconds for the `ttl` attribute. DynamoDB Local never expires, so readers check times too. */
export const ttlAt = (date: Date) => Math.floor(date.getTime() / 1000);
