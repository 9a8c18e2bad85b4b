/**
 * Which roles may use which route (function-level rules), as data. The commands' roles are the
 * domain's own command rules (`rolesAllowedTo`), so the API and the complaint never disagree.
 */
import { roles, type Role } from '../../domain/complaint';
import type { OutsideEventName } from '../../domain/outside-events';

export const routeAccess = {
  /** Services open complaints for their channels; people at the front line open the ones they take. */
  openComplaint: ['service', 'agent', 'supervisor', 'manager'],
  /**
   * Every role but the engineer's and the privacy officer's reads complaints; a department only
   * those it is or was responsible for.
   */
  readComplaints: roles.filter((r) => r !== 'engineer' && r !== 'privacy-officer'),
  /** Erasing a customer's personal data (their request under the PIPL): the privacy officers only. */
  eraseCustomer: ['privacy-officer'],
  /** The management reports and the report page (002 §3.3 item 5: the monthly report goes up to the general manager). */
  reports: ['supervisor', 'manager', 'general-manager', 'auditor'],
  /** The knowledge base of closed cases, for whoever handles or audits complaints. */
  knowledgeBase: ['agent', 'department', 'supervisor', 'manager', 'auditor'],
  /** Trying a business calendar on the open complaints (who may apply it: the applyCalendar command's roles). */
  calendarDryRun: ['supervisor', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

/**
 * Who may report each event from outside: the systems (service keys) that see it happen, and the
 * people who take it by hand. A department acknowledges only its own dispatches.
 */
export const outsideEventAccess = {
  repeatContact: ['service', 'agent', 'supervisor'],
  externalReferral: ['service', 'supervisor', 'manager'],
  dispatchAcknowledged: ['service', 'department'],
  settlementConfirmed: ['service'],
} as const satisfies { [E in OutsideEventName]: readonly Role[] };
