/**
 * The standard complaint, driven over HTTP as its users drive it, each command sent as soon as the
 * previous one answered: opened by the CRM, upheld by its owner for billing, billing reports and
 * proposes a refund, the supervisor approves, the customer accepts; a VIP is called back, satisfied.
 * Used by the race and fault tests, `npm run measure:actions`, `npm run chaos` and the benchmark.
 */
import type { ComplaintState } from '../../domain/case';

/** Who sends each step; each maps to the request headers of that principal. */
export type StandardParty = 'service' | 'owner' | 'billing' | 'supervisor';

export interface StandardComplaintOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  headersFor: (party: StandardParty) => Record<string, string>;
  tier: 'regular' | 'vip';
  /** The Idempotency-Key of the intake (and so the complaint id). */
  key: string;
  /** The owner's id (the agent whose headers `owner` gives). */
  ownerId: string;
  /** Retry a step that answers 503 (worker or server away) for up to this long (default 0: fail). */
  retryUnavailableMs?: number;
  /**
   * Resolves once the complaint awaits its callback (default: polls GET every 100 ms). A backend
   * would hear it from the `complaint.resolved` webhook instead, and so can a benchmark.
   */
  callbackDue?: (complaintId: string) => Promise<unknown>;
  /** Approve without waiting (`Prefer: respond-async`), then wait for the complaint to apply it. */
  asyncApproval?: boolean;
}

/** The standard complaint's intake body: a customer charged twice, taken by the owner on the hotline. */
export function standardIntake(key: string, tier: 'regular' | 'vip', ownerId: string) {
  return {
    customer: { id: `cust-${key}`, name: 'Li Wei', identityVerified: true, tier, contact: { phone: '13800000000' } },
    channel: 'hotline',
    category: 'billing-dispute',
    severity: 'normal',
    service: 'Mobile plan 128',
    content: 'Charged twice in October',
    demand: 'Refund',
    acceptedBy: { id: ownerId, name: 'Zhang Min' },
  };
}

/** Opens and drives one standard complaint to its last command; answers its id. */
export async function driveStandardComplaint(o: StandardComplaintOptions): Promise<string> {
  const opened = await send<{ complaintId: string }>(o, 'service', 'POST', '/complaints', standardIntake(o.key, o.tier, o.ownerId));
  const id = opened.complaintId;
  const path = `/complaints/${encodeURIComponent(id)}`;
  await send(o, 'owner', 'POST', `${path}/validity-judgment`, { upheld: true, reason: 'double charge confirmed', departments: ['billing'] });
  await send(o, 'billing', 'POST', `${path}/findings`, { department: 'billing', cause: 'The October invoice was issued twice', partyAtFault: 'billing system' });
  await send(o, 'billing', 'POST', `${path}/remedy-proposals`, { options: [{ kind: 'refund', description: 'Refund the duplicate October charge', amountFen: 12800 }] });
  if (o.asyncApproval) {
    await send(o, 'supervisor', 'POST', `${path}/remedy-approval`, { optionId: 'R1-1' }, { Prefer: 'respond-async' });
    await waitFor({ ...o, retryUnavailableMs: Math.max(o.retryUnavailableMs ?? 0, 30_000) }, id, (s) => s.stage === 'awaiting-customer', 600_000);
  } else {
    await send(o, 'supervisor', 'POST', `${path}/remedy-approval`, { optionId: 'R1-1' });
  }
  await send(o, 'owner', 'POST', `${path}/customer-answer`, { accepted: true });
  if (o.tier === 'vip') {
    await (o.callbackDue ? o.callbackDue(id) : waitFor(o, id, (s) => s.stage === 'awaiting-callback', 60_000));
    await send(o, 'owner', 'POST', `${path}/callback`, { satisfied: true, comments: 'refund received' });
  }
  return id;
}

/** Reads a complaint's state over HTTP (`stale` when the worker did not answer in time). */
export function readComplaint(o: Pick<StandardComplaintOptions, 'baseUrl' | 'headersFor' | 'retryUnavailableMs'>, id: string): Promise<ComplaintState & { stale?: true }> {
  return send<ComplaintState & { stale?: true }>({ retryUnavailableMs: 30_000, ...o }, 'supervisor', 'GET', `/complaints/${encodeURIComponent(id)}`);
}

/** Polls the complaint until `done` holds (default: closed with every effect settled). */
export async function waitFor(
  o: Pick<StandardComplaintOptions, 'baseUrl' | 'headersFor' | 'retryUnavailableMs'>,
  id: string,
  done: (s: ComplaintState) => boolean = (s) => s.stage === 'closed' && s.effects.every((e) => e.status !== 'owed'),
  timeoutMs = 120_000,
): Promise<ComplaintState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await readComplaint(o, id);
    // A last known state (worker busy or away) is not the truth to wait for.
    if (!s.stale && done(s)) return s;
    if (Date.now() > deadline) throw new Error(`complaint ${id} did not get there in ${timeoutMs} ms: stage ${s.stage}, owed ${s.effects.filter((e) => e.status === 'owed').map((e) => e.key).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function send<T>(
  o: Pick<StandardComplaintOptions, 'baseUrl' | 'headersFor' | 'retryUnavailableMs' | 'key'> | Pick<StandardComplaintOptions, 'baseUrl' | 'headersFor' | 'retryUnavailableMs'>,
  party: StandardParty,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const until = Date.now() + (o.retryUnavailableMs ?? 0);
  // A command step carries an Idempotency-Key, so a retry after a 503 or a lost answer is applied once.
  const key = 'key' in o && method === 'POST' ? `${o.key}:${path.split('/').at(-1)}` : undefined;
  for (;;) {
    let res: Response | undefined;
    try {
      res = await fetch(`${o.baseUrl}${path}`, {
        method,
        headers: { ...o.headersFor(party), ...(body ? { 'Content-Type': 'application/json' } : {}), ...(key ? { 'Idempotency-Key': key } : {}), ...extraHeaders },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      if (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      throw err;
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text) as T;
    if ((res.status === 503 || res.status === 504) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 400)}`);
  }
}
