import { graphql } from 'relay-runtime';

// A panel of one custom event, as Relay colocates it: the query, and the panel's fragment, refetchable
// through `node(id:)` (CustomEvent is a Node). relay-compiler turns each tag into an artifact.
export const customEventPanelQuery = graphql`
  query CustomEventPanelQuery($name: String!, $length: Int!, $endingAt: DateTime) {
    customEvent(name: $name) {
      name
      ...CustomEventPanel_event @arguments(length: $length, endingAt: $endingAt)
    }
  }
`;

export const customEventPanelFragment = graphql`
  fragment CustomEventPanel_event on CustomEvent
  @refetchable(queryName: "CustomEventPanelRefetchQuery")
  @argumentDefinitions(length: { type: "Int", defaultValue: 7 }, endingAt: { type: "DateTime" }) {
    id
    series(length: $length, endingAt: $endingAt) {
      total
      points { time count }
    }
  }
`;
