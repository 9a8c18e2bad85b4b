/**
 * Authentication and function-level authorisation as middleware. `authenticate` turns the request's
 * credentials into `res.locals.principal` (401 otherwise); `permit` lets only the given roles past
 * (403 otherwise). Object-level rules (whose complaint it is, approval limits, no self-approval)
 * are decided where the object is: the complaint's own validators, and the read handlers.
 */
import type { RequestHandler } from 'express';
import type { Role } from '../../domain/complaint';
import { AuthenticationFailure, credentialHeaders, type Authenticator, type Principal } from '../auth/credentials';
import { problem, type ProblemType } from './problem';

/** What `authenticate` leaves on `res.locals`. */
export interface PrincipalLocals extends Record<string, unknown> {
  principal: Principal;
}

/** 401 without valid credentials (with a `WWW-Authenticate` challenge, RFC 6750); else sets the principal. */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return (req, res, next) => {
    authenticator
      .authenticate({ apiKey: req.get(credentialHeaders.apiKey), authorization: req.get(credentialHeaders.bearer) })
      .then((principal) => {
        res.locals.principal = principal;
        res.locals.log = res.locals.log?.child({ principal: principal.id, role: principal.role });
        next();
      })
      .catch((err: unknown) => {
        if (!(err instanceof AuthenticationFailure)) return next(err);
        if (err.kind === 'unavailable') {
          return next(problem('identity-provider-unavailable', capitalise(err.reason), { headers: { 'Retry-After': '5' } }));
        }
        const challenge = err.kind === 'missing' ? 'Bearer realm="complaints"' : `Bearer realm="complaints", error="invalid_token"`;
        next(
          problem(err.kind === 'missing' ? 'unauthenticated' : 'invalid-credentials', capitalise(err.reason), {
            errors: [{ field: err.field, reason: err.reason }],
            headers: { 'WWW-Authenticate': challenge },
          }),
        );
      });
  };
}

/** Lets only principals with one of `roles` through; `what` completes "a <role> may not …". */
export function permit(roles: readonly Role[], what: string, type: Extract<ProblemType, 'access-denied' | 'command-forbidden'> = 'access-denied'): RequestHandler {
  return (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    if (!principal) throw new Error('permit() placed before authenticate()');
    if (!roles.includes(principal.role)) {
      throw problem(type, `${/^[aeiou]/.test(principal.role) ? 'An' : 'A'} ${principal.role} may not ${what}`, {
        errors: [{ field: 'role', reason: `${what} needs one of: ${roles.join(', ')}` }],
      });
    }
    next();
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
