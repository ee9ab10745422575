// Presigned S3 requests for the attachments bucket: a POST form for uploads, a GET for downloads.
//
// Why not @aws-sdk/s3-presigned-post and @aws-sdk/s3-request-presigner: both need the S3 client
// (its endpoint rules and command schemas), which adds ~90–220 KB to a route's bundle, far past the
// cold-start budget (README, "Cold starts"). A presign is only a SigV4 signature, and the SDK's own
// signer (@smithy/signature-v4) is in every route already (the DynamoDB client signs with it), as
// are the credentials and the SHA-256 it uses: this module reuses them. test/unit/s3-presign.test.ts
// checks that both presigns equal, byte for byte, what the two AWS packages make from the same
// credentials and clock.
import { SignatureV4 } from '@smithy/signature-v4';
import { config } from '../config.js';
import { dynamodb } from './dynamodb.js';

/** The bucket's base URL: path-style on a local endpoint (s3rver serves one host), virtual-hosted in AWS. */
export function bucketUrl(bucket: string, region: string, endpoint: string | undefined): string {
  return endpoint ? `${endpoint.replace(/\/+$/, '')}/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`;
}

/** A key as it appears in a URL path: each segment percent-encoded, slashes kept (S3's rule, RFC 3986 unreserved kept). */
export const encodeKey = (key: string) =>
  key.split('/').map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');

const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Where the signer's credentials, clock offset and hash come from (the DynamoDB client's, by default). */
export interface SigningSource {
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  region: string;
  systemClockOffset?: number;
  /** the S3 endpoint (`undefined`: AWS's); the configured one when the property is absent */
  endpoint?: string | undefined;
}

const defaultSource = (): SigningSource => ({
  credentials: () => dynamodb.config.credentials(),
  sha256: dynamodb.config.sha256,
  region: config.region,
  systemClockOffset: dynamodb.config.systemClockOffset,
});

const endpointOf = (source: SigningSource) => ('endpoint' in source ? source.endpoint : config.endpoints.s3);

const signer = (source: SigningSource) =>
  new SignatureV4({ service: 's3', region: source.region, credentials: source.credentials, sha256: source.sha256, uriEscapePath: false, applyChecksum: false });

export interface PresignedPost {
  url: string;
  /** form fields to send before the file (the file goes last, as field `file`) */
  fields: Record<string, string>;
  expires_at: string;
}

export interface PostPolicy {
  bucket?: string;
  key: string;
  contentType: string;
  /** the largest body S3 accepts (`content-length-range` 1 … max) */
  maxBytes: number;
  expiresInSeconds: number;
  now?: Date;
}

/**
 * A browser-style POST upload (S3 POST Object): the policy pins the bucket, the key, the content
 * type and the length range, and expires; S3 refuses a form that breaks any of them.
 */
export async function presignPost(policy: PostPolicy, source: SigningSource = defaultSource()): Promise<PresignedPost> {
  const bucket = policy.bucket ?? config.bucketName;
  const now = new Date((policy.now ?? new Date()).getTime() + (source.systemClockOffset ?? 0));
  const signingDate = iso8601(now).replace(/[-:]/g, '');
  const day = signingDate.slice(0, 8);
  const credentials = await source.credentials();
  const fields: Record<string, string> = {
    bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${day}/${source.region}/s3/aws4_request`,
    'X-Amz-Date': signingDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const expires = new Date(now.getTime() + policy.expiresInSeconds * 1000);
  const conditions = [
    ['content-length-range', 1, policy.maxBytes],
    { 'Content-Type': policy.contentType },
    ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    { key: policy.key },
  ];
  const encodedPolicy = Buffer.from(JSON.stringify({ expiration: iso8601(expires), conditions })).toString('base64');
  // The form's signature is the policy signed with the day's signing key (SigV4 for POST).
  const signature = await signer(source).sign(encodedPolicy, { signingDate: now, signingRegion: source.region, signingService: 's3' });
  return {
    url: `${bucketUrl(bucket, source.region, endpointOf(source))}/`,
    fields: { 'Content-Type': policy.contentType, ...fields, key: policy.key, Policy: encodedPolicy, 'X-Amz-Signature': signature },
    expires_at: expires.toISOString(),
  };
}

export interface GetRequest {
  bucket?: string;
  key: string;
  /** the version verified (a versioned bucket): a later upload to the key is never what is served */
  versionId?: string | undefined;
  /** `response-content-disposition`, `response-content-type`: the headers S3 answers with */
  responseHeaders?: Record<string, string>;
  expiresInSeconds: number;
  now?: Date;
}

/** A GET anyone holding the URL may use until it expires (SigV4 query signing, unsigned payload). */
export async function presignGet(request: GetRequest, source: SigningSource = defaultSource()): Promise<{ url: string; expires_at: string }> {
  const base = new URL(`${bucketUrl(request.bucket ?? config.bucketName, source.region, endpointOf(source))}/${encodeKey(request.key)}`);
  const query: Record<string, string> = { ...request.responseHeaders, ...(request.versionId ? { versionId: request.versionId } : {}) };
  const now = new Date((request.now ?? new Date()).getTime() + (source.systemClockOffset ?? 0));
  const signed = await signer(source).presign({
    method: 'GET', protocol: base.protocol, hostname: base.hostname, ...(base.port ? { port: Number(base.port) } : {}),
    path: base.pathname, query, headers: { host: base.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
  }, { expiresIn: request.expiresInSeconds, signingDate: now, unsignableHeaders: new Set(['content-type']) });
  const search = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join('&');
  return { url: `${base.origin}${base.pathname}?${search}`, expires_at: new Date(now.getTime() + request.expiresInSeconds * 1000).toISOString() };
}
