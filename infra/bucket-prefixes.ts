// Where objects live in the attachments bucket, read by the CDK stacks and the local runtime alike
// (this module imports nothing, so the local runtime does not load the CDK to know them).

/**
 * Every attachment object lives under this prefix:
 * `workspaces/{ws}/items/{item}/{attachment_id}/{sanitised file name}`. Each object created under
 * it runs the upload verifier (infra/stacks/jobs-stack.ts; locally infra/local/start.ts).
 */
export const attachmentsPrefix = 'workspaces/';
/** The files background jobs make, `jobs/{ws}/{job}/{name}`: outside the attachments prefix, so the upload verifier never sees them. */
export const jobFilesPrefix = 'jobs/';
/** Files a job waits for (a large import, an archive to restore), `uploads/{ws}/{job}/{name}`: each object created runs the upload verifier too, which queues its job. */
export const uploadsPrefix = 'uploads/';
/** Backup archives, `backups/{ws}/{job}/{name}` (and the parts a backup's steps write before the last joins them): kept 30 days. */
export const backupsPrefix = 'backups/';
/** The prefixes whose created objects run the upload verifier. */
export const verifiedPrefixes = [attachmentsPrefix, uploadsPrefix] as const;
