// The text types of the contract. Every string a client sends is one of these, so nothing that
// breaks another member's client is ever stored: strict JSON decoders (Swift, serde_json) reject
// lone surrogates; control characters and bidi overrides corrupt or disguise what other people
// see; a name made only of zero-width characters looks empty. Text is normalised to NFC and
// trimmed before its length is checked, so "café" typed two ways is one value.
import * as z from 'zod/mini';
import { describe } from './docs.js';

/** C0 and C1 controls and DEL; multi-line text keeps newline and tab. */
const controls = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const controlsBesideLineBreaks = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/;
/** Bidi embeddings, overrides and isolates (Trojan Source); the implicit marks LRM/RLM stay allowed. */
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/;
/** What renders as nothing: whitespace, zero-width characters, joiners, variation selectors, fillers. */
const invisible = /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

const wellFormed = /* @__PURE__ */ z.refine<string>((text) => text.isWellFormed(), { message: 'must be well-formed Unicode text (no lone surrogates)', abort: true });
const noBidi = /* @__PURE__ */ z.refine<string>((text) => !bidiControls.test(text), { message: 'must not contain bidirectional override or isolate characters', abort: true });
// (the empty string is left to minLength, so it is reported once)
const visible = /* @__PURE__ */ z.refine<string>((text) => text.length === 0 || text.replace(invisible, '').length > 0, { message: 'must contain a visible character', abort: true });

/** Every schema made here, so a test can check that no request field is a bare z.string(). */
const textTypes = new WeakSet<z.ZodMiniType>();
const marked = <S extends z.ZodMiniType>(schema: S): S => {
  textTypes.add(schema);
  return schema;
};

/** True for a schema made by one of the functions of this file. */
const secrets = new WeakSet<z.ZodMiniType>();

export const isTextType = (schema: z.ZodMiniType): boolean => textTypes.has(schema);

const normalised = /* @__PURE__ */ z.overwrite((text: string) => (text.isWellFormed() ? text.normalize('NFC').trim() : text));
const normalisedLines = /* @__PURE__ */ z.overwrite((text: string) =>
  text.isWellFormed() ? text.normalize('NFC').replace(/\r\n?/g, '\n').trim() : text);

export interface TextLimits {
  /** characters after normalisation; 0 allows the empty string */
  min?: number;
  max: number;
}

/** One line of text: a title, a place on a shelf, a phone number. Empty allowed unless `min` says otherwise. */
export function singleLine({ min = 0, max }: TextLimits) {
  return marked(z.string().check(
    normalised, wellFormed,
    z.refine<string>((text) => !controls.test(text), { message: 'must be one line without control characters', abort: true }),
    noBidi, z.minLength(min), z.maxLength(max),
  ));
}

/** A name people see: one line, trimmed, and at least one visible character. */
export function nameText(max: number) {
  return marked(singleLine({ min: 1, max }).check(visible));
}

/** Free text over several lines (descriptions, notes): newlines and tabs allowed, CRLF becomes LF. */
export function multiLine({ min = 0, max }: TextLimits) {
  return marked(z.string().check(
    normalisedLines, wellFormed,
    z.refine<string>((text) => !controlsBesideLineBreaks.test(text), { message: 'must not contain control characters other than newline and tab', abort: true }),
    noBidi, z.minLength(min), z.maxLength(max),
  ));
}

/**
 * A secret the client sends (a password, a token): never normalised (it is compared or hashed as
 * sent), never echoed in an error answer, `writeOnly` in the OpenAPI document.
 */
export function secretText({ min = 1, max }: TextLimits) {
  const schema = describe(z.string().check(wellFormed, z.minLength(min), z.maxLength(max)), { writeOnly: true, format: 'password' });
  secrets.add(schema);
  return marked(schema);
}

/** True for a schema made by `secretText`. */
export function isSecret(schema: z.ZodMiniType): boolean {
  return secrets.has(schema);
}

/** An email address: surrounding spaces are trimmed and it is lower-cased (emails compare case-insensitively). */
/** zod's default email pattern (its `email` regex). */
const emailPattern = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

export function emailText() {
  // The shape zod's email type checks (its default pattern), as a plain regex check: the same
  // answer without carrying a separate schema type into every bundle that validates an address.
  const schema = z.string().check(
    z.overwrite((text: string) => text.trim().toLowerCase()), z.maxLength(254),
    z.regex(emailPattern, 'must be an email address'),
  );
  describe(schema, { format: 'email', maxLength: 254 });
  return marked(schema);
}

/** A machine-made ASCII value (a slug, a cursor, a short code): only what `pattern` allows. */
export function asciiText({ min = 1, max, pattern }: TextLimits & { pattern: RegExp }) {
  return marked(z.string().check(z.minLength(min), z.maxLength(max), z.regex(pattern)));
}

/**
 * An integer within declared bounds (every integer input has some: versions, quantities, sizes,
 * limits), so nothing beyond what the code and DynamoDB hold exactly ever reaches them.
 */
