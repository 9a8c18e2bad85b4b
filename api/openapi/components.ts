/**
 * The document's components: the named schemas (the intake, every command and outside-event body,
 * the answers and the problem), the problem answers by status, and the two ways to authenticate.
 */
import { commandSchemas, intakeSchema, outsideEventSchemas, type CommandName } from '../../domain/complaint';
import type { OutsideEventName } from '../../domain/outside-events';
import { credentialHeaders } from '../auth/credentials';
import {
  commandAcceptedSchema,
  commandStatusSchema,
  complaintListSchema,
  complaintOpenedSchema,
  complaintStateSchema,
  outsideEventAcceptedSchema,
  timelineSchema,
} from '../complaints/responses';
import { problemBodySchema, problemTypes } from '../http/problem';
import { calendarApplyRequest, calendarDryRunRequest } from '../calendar/routes';
import { commandBodyName, jsonSchemaOf, ref, type JsonSchema } from './spec';

/** The two ways to authenticate; every route but the service routes takes either. */
export const securitySchemes = {
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: credentialHeaders.apiKey,
    description: 'For backend services: a key configured in API_KEYS, standing for one principal (id, role, department).',
  },
  bearerJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'For people: a JWT verified against AUTH_JWT_SECRET (HS256/384/512) or AUTH_JWKS_URL; claims sub (the person), ' +
      'role, department (for a department), exp; iss/aud when configured.',
  },
};

/** The problem answers, one per status, each listing the problem types it may carry. */
export function problemResponses(): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const [type, { status }] of Object.entries(problemTypes)) byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  return Object.fromEntries(
    [...byStatus].map(([status, types]) => [
      `Problem${status}`,
      { description: `Problem: ${types.join(', ')}`, content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  );
}

/** The named schemas: the intake, every command body, the answers and the problem. */
export function componentSchemas(): Record<string, JsonSchema> {
  return {
    ComplaintIntake: jsonSchemaOf(intakeSchema),
    ...Object.fromEntries(
      (Object.keys(commandSchemas) as CommandName[]).map((name) => [commandBodyName(name), jsonSchemaOf(commandSchemas[name])]),
    ),
    ComplaintOpened: jsonSchemaOf(complaintOpenedSchema, 'output'),
    ComplaintState: jsonSchemaOf(complaintStateSchema, 'output'),
    Timeline: jsonSchemaOf(timelineSchema, 'output'),
    ComplaintList: jsonSchemaOf(complaintListSchema, 'output'),
    CommandAccepted: jsonSchemaOf(commandAcceptedSchema, 'output'),
    CommandStatus: jsonSchemaOf(commandStatusSchema, 'output'),
    OutsideEventAccepted: jsonSchemaOf(outsideEventAcceptedSchema, 'output'),
    ...Object.fromEntries(
      (Object.keys(outsideEventSchemas) as OutsideEventName[]).map((name) => [`${name[0]!.toUpperCase()}${name.slice(1)}Event`, jsonSchemaOf(outsideEventSchemas[name])]),
    ),
    CalendarDryRunRequest: jsonSchemaOf(calendarDryRunRequest.body),
    CalendarApplyRequest: jsonSchemaOf(calendarApplyRequest.body),
    Problem: jsonSchemaOf(problemBodySchema, 'output'),
  };
}
