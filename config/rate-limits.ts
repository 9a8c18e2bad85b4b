/** How fast callers may call the API: a sustained rate and the burst above it that a caller may spend at once. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** The two limits the API applies (RATE_LIMIT_* settings): per network address, and per principal. */
export interface RateLimits {
  perAddress: RateLimit;
  perPrincipal: RateLimit;
}
