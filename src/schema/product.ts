import { productListEndpoint } from '../endpoints/productList.js';
import { readUnsizedList } from '../endpoints/answers/pages.js';
import { MAX_NAME_LENGTH, toListWindow } from './arguments.js';
import { builder } from './builder.js';
import { asKeyedEntity } from './entityRepresentations.js';
import { connectionArgs, connectionOf } from './connection.js';
import { PurchaseQuantitySeriesRef, PurchaseRevenueSeriesRef, purchaseSeries, purchaseWindowArgs } from './purchaseSeries.js';
import { resolveSeries } from './seriesField.js';
import { nameId, nameIdDescription } from './nameIds.js';
import { NodeRef } from './node.js';

/** A product, known by its name (Braze's `product_id`). */
export interface Product {
  readonly name: string;
}

/** Pages of /purchases/product_list one request may walk to reach its window (the page size is unknown). */
export const MAX_PRODUCT_PAGES = 20;

export const ProductRef = builder.objectRef<Product>('Product').implement({
  description:
    'A product purchases are logged for, identified by its name (Braze `product_id`). A federation entity keyed by `name`: other subgraphs reference it by name.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ description: nameIdDescription('Product'), resolve: ({ name }) => nameId('Product', name) }),
    name: t.exposeString('name', { description: 'The product name (Braze `product_id`), exactly as logged in Braze.' }),
    // The same call as purchaseSeries(product: name, …), so a root field and an entity share it.
    quantitySeries: t.field({
      type: PurchaseQuantitySeriesRef,
      nullable: true,
      description: 'How many of this product were bought over time (Braze `GET /purchases/quantity_series` with `product` = this name).',
      args: purchaseWindowArgs,
      resolve: ({ name }, args, context, info) => resolveSeries(purchaseSeries, { ...args, measure: 'quantity', product: name }, context, undefined, info),
    }),
    revenueSeries: t.field({
      type: PurchaseRevenueSeriesRef,
      nullable: true,
      description: 'Revenue from this product over time, exact decimals (Braze `GET /purchases/revenue_series` with `product` = this name).',
      args: purchaseWindowArgs,
      resolve: ({ name }, args, context, info) => resolveSeries(purchaseSeries, { ...args, measure: 'revenue', product: name }, context, undefined, info),
    }),
  }),
});

asKeyedEntity(ProductRef, 'name', MAX_NAME_LENGTH);

const ProductConnectionRef = connectionOf<Product>('Product', ProductRef, 'Product names, in the order Braze lists them (Braze `GET /purchases/product_list`).');

builder.queryField('products', (t) =>
  t.field({
    type: ProductConnectionRef,
    nullable: true,
    description: `The workspace's products, to pick from (Braze \`GET /purchases/product_list\`). Braze documents no page size, so its pages are read from the first until this page is filled or a page is empty (at most ${MAX_PRODUCT_PAGES}); names repeated across pages are listed once. In Braze's 1,000-an-hour list bucket, kept in the cache as long as settled series. Null, with an error for this field only, when the arguments are invalid or Braze fails.`,
    args: connectionArgs,
    resolve: async (_root, args, context) => {
      const window = toListWindow(args);
      const loadPage = async (page: number): Promise<readonly string[]> => (await context.loader.load(productListEndpoint, { page })).answer;
      const slice = await readUnsizedList(loadPage, window, MAX_PRODUCT_PAGES);
      return { offset: window.offset, slice: { items: slice.items.map((name) => ({ name })), hasMore: slice.hasMore } };
    },
  }),
);
