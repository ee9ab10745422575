// If-Match for conditional updates: a client sends the version it last saw, either bare (`3`)
// or as the ETag the API gave it (`"<id>.v3"`). `*` means "any version".
import { DomainError } from '../domain/errors.js';

export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (!ifMatch || ifMatch.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(?:[^"]*\.v)?(\d+)"?$/.exec(ifMatch.trim());
  if (!match) {
    throw new DomainError('invalid', 'INVALID_IF_MATCH', 'If-Match must be a version number or an ETag this API gave out.', {
      errors: [{ location: 'header.if-match', message: 'is not a version or an ETag of this API', value: ifMatch }],
    });
  }
  return Number(match[1]);
}

/** The ETag of an entity answer: changes exactly when its version does. */
export function entityTag(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'id' in body && 'version' in body) {
    const { id, version } = body as { id: unknown; version: unknown };
    if (typeof id === 'string' && typeof version === 'number') return `"${id}.v${version}"`;
  }
  return undefined;
}
