// What of a file's name reaches storage and headers (shared/domain/attachments/model.ts): object
// keys hold only ids and [A-Za-z0-9._-]; a download's Content-Disposition is safe for any name
// and gives browsers the real one (RFC 6266 / RFC 8187); only attachment keys parse back to ids.
import { describe, expect, it } from 'vitest';
import { contentDisposition, idsOfObjectKey, safeFileName } from '../../shared/domain/attachments/model.js';

const ws = '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa';
const item = '0193a5e2-7c1a-7b3e-9f00-000000001001';
const att = '0193a5e2-7c1a-7b3e-9f00-000000009001';

describe('file names in object keys', () => {
  it.each([
    ['receipt.pdf', 'receipt.pdf'],
    ['Quittung Bäckerei (März).pdf', 'Quittung-Backerei-Marz.pdf'],
    ['../../etc/passwd', 'etc-passwd'],
    ['..', 'file'],
    ['photo\u0000.jpg', 'photo.jpg'],
    ['фото.jpg', 'jpg'],
    ['a/b\\c?d#e%f.png', 'a-b-c-d-e-f.png'],
    ['   ', 'file'],
  ])('%j → %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it('never longer than 100 characters, the extension kept, only safe characters, for any input', () => {
    const names = ['x'.repeat(300) + '.jpeg', `${'ä'.repeat(150)}.pdf`, '💥'.repeat(80), `${'a-'.repeat(120)}.txt`, 'no-extension-'.repeat(20)];
    for (const name of names) {
      const safe = safeFileName(name);
      expect(safe.length, name).toBeLessThanOrEqual(100);
      expect(safe, name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$|^file$/);
      expect(idsOfObjectKey(`workspaces/${ws}/items/${item}/${att}/${safe}`), name).toEqual({ workspaceId: ws, itemId: item, attachmentId: att });
    }
    expect(safeFileName('x'.repeat(300) + '.jpeg').endsWith('.jpeg')).toBe(true);
  });
});

describe('object keys', () => {
  it('only an attachment key of ids and a safe name parses', () => {
    expect(idsOfObjectKey(`workspaces/${ws}/items/${item}/${att}/receipt.pdf`)).toEqual({ workspaceId: ws, itemId: item, attachmentId: att });
    for (const key of [
      `uploads/pending/${ws}/${item}/${att}/a.pdf`, `workspaces/${ws}/items/${item}/${att}/`, `workspaces/${ws}/items/${item}/${att}/a b.pdf`,
      `workspaces/${ws}/items/${item}/${att}/../a.pdf`, `workspaces/${ws}/items/${item}/not-a-uuid/a.pdf`, `workspaces/${ws}/items/${item}/${att}/a.pdf/extra`,
    ]) expect(idsOfObjectKey(key), key).toBeUndefined();
  });
});

describe('Content-Disposition of a download', () => {
  it('an ASCII fallback without quotes or controls, and the real name encoded', () => {
    expect(contentDisposition('receipt.pdf')).toBe('attachment; filename="receipt.pdf"; filename*=UTF-8\'\'receipt.pdf');
    expect(contentDisposition('Quittung Bäckerei (März).pdf')).toBe(
      'attachment; filename="Quittung Backerei (Marz).pdf"; filename*=UTF-8\'\'Quittung%20B%C3%A4ckerei%20%28M%C3%A4rz%29.pdf',
    );
    const hostile = contentDisposition('a"b\\c\r\nSet-Cookie: x=1.pdf');
    expect(hostile).not.toMatch(/[\r\n]/);
    expect(hostile.split('"')).toHaveLength(3); // the fallback's own two quotes only
    expect(contentDisposition('фото.jpg')).toBe('attachment; filename="____.jpg"; filename*=UTF-8\'\'%D1%84%D0%BE%D1%82%D0%BE.jpg');
  });
});
