/**
 * The security headers every answer carries (a small helmet): no MIME sniffing, no framing, no
 * referrer, and a CSP that allows nothing, which suits JSON. The HTML pages (/docs, /reports) set
 * their own, wider CSP over this default.
 */
import type { RequestHandler } from 'express';

/** The CSP of every answer that does not set its own. */
export const defaultCsp = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Sets the headers before any route runs; a route may still override the CSP. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': defaultCsp,
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
};
