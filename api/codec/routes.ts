/**
 * The codec endpoint for people: `POST /codec/decode` and `/codec/encode`, the remote codec the
 * Temporal Web UI and CLI call (`--codec-endpoint`), so an engineer reads a complaint's history in
 * plaintext while the server and everyone else see ciphertext. Authenticated with the service's
 * own credentials (the UI passes the user's bearer token; the CLI sends `--codec-auth`); only the
 * `engineer` role decodes; CORS answers only the configured UI origin; every decode writes an
 * audit line (who, which namespace and workflow when told, how many payloads under which keys,
 * never what they hold).
 *
 * In development (`npm start`), the dev server's UI has no login to pass a token from: the run
 * command gives it a capability URL, `/codec/<random per start>`, served on loopback only, which
 * decodes as the development engineer.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Authenticator, Principal } from '../auth/credentials';
import { authenticate, permit, type PrincipalLocals } from '../http/auth';
import { methodNotAllowed, problem } from '../http/problem';
import { KEY_ID_METADATA } from '../../config/payload-codec';
import { PersonalDataErased } from '../../config/customer-envelope';
import type { Role } from '../../domain/complaint';

/** Who may decode histories: engineers, and nobody else. */
export const codecRoles: readonly Role[] = ['engineer'];

export interface CodecRouteDeps {
  auth: Authenticator;
  codec: PayloadCodec;
  /** The Web UI's origin, the only one CORS answers (e.g. http://localhost:8080). */
  corsOrigin?: string;
  /** Development only: the secret path segment the dev server's UI is given instead of a token. */
  devCapability?: string;
  logger: Logger;
}

const base64 = z.base64();
const payloadsBody = z.strictObject({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }))
    .max(1000),
});

const toPayload = (p: z.infer<typeof payloadsBody>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRoutes(deps: CodecRouteDeps): Router {
  const router = Router();

  // CORS for the UI's origin only; a preflight from any other is refused.
  router.use((req, res, next) => {
    const origin = req.get('Origin');
    if (origin && origin === deps.corsOrigin) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace, X-API-Key',
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method !== 'OPTIONS') return next();
    if (!origin || origin !== deps.corsOrigin) return next(problem('access-denied', 'This origin may not call the codec endpoint', { errors: [{ field: 'Origin', reason: 'not the configured Web UI origin' }] }));
    res.status(204).end();
  });

  const json = express.json({ limit: '4mb' });
  const parse = (req: Request) => {
    const parsed = payloadsBody.safeParse(req.body);
    if (!parsed.success) {
      throw problem('validation-failed', 'The body is not a list of payloads', {
        errors: parsed.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), reason: i.message })),
      });
    }
    return parsed.data.payloads.map(toPayload);
  };

  const decode = async (req: Request, res: Response<unknown, PrincipalLocals>) => {
    const payloads = parse(req);
    let erased = 0;
    // One by one: a payload of an erased customer stays ciphertext (its key is destroyed), the rest decode.
    const decoded = await Promise.all(
      payloads.map((payload) =>
        deps.codec.decode([payload]).then(
          ([one]) => one!,
          (err: unknown) => {
            if (err instanceof PersonalDataErased) return (erased++, payload);
            throw problem('validation-failed', err instanceof Error ? err.message : 'a payload does not decode', { errors: [{ field: 'body.payloads', reason: 'does not decode with the service keys' }] });
          },
        ),
      ),
    );
    const { principal } = res.locals;
    const keys = [...new Set(payloads.map((p) => Buffer.from(p.metadata?.[KEY_ID_METADATA] ?? []).toString()).filter(Boolean))];
    deps.logger.info(
      { audit: 'payloads-decoded', principal: principal.id, role: principal.role, namespace: req.get('X-Namespace'), workflowId: req.get('X-Workflow-Id'), payloads: payloads.length, keys, erased },
      `${principal.id} decoded ${payloads.length} payload(s)`,
    );
    res.set('Cache-Control', 'no-store').json({ payloads: decoded.map(fromPayload) });
  };
  const encode = async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').json({ payloads: (await deps.codec.encode(parse(req))).map(fromPayload) });
  };

  const handle = (fn: (req: Request, res: Response<unknown, PrincipalLocals>) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void fn(req, res as Response<unknown, PrincipalLocals>).catch(next);
  const allowed = permit(codecRoles, 'decode payloads');
  router.post('/decode', authenticate(deps.auth), allowed, json, handle(decode));
  router.post('/encode', authenticate(deps.auth), allowed, json, handle(encode));

  if (deps.devCapability) {
    const capability = Buffer.from(deps.devCapability);
    const asDevEngineer = (req: Request, res: Response, next: NextFunction) => {
      const given = Buffer.from(String(req.params.capability ?? ''));
      if (given.length !== capability.length || !timingSafeEqual(given, capability)) return next('router');
      res.locals.principal = { id: 'dev-engineer', role: 'engineer' } satisfies Principal;
      next();
    };
    router.post('/:capability/decode', asDevEngineer, json, handle(decode));
    router.post('/:capability/encode', asDevEngineer, json, handle(encode));
  }
  router.all(['/decode', '/encode'], methodNotAllowed(['POST']));
  return router;
}
