/**
 * Where the gateway is and which credential to send. `?gateway=` and `?token=` win (a test, or a
 * link shared for a demo); otherwise VITE_GATEWAY_URL / VITE_GATEWAY_TOKEN at build time; otherwise
 * a gateway on localhost:4000. A real deployment gets its token from its own login, not a URL.
 */
export interface Settings {
  readonly gatewayUrl: string;
  readonly token: string | undefined;
  /** The custom event the event panel and the first live event panel chart (`?event=`, default `purchase`). */
  readonly event: string;
  /** The custom event the second live event panel charts (`?second-event=`, default `added_cart`). */
  readonly secondEvent: string;
  /** The campaign to chart (`?campaign=`); the first of the workspace's campaigns when absent. */
  readonly campaignId: string | undefined;
}

export function readSettings(search: string = location.search): Settings {
  const params = new URLSearchParams(search);
  const token = params.get('token') ?? import.meta.env.VITE_GATEWAY_TOKEN;
  return {
    gatewayUrl: params.get('gateway') ?? import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql',
    token: token === undefined || token === '' ? undefined : token,
    event: params.get('event') ?? 'purchase',
    secondEvent: params.get('second-event') ?? 'added_cart',
    campaignId: params.get('campaign') ?? undefined,
  };
}

export function authHeaders(settings: Settings): Record<string, string> {
  return settings.token ? { authorization: `Bearer ${settings.token}` } : {};
}
