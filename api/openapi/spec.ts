/**
 * The vocabulary the OpenAPI document is written in: a JSON Schema, one documented route, a
 * reference to a named schema, a zod schema as JSON Schema, and the names of the command bodies.
 */
import { z } from 'zod';
import type { CommandName, Role } from '../../domain/complaint';
import type { RequestSchema } from '../http/validate';

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

/** One documented route, in express's path syntax (`/complaints/:id`). */
export interface RouteSpec {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  request?: RequestSchema;
  /** The body's component name (the body schema goes to components.schemas). */
  bodyName?: string;
  /** The roles that may call it; absent: an open route, no credentials needed. */
  roles?: readonly Role[];
  /** More words on who may call it (object-level rules). */
  access?: string;
  /** The success status and its body (a component name, an inline schema, or a media type without schema). */
  ok: { status: number; description: string; body?: string | JsonSchema; contentTypes?: string[] };
  /** The problem statuses the route answers with besides 500/503. */
  problems: number[];
  /** Other answers that are not problems (e.g. /healthz's 503). */
  other?: Record<string, { description: string; body: JsonSchema }>;
}

/** A reference to a named schema in components.schemas. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A zod schema as JSON Schema 2020-12 (request side: defaults make fields optional). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `CommandName` → the component name of its body: `judgeValidity` → `JudgeValidityCommand`. */
export const commandBodyName = (name: CommandName) => `${name.charAt(0).toUpperCase()}${name.slice(1)}Command`;
