import { SIMULATED_PRODUCT_PAGE_SIZE, SIMULATED_PRODUCTS, simulatePage } from './simulated/lists.js';
import type { Endpoint } from '../data/endpoint.js';
import { listTtlMs, pageKey, pageSearchParams, parseNamePage, type PageCall } from './answers/lists.js';

/**
 * GET /purchases/product_list: one page of product names. Braze documents neither the first page
 * number nor the page size, so pages are read from 0 until one is empty (see readUnsizedList). In the
 * 1,000-an-hour list bucket.
 */
export const productListEndpoint: Endpoint<PageCall, readonly string[]> = {
  name: 'productList',
  path: '/purchases/product_list',
  permission: 'purchases.product_list',
  bucket: 'lists',
  key: pageKey,
  searchParams: pageSearchParams,
  parse: (text) => parseNamePage(text, 'products'),
  ttlMs: listTtlMs,
  simulate: (input) => simulatePage(input, SIMULATED_PRODUCTS, SIMULATED_PRODUCT_PAGE_SIZE, 'products'),
};
