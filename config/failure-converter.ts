/**
 * Failures with their message and stack trace encoded as a payload, so the payload codec encrypts
 * them: an error cannot carry personal data in plaintext into a history. Loaded by path (it also
 * runs in the workflow sandbox): `failureConverterPath` in every data converter and workflow bundle.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
