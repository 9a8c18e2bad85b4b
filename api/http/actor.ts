/**
 * Who sends a command. Until real authentication lands, the actor is taken from request headers
 * (`X-Actor-Id`, `X-Actor-Role`, `X-Actor-Department`) and checked with the domain's `actorSchema`;
 * the workflow's validators stay the authority on what that actor may do.
 */
import type { RequestHandler } from 'express';
import { actorSchema, type Actor } from '../../domain/complaint';
import { problem } from './problem';

/** The actor headers, by the actor field they carry. */
export const actorHeaders = { id: 'X-Actor-Id', role: 'X-Actor-Role', department: 'X-Actor-Department' } as const;

/** What `identifyActor` leaves on `res.locals`. */
export interface ActorLocals extends Record<string, unknown> {
  actor: Actor;
}

/** 401 without an actor id and role; 400 when the headers do not make a valid actor. */
export const identifyActor: RequestHandler = (req, res, next) => {
  const id = req.get(actorHeaders.id);
  const role = req.get(actorHeaders.role);
  if (!id || !role) {
    throw problem('actor-required', `Send ${actorHeaders.id} and ${actorHeaders.role} (and ${actorHeaders.department} for a department)`);
  }
  const parsed = actorSchema.safeParse({ id, role, department: req.get(actorHeaders.department) || undefined });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      field: actorHeaders[issue.path[0] as keyof typeof actorHeaders] ?? actorHeaders.id,
      reason: issue.message,
    }));
    throw problem('invalid-actor', `Check ${[...new Set(errors.map((e) => e.field))].join(', ')}`, { errors });
  }
  res.locals.actor = parsed.data;
  next();
};
