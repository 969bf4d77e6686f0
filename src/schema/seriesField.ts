import type { InputFieldMap, InputShapeFromFields, InterfaceRef, ObjectRef, SchemaTypes } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { SeriesWindow } from '../data/chunks.js';
import type { Endpoint } from '../data/endpoint.js';
import { loadSeries, type RequestLoader } from '../data/loader.js';
import { MAX_LENGTH } from '../endpoints/answers/series.js';
import { seriesSource, type SeriesCallWindow } from '../live/seriesSource.js';
import { checkId, type SeriesBounds } from './arguments.js';
import { builder } from './builder.js';
import type { GatewayContext, LiveContext, SeriesScope } from './context.js';
import { clientOf, endOf } from './liveContext.js';
import { checked, liveSeriesType, SUBSCRIPTION_NOTE } from './liveSeries.js';
import type { SeriesResult } from './seriesFields.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** What a series' value has, whatever else: its points, which a live twin compares to push only changes. */
type Pushed = { readonly points: readonly unknown[] };

/** What a series field is typed as: an object type, or an interface (purchase series). */
type SeriesRef<Result> = ObjectRef<Types, Result> | InterfaceRef<Types, Result>;

/** The arguments a series' call is made from: the field's, or its live twin's. */
type ArgsOf<Args extends InputFieldMap, LiveArgs extends InputFieldMap> = InputShapeFromFields<Args> | InputShapeFromFields<LiveArgs>;

/**
 * One series field, defined once by its module: its arguments, how they become the call Braze is asked,
 * which endpoint answers it, and how the answer becomes the field's value. The field (a query's, or an
 * entity's) and its live twin are both made from it: seriesQueryField, seriesEntityField.
 *
 * `Id` is the entity's id for an entity's series (a segment's, a campaign's, a Canvas's: the field's
 * parent gives it, the live twin takes it as an argument), undefined for a query's. `LiveArgs` are the
 * twin's arguments where they differ from the field's (a live Canvas series may end "now").
 */
export interface SeriesDefinition<Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed, Id = undefined, LiveArgs extends InputFieldMap = Args> {
  readonly args: Args;
  readonly liveArgs?: LiveArgs;
  /**
   * The arguments → the call Braze is asked, checked against `bounds` ("now", the longest series):
   * BAD_USER_INPUT naming the argument for anything wrong, so nothing bad reaches Braze. `info` is the
   * field's, for what follows the selection (a Canvas's breakdowns).
   */
  call(args: ArgsOf<Args, LiveArgs>, bounds: SeriesBounds, id: Id, info: GraphQLResolveInfo): Call;
  /** The endpoint the call is asked of (an argument may choose it: a KPI, a purchase measure). */
  endpoint(args: ArgsOf<Args, LiveArgs>): Endpoint<Call, Answer>;
  /** Loads a checked call through `loader` (dedup, coalescing, cap, sharing, cache) into the field's value. */
  load(loader: RequestLoader, endpoint: Endpoint<Call, Answer>, call: Call, args: ArgsOf<Args, LiveArgs>): Promise<Result>;
}

/** A series definition, its types inferred from its parts. */
export const defineSeries = <Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed, Id = undefined, LiveArgs extends InputFieldMap = Args>(
  definition: SeriesDefinition<Args, Call, Answer, Result, Id, LiveArgs>,
) => definition;

/** The load most series use: `call` and its points, in chunks of at most Braze's 100 units when longer. */
export async function loadCallSeries<Call extends SeriesWindow, Point extends { readonly time: Date }>(
  loader: RequestLoader,
  endpoint: Endpoint<Call, readonly Point[]>,
  call: Call,
): Promise<SeriesResult<Call, Point>> {
  return { call, ...(await loadSeries(loader, endpoint, call, MAX_LENGTH)) };
}

/** Resolves a series for a request (its context) or a live poll (its scope): the call checked, then loaded. */
export async function resolveSeries<Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed, Id, LiveArgs extends InputFieldMap>(
  definition: SeriesDefinition<Args, Call, Answer, Result, Id, LiveArgs>,
  args: NoInfer<ArgsOf<Args, LiveArgs>>,
  scope: SeriesScope,
  id: NoInfer<Id>,
  info: GraphQLResolveInfo,
): Promise<Result> {
  const call = definition.call(args, scope, id, info);
  return definition.load(scope.loader, definition.endpoint(args), call, args);
}

/** What a series' live twin is called and says; `description` is followed by what every twin shares. */
export interface LiveTwin {
  /** The subscription field's name; a query field's twin has the query's. */
  readonly field?: string;
  /** The name of the type pushed, and what it is a push of ("event series"). */
  readonly type: string;
  readonly what: string;
  readonly description: string;
}

