/**
 * Body parsing for POST routes: a body, when there is one, must be JSON (415 otherwise) and at most
 * `JSON_BODY_LIMIT`; a POST without a body is allowed (the validator then names what is missing).
 */
import express, { type RequestHandler } from 'express';
import { JSON_BODY_LIMIT, problem } from './problem';

const jsonTypes = ['application/json', 'application/*+json'];

/** 415 when a request carries a body that is not JSON. */
const requireJsonContent: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is(jsonTypes)) {
    throw problem('unsupported-media-type', `Send the body as application/json, not ${req.get('Content-Type') ?? 'an untyped body'}`);
  }
  next();
};

/** The middleware chain that reads a JSON body. */
export const jsonBody: RequestHandler[] = [requireJsonContent, express.json({ limit: JSON_BODY_LIMIT, type: jsonTypes })];

function hasBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
