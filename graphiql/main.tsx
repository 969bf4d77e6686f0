// Workers first: Monaco reads MonacoEnvironment when GraphiQL's modules load.
import './workers.js';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import '@graphiql/plugin-explorer/style.css';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { chartPlugin } from './chartPlugin.js';
import { createGatewayFetcher } from './fetcher.js';
import './page.css';

/** What the gateway writes into the page (src/yoga/graphiqlPage.ts): yoga's GraphiQL options. */
interface PageOptions {
  readonly title?: string;
  readonly defaultQuery?: string;
  readonly endpoint?: string;
}

function readOptions(): PageOptions {
  const text = document.getElementById('graphiql-options')?.textContent ?? '{}';
  return JSON.parse(text) as PageOptions;
}

const options = readOptions();
const endpoint = new URL(options.endpoint ?? location.pathname, location.href).toString();
const fetcher = createGatewayFetcher(endpoint);
const plugins = [explorerPlugin(), chartPlugin];
// A shared link (`?query=…`) wins over the example query, as on yoga's own page.
const fromUrl = new URL(location.href).searchParams.get('query');

const root = document.getElementById('graphiql');
if (!root) throw new Error('The page has no #graphiql element');
createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    initialQuery={fromUrl ?? options.defaultQuery ?? ''}
    defaultEditorToolsVisibility
    isHeadersEditorEnabled
    shouldPersistHeaders
  >
    <GraphiQL.Logo>{options.title ?? 'GraphiQL'}</GraphiQL.Logo>
  </GraphiQL>,
);
