import { cacheExchange, Client, fetchExchange } from '@urql/core';

/**
 * urql with its defaults: queries go as GET while they fit in a URL (POST beyond), mutations as POST.
 * The bearer credential goes on every request; it is also what tells the gateway's CSRF guard that a
 * script sent the GET (a browser preflights a cross-origin request carrying Authorization).
 */
export function createUrqlClient(url: string, token: string): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  });
}
