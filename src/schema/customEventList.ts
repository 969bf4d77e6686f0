import { EVENT_LIST_PAGE_SIZE, eventListEndpoint } from '../endpoints/eventList.js';
import { builder } from './builder.js';
import { connectionArgs, connectionOf, pagedConnection } from './connection.js';
import { CustomEventRef, type CustomEvent } from './customEvent.js';

const CustomEventConnectionRef = connectionOf<CustomEvent>(
  'CustomEvent',
  CustomEventRef,
  'Custom event names, sorted alphabetically as Braze sorts them (Braze `GET /events/list`).',
);

builder.queryField('customEvents', (t) =>
  t.field({
    type: CustomEventConnectionRef,
    nullable: true,
    description:
      "The workspace's custom events, to pick from (Braze `GET /events/list`, 250 names a page). Reads only the Braze pages this page needs; they are in Braze's 1,000-an-hour list bucket and kept in the cache as long as settled series. Null, with an error for this field only, when the arguments are invalid or Braze fails.",
    args: connectionArgs,
    resolve: (_root, args, context) =>
      pagedConnection(args, EVENT_LIST_PAGE_SIZE, async (page) => (await context.loader.load(eventListEndpoint, { page })).answer.map((name) => ({ name }))),
  }),
);
