import { builder } from './builder.js';

/** The order of a list Braze sorts by creation time (segments, campaigns, Canvases). */
export const SortDirection = builder.enumType('SortDirection', {
  description: 'The order of a list Braze sorts by creation time (Braze `sort_direction`).',
  values: {
    ASC: { value: 'asc', description: 'Oldest first (Braze\'s default; `sort_direction` is not sent).' },
    DESC: { value: 'desc', description: 'Newest first (Braze `sort_direction=desc`).' },
  } as const,
});

/** The `sortDirection` argument of the three sorted lists. */
export const sortDirectionArg = builder.args((arg) => ({
  sortDirection: arg.field({
    type: SortDirection,
    defaultValue: 'asc',
    description: 'Oldest first (`ASC`, Braze\'s default) or newest first (`DESC`, Braze `sort_direction=desc`). Cursors are offsets in the order asked for: keep the same order while paging.',
  }),
}));
