/** Formats shared by the payload classes. Money: decimal string, two places, sign allowed where said. */
export const MONTH_REGEX = /^\d{4}-(0[1-9]|1[0-2])$/;
export const QUARTER_REGEX = /^\d{4}-Q[1-4]$/;
export const DATE_REGEX = /^\d{4}-\d{2}-\d{2}$/;
export const SIGNED_MONEY_REGEX = /^-?\d{1,12}\.\d{2}$/;
export const AMOUNT_REGEX = /^\d{1,12}\.\d{2}$/;
