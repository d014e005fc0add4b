/**
 * Formats shared by the payload classes and the services' inputs, held to the limits of the
 * domain (DOMAIN §9): months and dates from 2000-01 to 2099-12, at most 9,999,999,999.99 per
 * fact, counts of at most 1,000,000 per line. Totals (balances, closings) are sums of facts and
 * have room for 28 integer digits, as settlement stores them.
 */
export const MONTH_REGEX = /^20\d{2}-(0[1-9]|1[0-2])$/;
export const QUARTER_REGEX = /^20\d{2}-Q[1-4]$/;
/** A real calendar date from 2000-01-01 to 2099-12-31 (every fourth year of the range is a leap year, 2000 included). */
export const DATE_REGEX =
  /^(?:20\d{2}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)$/;
export const FIRST_OF_MONTH_REGEX = /^20\d{2}-(0[1-9]|1[0-2])-01$/;
/** The amount of one fact: two places, at most 9,999,999,999.99. */
export const AMOUNT_REGEX = /^\d{1,10}\.\d{2}$/;
/** A sum of facts: two places. */
export const TOTAL_REGEX = /^\d{1,28}\.\d{2}$/;
export const SIGNED_TOTAL_REGEX = /^-?\d{1,28}\.\d{2}$/;
export const MAX_COUNT = 1_000_000;
/** Lines of one part of a monthly report. */
export const MAX_REPORT_LINES = 20_000;

/**
 * Identifiers: letters, digits and a few separators, never a slash, a space or a control
 * character, the same wherever the identifier is accepted.
 */
export const DEALER_CODE_REGEX = /^[A-Z0-9][A-Z0-9-]{0,31}$/;
/** Product model codes, stored upper-case. */
export const MODEL_CODE_REGEX = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;
export const PART_NO_REGEX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Frame / machine numbers, upper-case. */
export const SERIAL_REGEX = /^[A-Z0-9][A-Z0-9-]{3,63}$/;
/**
 * External document numbers (ERP, delivery notes): inputs are idempotent on them. ERP numbers
 * often carry slashes (INV/2026/0001); one looked up by path is sent percent-encoded.
 */
export const REFERENCE_REGEX = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

/** How each identifier pattern reads in an error message ("<field> must be …"), one wording everywhere. */
export const IDENTIFIER_TEXT = {
  dealerCode: 'a dealer code: 1-32 upper-case letters, digits or dashes',
  modelCode: 'a model code: 1-64 letters, digits, dots, underscores or dashes',
  partNo: 'a part number: 1-64 letters, digits, dots, underscores or dashes',
  serial: 'a serial of 4-64 letters, digits or dashes',
  reference: 'a document reference: 1-100 letters, digits, dots, slashes, underscores or dashes',
} as const;
