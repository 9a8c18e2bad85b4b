/**
 * A signed command for the Temporal CLI (`npm run sign-command -- …`): an operator who must act
 * on a complaint from the CLI gets the update's input with the service's proof of its actor, and
 * the command line that sends it. It needs the service's signing keys (COMMAND_SIGNING_KEYS, the
 * development key outside production): reaching Temporal alone is not enough to act as anyone.
 *
 *   npm run sign-command -- --complaint C-… --command addNote \
 *     --actor '{"id":"sup-1","role":"supervisor"}' --body '{"text":"called the customer"}'
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createCommandSigner } from '../api/auth/command-signer';
import { loadAuthSettings } from '../config/settings';
import { complaintWorkflowId } from '../contract/complaint';
import { actorSchema, commandSchemas, type CommandName } from '../domain/complaint';

function main(): void {
  const { values } = parseArgs({
    options: { complaint: { type: 'string' }, command: { type: 'string' }, actor: { type: 'string' }, body: { type: 'string', default: '{}' }, id: { type: 'string' } },
  });
  const { complaint, command, actor: actorJson, body: bodyJson } = values;
  if (!complaint || !command || !actorJson) throw new Error('usage: --complaint <id> --command <name> --actor <json> [--body <json>] [--id <update id>]');
  if (!(command in commandSchemas)) throw new Error(`--command: no command ${command} (one of ${Object.keys(commandSchemas).join(', ')})`);
  const actor = actorSchema.parse(JSON.parse(actorJson));
  const body = commandSchemas[command as CommandName].parse(JSON.parse(bodyJson)) as Record<string, unknown>;
  const id = values.id ?? `${command}:${actor.id}:cli-${randomUUID()}`;
  const signer = createCommandSigner(loadAuthSettings({ ...process.env, AUTH_DEV_CREDENTIALS: process.env.AUTH_DEV_CREDENTIALS ?? (process.env.NODE_ENV === 'production' ? 'off' : 'on') }).signingKeys);
  const input = { ...body, actor, proof: signer.prove({ complaintId: complaint, name: command, id, actor, body }) };
  const quoted = `'${JSON.stringify(input).replace(/'/g, `'\\''`)}'`;
  console.log(
    [
      `temporal workflow update execute --workflow-id ${complaintWorkflowId(complaint)} --name ${command} --update-id ${id} \\`,
      `  --codec-endpoint http://127.0.0.1:3000/codec --codec-header X-API-Key=<an engineer's key> \\`,
      `  --input ${quoted}`,
      `# good for 15 minutes, for this complaint, command, id, actor and body only`,
    ].join('\n'),
  );
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
