/**
 * Connection cursors: opaque to clients, an absolute offset in the list to us (`offset:240`, base64).
 * Offsets make cursors stable across Braze's page numbers and page sizes; a list that changes between
 * requests (a new event sorted in front) shifts items by that much, as with any offset paging.
 */

const PREFIX = 'offset:';

/** The cursor of the item at `offset`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64');
}

/**
 * The offset a cursor stands for, or undefined when it is not one this gateway wrote: only the exact
 * text `encodeCursor` produces is accepted, so a cursor means one offset only.
 */
export function decodeCursor(cursor: string): number | undefined {
  // A cursor is short; a long string is not one, and is not decoded.
  if (cursor.length > 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^offset:(0|[1-9]\d{0,8})$/.exec(text);
  if (!match) return undefined;
  const offset = Number(match[1]);
  return encodeCursor(offset) === cursor ? offset : undefined;
}
