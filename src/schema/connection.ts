import type { ObjectRef } from '@pothos/core';
import { readSizedList, type ListSlice } from '../endpoints/answers/pages.js';
import { DEFAULT_FIRST, MAX_FIRST, toListWindow } from './arguments.js';
import { builder } from './builder.js';
import { encodeCursor } from './cursor.js';

/** The schema types of this gateway's builder, for refs passed around between type files. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** A connection as resolved: the items of one window of a list, where the window starts, and what follows. */
export interface ConnectionView<T> {
  readonly offset: number;
  readonly slice: ListSlice<T>;
}

/**
 * The window `first`/`after` ask for of a list Braze serves in pages of `pageSize`: only the pages it
 * covers are loaded (BAD_USER_INPUT before any, for bad arguments).
 */
export async function pagedConnection<T>(
  args: { readonly first?: number | null | undefined; readonly after?: string | null | undefined },
  pageSize: number,
  loadPage: (page: number) => Promise<readonly T[]>,
): Promise<ConnectionView<T>> {
  const window = toListWindow(args);
  return { offset: window.offset, slice: await readSizedList(loadPage, pageSize, window) };
}

interface EdgeView<T> {
  readonly cursor: string;
  readonly node: T;
}

/** `first` and `after`, as every connection takes them (checked by toListWindow). */
export const connectionArgs = builder.args((arg) => ({
  first: arg.int({
    description: `The number of items to return, from 1 to ${MAX_FIRST}; defaults to ${DEFAULT_FIRST}.`,
  }),
  after: arg.string({
    description: 'Return the items after this cursor (an edge `cursor` or `pageInfo.endCursor` of this list). Omit it to start at the beginning.',
  }),
}));

const PageInfoRef = builder.objectRef<ConnectionView<unknown>>('PageInfo').implement({
  description: 'Where a page of a connection sits in its list (Relay cursor connections).',
  fields: (t) => ({
    hasNextPage: t.boolean({
      description:
        'Whether items follow this page. When the last Braze page read ends exactly where this page ends, the next Braze page is read to know, and only if this field is asked for.',
      resolve: ({ slice }) => slice.hasMore(),
    }),
    hasPreviousPage: t.boolean({ description: 'Whether items come before this page (it starts after a cursor).', resolve: ({ offset }) => offset > 0 }),
    startCursor: t.string({
      nullable: true,
      description: 'The cursor of the first item of this page; null when the page is empty.',
      resolve: ({ offset, slice }) => (slice.items.length > 0 ? encodeCursor(offset) : null),
    }),
    endCursor: t.string({
      nullable: true,
      description: 'The cursor of the last item of this page, to pass as `after` for the next page; null when the page is empty.',
      resolve: ({ offset, slice }) => (slice.items.length > 0 ? encodeCursor(offset + slice.items.length - 1) : null),
    }),
  }),
});

/**
 * `<Name>Connection` and `<Name>Edge` over `node`: edges with opaque cursors, the nodes alone, and
 * pageInfo, as the Relay cursor connections spec has them.
 */
export function connectionOf<T extends object>(name: string, node: ObjectRef<Types, T>, listDescription: string): ObjectRef<Types, ConnectionView<T>> {
  const EdgeRef = builder.objectRef<EdgeView<T>>(`${name}Edge`).implement({
    description: `One ${name} in a list, with its cursor.`,
    fields: (t) => ({
      cursor: t.string({ description: 'Opaque; pass it as `after` to continue after this item.', resolve: ({ cursor }) => cursor }),
      // Pothos's result type is a conditional type it cannot reduce for a generic T; the ref makes the node a T.
      node: t.field({ type: node, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<ConnectionView<T>>(`${name}Connection`).implement({
    description: listDescription,
    fields: (t) => ({
      edges: t.field({
        type: [EdgeRef],
        description: 'The items of this page, each with its cursor.',
        resolve: ({ offset, slice }) => slice.items.map((item, index) => ({ cursor: encodeCursor(offset + index), node: item })),
      }),
      nodes: t.field({ type: [node], description: 'The items of this page, without cursors.', resolve: ({ slice }) => slice.items }),
      pageInfo: t.field({ type: PageInfoRef, description: 'Cursors and whether more items follow.', resolve: (view) => view }),
    }),
  });
}
