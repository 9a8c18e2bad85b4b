/** Registering the complaint search attributes: each type maps to the operator service's indexed value type. */
import { temporal } from '@temporalio/proto';
import { complaintSearchAttributeSchema, indexedValueType } from '../../worker/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

test('each search attribute type maps to its indexed value type', () => {
  expect(complaintSearchAttributeSchema()).toEqual({
    ComplaintStage: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ComplaintCategory: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ComplaintSeverity: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ComplaintOwner: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ComplaintDepartments: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    EscalationLevel: IndexedValueType.INDEXED_VALUE_TYPE_INT,
    CustomerTier: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    CustomerId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    SlaBreached: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    EffectsFailing: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    CalendarFallback: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  });
  expect(() => indexedValueType('NOT_A_TYPE' as never)).toThrow(/NOT_A_TYPE/);
});
