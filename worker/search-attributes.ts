/** Registers the complaint search attributes on a namespace where they are missing (idempotent). */
import type { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { complaintSearchAttributes } from '../contract/search-attributes';

/**
 * The operator service's name for a search attribute type (`KEYWORD` → `INDEXED_VALUE_TYPE_KEYWORD`),
 * from the public protos rather than the SDK's internal helper.
 */
export function indexedValueType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  const value = temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof temporal.api.enums.v1.IndexedValueType];
  if (typeof value !== 'number') throw new Error(`no indexed value type for search attribute type ${type}`);
  return value;
}

/** Every complaint search attribute with its indexed value type, as `addSearchAttributes` takes them. */
export function complaintSearchAttributeSchema(): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(Object.values(complaintSearchAttributes).map((key) => [key.name, indexedValueType(key.type)]));
}

/** Adds whichever of the complaint search attributes the namespace lacks; returns their names. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.values(complaintSearchAttributes).filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key.type)])),
  });
  return missing.map((key) => key.name);
}