export interface SeriesFieldOptions<Result> {
  readonly type: SeriesRef<Result>;
  readonly description: string;
  readonly live: LiveTwin;
}

/** Registers a Query series field and its live twin, the Subscription field of the same name and arguments. */
export function seriesQueryField<Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed>(
  name: string,
  definition: SeriesDefinition<Args, Call, Answer, Result>,
  { type, description, live }: SeriesFieldOptions<Result>,
): void {
  builder.queryField(name, (t) =>
    t.field({
      type,
      nullable: true,
      description,
      args: definition.args,
      // Pothos cannot see through a type parameter that `Result` is the series ref's own shape: it is, by the signature.
      resolve: (_root, args, context, info) => resolveSeries(definition, args, context, undefined, info) as never,
    }),
  );
  registerLiveTwin(definition, type, { field: name, ...live }, NO_ID);
}

/** The argument an entity series' live twin takes the entity's id as, e.g. `segmentId`. */
export interface EntityKey {
  readonly name: string;
  readonly description: string;
}

/**
 * An entity's series field, whose parent gives the id, and its live twin, which takes the id as the
 * argument `key` names (checked as any id argument is): registers the twin, returns the field for the
 * entity's `fields`.
 */
export function seriesEntityField<Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed, LiveArgs extends InputFieldMap>(
  definition: SeriesDefinition<Args, Call, Answer, Result, string, LiveArgs>,
  { type, description, live, key }: SeriesFieldOptions<Result> & { readonly live: Required<LiveTwin>; readonly key: EntityKey },
) {
  registerLiveTwin(definition, type, live, entityId(key));
  return <Parent extends { readonly id: string }>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) =>
    t.field({
      type,
      nullable: true,
      description,
      args: definition.args,
      // As in seriesQueryField: the ref's shape is `Result`.
      resolve: ({ id }, args, context, info) => resolveSeries(definition, args, context, id, info) as never,
    });
}

/** How a live twin takes a series' `Id` from its arguments: the arguments it adds, and how it reads (and checks) them. */
interface TwinId<Id> {
  readonly args: InputFieldMap;
  take(args: Record<string, unknown>): { readonly rest: Record<string, unknown>; readonly id: Id };
}

/** A query's twin: no id. */
const NO_ID: TwinId<undefined> = { args: {}, take: (args) => ({ rest: args, id: undefined }) };

/** An entity's twin: the id as a required ID argument, first. */
function entityId({ name, description }: EntityKey): TwinId<string> {
  return {
    args: builder.args((arg) => ({ [name]: arg.id({ required: true, description }) })),
    take: ({ [name]: id, ...rest }) => ({ rest, id: checkId(String(id), name) }),
  };
}

/**
 * The Subscription twin of a series field: takes the field's arguments (the definition's `liveArgs`
 * when it has them) and the id, checks them as the field would at this moment (BAD_USER_INPUT before
 * anything is polled), and subscribes to the series' one shared poll, each poll resolving the series
 * as the field does, at the poll's own instant.
 */
function registerLiveTwin<Args extends InputFieldMap, Call extends SeriesCallWindow, Answer, Result extends Pushed, Id, LiveArgs extends InputFieldMap>(
  definition: SeriesDefinition<Args, Call, Answer, Result, Id, LiveArgs>,
  type: SeriesRef<Result>,
  live: Required<LiveTwin>,
  twinId: TwinId<Id>,
): void {
  const LiveRef = liveSeriesType(live.type, type, live.what);
  builder.subscriptionField(live.field, (t) =>
    t.field({
      type: LiveRef,
      description: `${live.description} ${SUBSCRIPTION_NOTE}`,
      args: { ...twinId.args, ...(definition.liveArgs ?? definition.args) },
      subscribe: (_root, given, context, info) => {
        const { rest, id } = twinId.take(given);
        // What is left once the id is taken are the arguments the definition declared for the twin.
        const args = rest as InputShapeFromFields<LiveArgs>;
        const now = new Date();
        const call = definition.call(args, { requestNow: () => now, seriesMaxLength: context.seriesMaxLength }, id, info);
        const liveContext = liveOf(context);
        // Every series takes `endingAt`; omitted, each poll asks about its own "now".
        const endingAt = (args as { readonly endingAt?: Date | null }).endingAt ?? undefined;
        const source = seriesSource(definition.endpoint(args), call, endingAt, liveContext.ttl, (instant, signal) =>
          resolveSeries(definition, args, liveContext.poll(instant, signal), id, info),
        );
        return liveContext.series.subscribe(source, clientOf(context, liveContext.callerOf), endOf(context));
      },
      resolve: checked,
    }),
  );
}

function liveOf(context: GatewayContext): LiveContext {
  if (!context.live) throw new Error('live series are not wired into this gateway');
  return context.live;
}
