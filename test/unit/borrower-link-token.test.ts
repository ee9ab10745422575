// The borrower link's token (shared/domain/loans/borrower-links.ts) without AWS: it round-trips its
// claims, refuses any changed byte, expires, and still signs for loans due past 2106 (its expiry is
// 32-bit seconds: such a link is valid until 2106-02-07, not refused at signing).
import { describe, expect, it } from 'vitest';
import { borrowerLinkExpiry, signBorrowerLink, verifyBorrowerLink } from '../../shared/domain/loans/borrower-links.js';

const secret = 'unit-test-secret-unit-test-secret-0123456789';
const claims = {
  workspaceId: '0193a5e2-7c1a-7b3e-9f00-00000000000a',
  loanId: '0193a5e2-7c1a-7b3e-9f00-00000000000b',
  borrowerId: '0193a5e2-7c1a-7b3e-9f00-00000000000c',
};
const now = new Date('2026-12-02T12:00:00Z');

describe('borrower link tokens', () => {
  it('carry the loan, the borrower and the expiry, and verify with the secret that signed them', () => {
    const expiresAt = borrowerLinkExpiry({ due_date: '2026-12-24' }, now);
    const token = signBorrowerLink({ ...claims, expiresAt }, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]{114}$/);
    expect(verifyBorrowerLink(token, secret, now)).toEqual({ ...claims, expiresAt });
    expect(() => verifyBorrowerLink(token, `${secret}x`, now)).toThrow(expect.objectContaining({ code: 'BORROWER_LINK_INVALID' }));
  });

  it('refuse a token with any byte changed, and an expired one', () => {
    const token = signBorrowerLink({ ...claims, expiresAt: new Date('2027-01-01T00:00:00Z') }, secret);
    for (let index = 0; index < token.length; index += 7) {
      const changed = token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);
      expect(() => verifyBorrowerLink(changed, secret, now), `character ${index}`).toThrow();
    }
    expect(() => verifyBorrowerLink(token, secret, new Date('2027-01-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'BORROWER_LINK_EXPIRED' }));
  });

  it('sign loans due after 2106 with the latest expiry they can carry', () => {
    const expiresAt = borrowerLinkExpiry({ due_date: '2500-06-01' }, now);
    const token = signBorrowerLink({ ...claims, expiresAt }, secret);
    expect(verifyBorrowerLink(token, secret, now).expiresAt.toISOString()).toBe('2106-02-07T06:28:15.000Z');
  });
});
