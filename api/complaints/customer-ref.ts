/**
 * The customer as Temporal visibility knows them: not their id, which whoever lists workflows
 * would read, but a keyed hash of it (HMAC-SHA256 under CUSTOMER_REF_KEY, 128 bits, `cr1_` and
 * hex). The API computes it when it opens a complaint and when a backend service lists a
 * customer's complaints, so the id itself never reaches a search attribute; without the key, a
 * reference cannot be tied back to a customer, nor a guessed id checked against the list.
 */
import { createHmac } from 'node:crypto';
import { DEV_CUSTOMER_REF_KEY } from '../../config/credentials';

/** The prefix that versions the scheme (a new key or hash is a new prefix). */
const PREFIX = 'cr1_';

/** The keyed reference for `customerId`. */
export function customerRef(key: string, customerId: string): string {
  return PREFIX + createHmac('sha256', key).update(customerId, 'utf8').digest('hex').slice(0, 32);
}

/** The references under `key` (the development key when none is given, as outside production). */
export function customerRefs(key: string = DEV_CUSTOMER_REF_KEY): (customerId: string) => string {
  return (customerId) => customerRef(key, customerId);
}
