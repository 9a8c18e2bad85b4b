/**
 * What each role reads of a customer's personal data. The people who talk to the customer (the
 * agent who owns the complaint, supervisors) and the backend service that filed it read it whole;
 * department desks, managers, the general manager and auditors, who investigate, approve and review but never call the
 * customer, read it masked: a phone as `138****0000`, a name shortened to its first character, an
 * e-mail to its first letter and domain, and the same values, or any mobile number or e-mail
 * address, masked wherever free text (the complaint's words, notes, findings) repeats them.
 */
import type { Role } from './vocabulary';

export type PersonalDataView = 'full' | 'masked';

/** The view each role gets, as data. */
export const personalDataViews: Readonly<Record<Role, PersonalDataView>> = {
  agent: 'full',
  supervisor: 'full',
  service: 'full',
  department: 'masked',
  manager: 'masked',
  'general-manager': 'masked',
  auditor: 'masked',
  engineer: 'masked',
  'privacy-officer': 'masked',
};

/** `+86 138 0000 0000` → `138****0000`: the first three and last four digits of the national number. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+86') && digits.startsWith('86')) digits = digits.slice(2);
  return digits.length >= 8 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : `****${digits.slice(-2)}`;
}

/** `Li Wei` → `L**`, `李小明` → `李**`. */
export function maskName(name: string): string {
  const first = [...name.trim()][0] ?? '';
  return `${first}**`;
}

/** `li.wei@example.cn` → `l***@example.cn`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** A mainland mobile number, with or without +86 and separators, not inside a longer run of digits. */
const mobileNumber = /(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const emailAddress = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

interface CustomerRecord {
  name: string;
  contact: { phone?: string; email?: string };
}

/** Masks, in free text, the customer's own name, phone and e-mail, and any mobile number or e-mail address. */
export function textMasker(customer: CustomerRecord | undefined): (text: string) => string {
  const exact: Array<[string, string]> = [];
  if (!customer) return (text) => text.replace(emailAddress, maskEmail).replace(mobileNumber, maskPhone);
  if (customer.contact.phone) exact.push([customer.contact.phone, maskPhone(customer.contact.phone)]);
  if (customer.contact.email) exact.push([customer.contact.email, maskEmail(customer.contact.email)]);
  if (customer.name.trim().length >= 2) exact.push([customer.name.trim(), maskName(customer.name)]);
  return (text) => {
    let out = text;
    for (const [value, masked] of exact) out = out.split(value).join(masked);
    return out.replace(emailAddress, maskEmail).replace(mobileNumber, maskPhone);
  };
}

/**
 * `value` (a case file, a timeline, a command's answer) as `view` shows it: unchanged when full;
 * masked, a copy with every customer record's fields masked and every string masked as free text
 * (with `customer`'s own values too, when known).
 */
export function viewOfPersonalData<T>(value: T, customer: CustomerRecord | undefined, view: PersonalDataView): T {
  if (view === 'full') return value;
  const mask = textMasker(customer);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key === 'phone') return maskPhone(v);
      if (key === 'email') return maskEmail(v);
      return mask(v);
    }
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, isCustomerName(k, v) ? maskName(String(item)) : walk(item, k)]));
    return v;
  };
  return walk(value) as T;
}

/** The `name` of a customer record (an object with a contact), not of a member of staff. */
function isCustomerName(key: string, owner: object): boolean {
  return key === 'name' && 'contact' in owner;
}
