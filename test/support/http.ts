/**
 * Who acts, as an HTTP request says it. The one place tests build the acting person's headers:
 * when authentication lands, only this helper changes (e.g. to an `Authorization` header).
 */

/** The request headers that make `actor` the acting person. */
export function asActor(actor: { id: string; role: string; department?: string }): Record<string, string> {
  return {
    'X-Actor-Id': actor.id,
    'X-Actor-Role': actor.role,
    ...(actor.department ? { 'X-Actor-Department': actor.department } : {}),
  };
}
