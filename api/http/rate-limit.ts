/**
 * Bounded work per caller: a token bucket per network address (before credentials are checked, so
 * guessing keys is slow too) and one per principal (after). A caller over its rate gets 429
 * `rate-limited` with `Retry-After`, the seconds until its next request would pass. The buckets
 * live in this API process: behind a load balancer each replica grants the rate on its own, so the
 * rate a principal gets is the configured one times the replicas it reaches.
 */
import type { RequestHandler } from 'express';
import type { Principal } from '../auth/credentials';
import type { RateLimit } from '../../config/rate-limits';
import { problem } from './problem';

/** Buckets kept at most: past this, the fullest (idlest) ones are forgotten first. */
const MAX_BUCKETS = 50_000;

/** Token buckets by key, refilled lazily on each take. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`: 0 when it passes, else the seconds until one would be there. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.delete(key); // re-inserted last: the map's order is least recently used first
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.limit.perSecond;
  }

  get size(): number {
    return this.buckets.size;
  }
}

function refuse(retryAfterSeconds: number, who: string, limit: RateLimit) {
  return problem('rate-limited', `Too many requests from this ${who}: ${limit.perSecond} a second, bursts of ${limit.burst}`, {
    errors: [{ field: who === 'address' ? 'address' : 'principal', reason: `over ${limit.perSecond} requests a second` }],
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/** Before authentication: the request's address (express's `req.ip`, so `trust proxy` decides it). */
export function limitPerAddress(limit: RateLimit): RequestHandler {
  const buckets = new TokenBuckets(limit);
  return (req, _res, next) => {
    const wait = buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    next(wait > 0 ? refuse(wait, 'address', limit) : undefined);
  };
}

/** After authentication: the principal, whatever address it calls from. */
export function limitPerPrincipal(limit: RateLimit): RequestHandler {
  const buckets = new TokenBuckets(limit);
  return (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    const wait = principal ? buckets.take(principal.id) : 0;
    next(wait > 0 ? refuse(wait, 'principal', limit) : undefined);
  };
}
