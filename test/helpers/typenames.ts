/**
 * `value` without its `__typename` fields, at any depth. The generated documents (test/generated) ask
 * for `__typename` everywhere, as Apollo Client and urql do; tests about values compare the rest.
 */
export function withoutTypenames<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutTypenames(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '__typename').map(([key, item]) => [key, withoutTypenames(item)])) as T;
}
