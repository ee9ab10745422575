// The product presigns with the SDK's signer directly (shared/aws/s3-presign.ts, to keep the S3
// client out of route bundles). These tests hold it to the two AWS packages that do the same with
// the S3 client: same credentials, same clock → the same form fields and the same URL.
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presignGet, presignPost, type SigningSource } from '../../shared/aws/s3-presign.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+with=odd chars' };
const region = 'eu-west-1';
const bucket = 'hw-attachments-123456789012-eu-west-1';
const now = new Date('2026-12-02T10:20:30.000Z');
const client = () => new S3Client({ region, credentials });
// the hash the S3 client itself uses (Node's crypto, through the SDK)
const source: SigningSource = { credentials: async () => credentials, sha256: client().config.sha256, region, endpoint: undefined };
const key = 'workspaces/0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa/items/0193a5e2-7c1a-7b3e-9f00-000000001001/0193a5e2-7c1a-7b3e-9f00-000000009001/receipt (1).pdf';

describe('presigned requests equal the AWS packages\' own', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(now);
  });
  afterEach(() => vi.useRealTimers());

  it('POST form: same policy and signature as @aws-sdk/s3-presigned-post', async () => {
    const ours = await presignPost({ bucket, key, contentType: 'application/pdf', maxBytes: 1234, expiresInSeconds: 900, now }, source);
    const theirs = await createPresignedPost(client(), {
      Bucket: bucket, Key: key, Expires: 900,
      Conditions: [['content-length-range', 1, 1234], { 'Content-Type': 'application/pdf' }],
      Fields: { 'Content-Type': 'application/pdf' },
    });
    expect(ours.url).toBe(theirs.url);
    // the same policy text (conditions in the same order), so the same signature and fields
    expect(ours.fields).toEqual(theirs.fields);
    expect(ours.expires_at).toBe('2026-12-02T10:35:30.000Z');
  });

  it('GET: the same URL as @aws-sdk/s3-request-presigner, response headers and version included', async () => {
    const disposition = 'attachment; filename="receipt (1).pdf"; filename*=UTF-8\'\'receipt%20%281%29.pdf';
    const ours = await presignGet({
      bucket, key, versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', expiresInSeconds: 300, now,
      // the SDK's command adds two parameters of its own; given here too, the rest must be the same
      responseHeaders: { 'response-content-disposition': disposition, 'response-content-type': 'application/pdf', 'x-id': 'GetObject', 'x-amz-checksum-mode': 'ENABLED' },
    }, source);
    const theirs = await getSignedUrl(client(), new GetObjectCommand({
      Bucket: bucket, Key: key, VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', ResponseContentDisposition: disposition, ResponseContentType: 'application/pdf',
    }), { expiresIn: 300 });
    const params = (url: string) => Object.fromEntries(new URL(url).searchParams.entries());
    expect(new URL(ours.url).origin + new URL(ours.url).pathname).toBe(new URL(theirs).origin + new URL(theirs).pathname);
    expect(params(ours.url)).toEqual(params(theirs));
    expect(ours.expires_at).toBe('2026-12-02T10:25:30.000Z');
  });
});
