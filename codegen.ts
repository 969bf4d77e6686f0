import type { CodegenConfig } from '@graphql-codegen/cli';

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
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: 'graphql',
        // Also writes persisted-documents.json ({ sha256 of the document: document }), the manifest a
        // gateway with PERSISTED_OPERATIONS_FILE accepts; each document carries its hash in __meta__.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: scalarsAsTheyTravel,
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
