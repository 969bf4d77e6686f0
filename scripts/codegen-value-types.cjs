// A GraphQL Code Generator plugin (codegen.ts, target schema/valueTypes.json): the object types of the
// schema that have no `id` (series, points, stats, connections, …), values rather than entities, which a
// normalized cache must store inside their parent instead of by key. Clients import the list to say so
// (Apollo Client: `keyFields: false`; graphcache: a key of null), see docs/clients.md#caches.
// CommonJS because codegen loads local plugins with require.
const { isObjectType } = require('graphql');

/** @type {import('@graphql-codegen/plugin-helpers').PluginFunction} */
module.exports.plugin = (schema) => {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((type) => type.name));
  const valueTypes = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__') && !roots.has(type.name) && !('id' in type.getFields()))
    .map((type) => type.name)
    .sort();
  return `${JSON.stringify({ valueTypes }, null, 2)}\n`;
};
