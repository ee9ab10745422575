// What a return stores for the analytics projections (shared/domain/loans/service.ts, returnFacts):
// whole days out, and whether it came back after its due day (UTC; on the due day is on time).
import { describe, expect, it } from 'vitest';
import { returnFacts } from '../../shared/domain/loans/service.js';

describe('the facts a return records', () => {
  const loan = { loaned_at: '2026-12-01T18:00:00.000Z', due_date: '2026-12-10' };
  it('count whole days out and say whether it came back late', () => {
    expect(returnFacts(loan, new Date('2026-12-10T23:59:59Z'))).toEqual({ returned_at: '2026-12-10T23:59:59.000Z', days_out: 9, returned_late: false });
    expect(returnFacts(loan, new Date('2026-12-11T00:00:00Z'))).toMatchObject({ days_out: 9, returned_late: true });
    expect(returnFacts(loan, new Date('2026-12-01T18:30:00Z'))).toMatchObject({ days_out: 0, returned_late: false });
  });
  it('never count an undated loan late, nor invent days without a loan time', () => {
    expect(returnFacts({ loaned_at: loan.loaned_at }, new Date('2027-06-01T00:00:00Z'))).toMatchObject({ returned_late: false, days_out: 181 });
    expect(returnFacts({}, new Date('2027-06-01T00:00:00Z'))).toEqual({ returned_at: '2027-06-01T00:00:00.000Z', returned_late: false });
  });
});
