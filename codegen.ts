import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types every operation in test/operations against the committed SDL, as typed document nodes
 * (client preset), and writes their persisted-operations manifest. The tests import them through graphql-request; frontends can do the same.
 * `npm run codegen` writes them; `npm run codegen:check` (part of `npm test`) fails when they are stale.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: 'graphql',
        // Also writes persisted-documents.json ({ sha256 of the document: document }), the manifest a
        // gateway with PERSISTED_OPERATIONS_FILE accepts; each document carries its hash in __meta__.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // DateTime travels as an RFC 3339 string; the client decides whether to make it a Date.
        // Date is a `YYYY-MM-DD` string, Decimal a decimal string; SafeInt a JSON number (at most 2^53 - 1, exact in JavaScript).
        scalars: { DateTime: 'string', Date: 'string', SafeInt: 'number', Decimal: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        strictScalars: true,
      },
    },
  },
};

export default config;