export function integer(min: number, max: number) {
  // A number checked to be a whole one within the range (the range keeps it a safe integer), with
  // refinements: zod's int type would add ~1.3 KB to every route, and its minimum and maximum checks
  // ~0.6 KB to every route with a number input; the document still says `integer` and the range.
  const schema = z.number().check(
    z.refine(Number.isInteger, { message: 'must be a whole number', abort: true }),
    z.refine((value) => value >= min, { message: `must be at least ${min}` }),
    z.refine((value) => value <= max, { message: `must be at most ${max}` }),
  );
  describe(schema, { type: 'integer', minimum: min, maximum: max });
  return schema;
}

/**
 * The id an offline client gives the entity it creates (so replaying the create cannot duplicate
 * it): a UUIDv7 in lower case, as the server makes them, since lists "newest first" sort by id. Its
 * time may not lie more than a day ahead (a far-future id would sit atop those lists for good).
 */
export function clientIdText() {
  const schema = z.string().check(
    z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a UUIDv7 in lower case'),
    z.refine((id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16) <= Date.now() + 86_400_000, 'must not be timed more than a day ahead'),
  );
  describe(schema, { format: 'uuid', description: 'A UUIDv7 (lower case) the client made: sent again, the create answers 200 with what is there.' });
  return marked(schema);
}

/** A short code a person reads off a label: 1–8 of A–Z and 0–9, any case in, upper case stored. */
export function shortCodeText() {
  const schema = z.string().check(z.overwrite((text: string) => text.trim().toUpperCase()), z.regex(/^[A-Z0-9]{1,8}$/, 'must be 1 to 8 letters and digits'));
  describe(schema, { pattern: '^[A-Za-z0-9]{1,8}$', description: 'Up to 8 letters and digits, any case (stored upper case).' });
  return marked(schema);
}

/** A colour as `#rrggbb`. */
/**
 * An id a client sends: RFC 9562's UUID shape (the pattern zod's uuid type uses, in any case, as
 * RFC 9562 reads hex digits), checked with a regex rather than zod's uuid type, which would add
 * ~1.2 KB to every route's bundle.
 */
export function uuidText() {
  const pattern = /^([\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}|0{8}(-0{4}){3}-0{12}|f{8}(-f{4}){3}-f{12})$/i;
  return marked(describe(z.string().check(z.regex(pattern, 'must be a valid UUID')), { format: 'uuid', pattern: undefined }));
}

/**
 * One of a few words (an inventory row's condition or status): checked by a pattern built from the
 * words, documented as an `enum`; zod's enum type would add ~0.9 KB to every route using it.
 */
export function oneOf<const V extends string>(values: readonly V[]) {
  const schema = z.string().check(z.regex(new RegExp(`^(${values.join('|')})$`), `must be one of: ${values.map((value) => JSON.stringify(value)).join(', ')}`));
  return marked(describe(schema, { enum: values, pattern: undefined }) as unknown as z.ZodMiniType<V, V>);
}

export function colourText() {
  return asciiText({ min: 7, max: 7, pattern: /^#[0-9A-Fa-f]{6}$/ });
}

/** A web address (http or https), as people paste them. */
export function urlText() {
  const schema = z.string().check(
    z.overwrite((text: string) => text.trim()), z.maxLength(2048),
    z.refine((text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), 'must be an http(s) URL'),
  );
  describe(schema, { format: 'uri', maxLength: 2048 });
  return marked(schema);
}

/**
 * A calendar date: `YYYY-MM-DD`, or an RFC 3339 date-time of which the date as written is kept
 * (what clients of the earlier API send for dates). Stored and answered as `YYYY-MM-DD`.
 */
export function calendarDate() {
  // Checked by a pattern and the calendar, not zod's ISO types (with a pipe, ~4 KB more per route).
  const schema = z.string().check(
    z.maxLength(40),
    z.refine(isCalendarDate, { message: 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time', abort: true }),
    z.overwrite((text: string) => text.slice(0, 10)),
  );
  describe(schema, { type: 'string', maxLength: 40, description: 'A date: YYYY-MM-DD, or an RFC 3339 date-time whose date part is kept.' });
  return marked(schema);
}

/** An instant: an RFC 3339 date-time with a zone, stored and answered in UTC (`2026-11-26T09:00:00.000Z`). */
export function instantText() {
  const schema = z.string().check(
    z.maxLength(40),
    z.refine((text: string) => instantShape.test(text) && isCalendarDate(text) && !Number.isNaN(Date.parse(text)), { message: 'must be an RFC 3339 date-time with a zone', abort: true }),
    z.overwrite((text: string) => new Date(text).toISOString()),
  );
  describe(schema, { type: 'string', format: 'date-time', maxLength: 40 });
  return marked(schema);
}
const instantShape = /T.*(?:Z|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DD`, alone or starting an RFC 3339 date-time with a zone; the day must exist (no 2025-02-30). */
const dateShape = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;
function isCalendarDate(text: string): boolean {
  const parts = dateShape.exec(text);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // (Date.UTC reads years below 100 as 19xx)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
