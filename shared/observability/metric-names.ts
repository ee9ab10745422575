// Metric names written once: the code emits them (EMF through Powertools) and the CDK
// observability stack charts and alarms on them. Renaming one here renames both.
export const metricNames = {
  /** emitted by Powertools on the first invocation of a container */
  coldStart: 'ColdStart',
  /** an answer with status >= 500, dimension `operation` */
  serverErrors: 'ServerErrors',
  /** an answer with status 400–499, dimension `operation` */
  clientErrors: 'ClientErrors',
  /** DynamoDB read capacity one request consumed (sum over its calls), dimension `operation` */
  consumedReadCapacity: 'ConsumedReadCapacity',
  /** DynamoDB write capacity one request consumed (sum over its calls), dimension `operation` */
  consumedWriteCapacity: 'ConsumedWriteCapacity',
  /** DynamoDB calls slower than DYNAMODB_SLOW_MS (each also logs one `slow dynamodb call` line), dimension `operation` */
  slowDynamoDbCalls: 'SlowDynamoDbCalls',
  /** mails the outbox projector handed to SES */
  mailsSent: 'MailsSent',
  /** mails given up after every attempt (each also logs `mail not sent`) */
  mailsFailed: 'MailsFailed',
  /** stream records a projector failed on (the record is delivered again), dimension `projector` */
  projectionFailures: 'ProjectionFailures',
  /** workspaces whose contents the purge job finished removing */
  workspacesPurged: 'WorkspacesPurged',
  /** loan reminders the reminder job recorded this run (each mailed, or skipped, once) */
  remindersRecorded: 'RemindersRecorded',
  /** loan reminder mails SES accepted (counted by the change feed's mail projector, which sends them) */
  remindersSent: 'RemindersSent',
  /** loan reminders recorded without a mail: the borrower has no email address (the lender is still notified) */
  remindersSkipped: 'RemindersSkipped',
  /** loan reminder mails given up after every attempt (each also logs `mail not sent`), and reminders the job could not record (logged; its retry tries them again) */
  remindersFailed: 'RemindersFailed',
} as const;

export const metricDimensions = {
  /** the change-feed projector, e.g. `changeLog` */
  projector: 'projector',
  /** the route's operation id, e.g. `createLoan` */
  operation: 'operation',
} as const;
