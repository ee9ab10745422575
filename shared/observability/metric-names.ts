// Metric names written once: the code emits them (EMF through Powertools) and the CDK
// observability stack charts and alarms on them. Renaming one here renames both.
// One export per name, imported as a namespace (`import * as metricNames`), so a bundle holds only
// the names its code emits.
/** emitted by Powertools on the first invocation of a container */
export const coldStart = 'ColdStart';
/** an answer with status >= 500, dimension `operation` */
export const serverErrors = 'ServerErrors';
/** an answer with status 400–499, dimension `operation` */
export const clientErrors = 'ClientErrors';
/** DynamoDB read capacity one request consumed (sum over its calls), dimension `operation` */
export const consumedReadCapacity = 'ConsumedReadCapacity';
/** DynamoDB write capacity one request consumed (sum over its calls), dimension `operation` */
export const consumedWriteCapacity = 'ConsumedWriteCapacity';
/** DynamoDB calls slower than DYNAMODB_SLOW_MS (each also logs one `slow dynamodb call` line), dimension `operation` */
export const slowDynamoDbCalls = 'SlowDynamoDbCalls';
/** mails the outbox projector handed to SES */
export const mailsSent = 'MailsSent';
/** mails given up after every attempt (each also logs `mail not sent`) */
export const mailsFailed = 'MailsFailed';
/** stream records a projector failed on (the record is delivered again), dimension `projector` */
export const projectionFailures = 'ProjectionFailures';
/** workspaces whose contents the purge job finished removing */
export const workspacesPurged = 'WorkspacesPurged';
/** loan reminders the reminder job recorded this run (each mailed, or skipped, once) */
export const remindersRecorded = 'RemindersRecorded';
/** loan reminder mails SES accepted (counted by the change feed's mail projector, which sends them) */
export const remindersSent = 'RemindersSent';
/** loan reminders recorded without a mail: the borrower has no email address (the lender is still notified) */
export const remindersSkipped = 'RemindersSkipped';
/** loan reminders recorded without a mail because SES reported the borrower's address undeliverable (the lender is still notified) */
export const remindersUndeliverable = 'RemindersUndeliverable';
/** SES permanent bounces reported (mail-feedback handler) */
export const mailsBounced = 'MailsBounced';
/** SES complaints reported (mail-feedback handler) */
export const mailsComplained = 'MailsComplained';
/** addresses newly marked undeliverable (nothing more is mailed to them) */
export const addressesMarkedUndeliverable = 'AddressesMarkedUndeliverable';
/** mails the mail projector did not send because their address is marked undeliverable */
export const mailsSuppressed = 'MailsSuppressed';
/** loan reminder mails given up after every attempt (each also logs `mail not sent`), and reminders the job could not record (logged; its retry tries them again) */
export const remindersFailed = 'RemindersFailed';



/** uploads the verifier found to be what was declared (now READY) */
export const attachmentsVerified = 'AttachmentsVerified';
/** uploads the verifier rejected (wrong type, size or checksum, over quota): the object is deleted */
export const attachmentsRejected = 'AttachmentsRejected';
/** objects no PENDING attachment asked for (a reused upload form, an unknown key): deleted */
export const strayObjectsDeleted = 'StrayObjectsDeleted';
/** attachment objects deleted after their record was (change feed) */
export const attachmentObjectsDeleted = 'AttachmentObjectsDeleted';
/** PENDING attachments whose upload never came, deleted by the cleanup job */
export const abandonedUploadsDeleted = 'AbandonedUploadsDeleted';
/** background jobs (label sheets, insurance reports) that made their file (change feed) */
export const jobsDone = 'JobsDone';
/** background jobs that could not make their file: settled FAILED (change feed) */
export const jobsFailed = 'JobsFailed';
/** analytics figures the recount found different from its count of the entities (each also logged), repaired unless they moved meanwhile */
export const analyticsDrift = 'AnalyticsDrift';
/** workspaces the analytics recount counted */
export const analyticsRecounted = 'AnalyticsRecounted';
