/**
 * The JSON Schemas the workflow validates commands with, generated from the zod schemas the API
 * validates with: the actor, every command's body and every outside event (small, loaded with the workflow), a
 * handling policy and a business calendar (loaded only when one is applied).
 */
import { z } from 'zod';
import { actorSchema, commandSchemas, outsideEventSchemas } from '../../domain/complaint';
import { businessCalendarSchema } from '../../domain/calendar-data';
import { handlingPolicySchema } from '../../domain/policy';

function jsonSchema(schema: z.ZodType): unknown {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The generated files, by name under domain/generated/. */
export function generatedSchemaFiles(): Record<string, unknown> {
  return {
    'command-schemas.json': {
      actor: jsonSchema(actorSchema),
      commands: Object.fromEntries(Object.entries(commandSchemas).map(([name, schema]) => [name, jsonSchema(schema as z.ZodType)])),
      events: Object.fromEntries(Object.entries(outsideEventSchemas).map(([name, schema]) => [name, jsonSchema(schema as z.ZodType)])),
    },
    'policy-schema.json': jsonSchema(handlingPolicySchema),
    'calendar-schema.json': jsonSchema(businessCalendarSchema),
  };
}
