/** Starts the real Temporal engines for tests, from the binaries the project installs. */
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalCli, temporalTestServer } from '../../scripts/temporal-binaries';
import { complaintSearchAttributes } from '../../workflows/search-attributes';

/** The time-skipping test server, with the project's search attributes: a 48-hour timer fires in milliseconds. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
  await registerSearchAttributes(env);
  return env;
}

/** The test server knows no custom search attributes until told (as the Java SDK's registerSearchAttribute does). */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.values(complaintSearchAttributes).map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

/** A real dev server (the `temporal` CLI) with the project's search attributes registered. */
export function startDevServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      searchAttributes: Object.values(complaintSearchAttributes),
      extraArgs: ['--log-level', 'error'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code, bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
