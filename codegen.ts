import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/** How the client SDL's scalars arrive in a browser or in Node: the same for every target. */
const scalarsAsTheyTravel = {
  // DateTime travels as an RFC 3339 string and Date as YYYY-MM-DD: the client decides whether to
  // make them Dates. SafeInt fits a JS number; Decimal is a string so no cent is rounded away.
  scalars: { DateTime: 'string', Date: 'string', SafeInt: 'number', Decimal: 'string' },
  enumsAsTypes: true,
  useTypeImports: true,
  emitLegacyCommonJSImports: false,
  strictScalars: true,
};

/**
 * Types every operation in test/operations against the committed SDL, as typed document nodes
 * (client preset), and writes their persisted-operations manifest. The tests import them through graphql-request; frontends can do the same.
 * The example dashboard (examples/dashboard) gets its own target: its documents and colocated fragments.
 * `npm run codegen` writes them; `npm run codegen:check` (part of `npm test`) fails when they are stale.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'test/generated/': {
      documents: ['test/operations/*.graphql'],
      preset: 'client',
      // Every selection set asks for __typename, as Apollo Client and urql add it to what they send:
      // so the manifest's documents are the ones clients send, and answers carry the type names
      // their normalized caches need to match type-conditioned fragments.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: 'graphql',
        // Also writes persisted-documents.json ({ sha256 of the document: document }), the manifest a
        // gateway with PERSISTED_OPERATIONS_FILE accepts; each document carries its hash in __meta__.
        // scripts/persisted-manifest.ts then writes persisted-manifest.json: the same operations also
        // under the hashes Apollo Client and urql compute themselves.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: scalarsAsTheyTravel,
    },
    // The fragment matcher: which object types each interface (and union) stands for. Apollo Client's
    // InMemoryCache needs it as `possibleTypes` to match `... on PushStats` under a `ChannelStats`
    // (without it, it drops the fragment's fields); graphcache takes the same map. Clients import it.
    'schema/possibleTypes.json': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3 },
    },
    // The schema as urql's graphcache takes it (`cacheExchange({ schema })`): minified introspection, for
    // exact fragment matching on interfaces (with possibleTypes alone it still writes every fragment).
    'schema/introspection.urql.json': {
      plugins: ['urql-introspection'],
      config: { includeScalars: true },
    },
    // The object types without an `id` (series, points, stats, connections): values, not entities.
    // Clients' cache setups import the list (docs/clients.md#caches) so no cache warns about them.
    'schema/valueTypes.json': {
      plugins: ['./scripts/codegen-value-types.cjs'],
    },
    'examples/dashboard/src/generated/': {
      documents: ['examples/dashboard/src/**/*.graphql'],
      preset: 'client',
      // Fragments are unmasked: each panel reads its own fragment's fields from the query's data.
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: scalarsAsTheyTravel,
    },
  },
};

export default config;
