-- The complaint archive (DOMAIN §9, 003/002): one row per complaint with its whole record as JSON,
-- the columns the reports filter and group on, and normalised child tables for the clocks,
-- escalations, departments, promises, penalties and partner charges. Rewritten as a whole on
-- every archive write (closure, reopen) whose record_version is newer than the stored one.

CREATE TABLE complaints (
  id                  text PRIMARY KEY,
  customer_id         text NOT NULL,
  customer_tier       text NOT NULL,
  category            text NOT NULL,
  severity            text NOT NULL,
  urgent_reason       text,
  kind                text NOT NULL,
  partner             text,
  channel             text NOT NULL,
  service             text NOT NULL,
  content             text NOT NULL,
  stage               text NOT NULL,
  outcome             text,
  -- NULL: never judged (e.g. withdrawn first); else the latest validity judgment (004).
  upheld              boolean,
  resolved            boolean NOT NULL,
  -- 000: the platform settled a transferred complaint its partner left overdue.
  taken_over          boolean NOT NULL,
  submitted_at        timestamptz NOT NULL,
  closed_at           timestamptz,
  owner_id            text NOT NULL,
  owner_name          text NOT NULL,
  escalation_level    integer NOT NULL,
  sla_breached        boolean NOT NULL,
  remedy_kind         text,
  remedy_amount_fen   bigint,
  remedy_implemented  boolean NOT NULL,
  callback_required   boolean,
  callback_satisfied  boolean,
  callback_at         timestamptz,
  summary_title       text NOT NULL,
  summary_cause       text NOT NULL,
  summary_remedy      text NOT NULL,
  summary_lesson      text NOT NULL,
  record              jsonb NOT NULL,
  -- Monotonic per complaint (the timeline's length): an older write never replaces a newer one.
  record_version      integer NOT NULL,
  idempotency_key     text NOT NULL,
  archived_at         timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_submitted_at ON complaints (submitted_at);
CREATE INDEX complaints_customer_category ON complaints (customer_id, category, submitted_at);
CREATE INDEX complaints_partner ON complaints (partner, submitted_at) WHERE partner IS NOT NULL;
CREATE INDEX complaints_category ON complaints (category, submitted_at);

CREATE TABLE complaint_departments (
  complaint_id    text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  position        integer NOT NULL,
  department      text NOT NULL,
  status          text NOT NULL,
  -- false once the department handed the case over: it is no longer responsible.
  responsible     boolean NOT NULL,
  assigned_at     timestamptz NOT NULL,
  dispatched_at   timestamptz,
  reported_at     timestamptz,
  cause           text,
  party_at_fault  text,
  handed_over_to  text,
  PRIMARY KEY (complaint_id, position)
);
CREATE INDEX complaint_departments_department ON complaint_departments (department);

CREATE TABLE complaint_clocks (
  complaint_id  text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  name          text NOT NULL,
  status        text NOT NULL,
  started_at    timestamptz NOT NULL,
  deadline      timestamptz NOT NULL,
  warn_at       timestamptz,
  warned_at     timestamptz,
  met_at        timestamptz,
  breached_at   timestamptz,
  PRIMARY KEY (complaint_id, position)
);

CREATE TABLE complaint_escalations (
  complaint_id  text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  level         integer NOT NULL,
  trigger       text NOT NULL,
  at            timestamptz NOT NULL,
  reason        text NOT NULL,
  PRIMARY KEY (complaint_id, position)
);

CREATE TABLE complaint_promises (
  complaint_id  text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  what          text NOT NULL,
  due_by        timestamptz NOT NULL,
  promised_at   timestamptz NOT NULL,
  status        text NOT NULL,
  PRIMARY KEY (complaint_id, position)
);

-- 004: the responsible staff are penalised per the rules; one row per party found at fault.
CREATE TABLE complaint_penalties (
  complaint_id    text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  position        integer NOT NULL,
  department      text NOT NULL,
  party_at_fault  text NOT NULL,
  cause           text NOT NULL,
  PRIMARY KEY (complaint_id, position)
);

-- 000: what a partner is charged when the platform took its overdue complaint over.
CREATE TABLE complaint_charges (
  complaint_id      text PRIMARY KEY REFERENCES complaints (id) ON DELETE CASCADE,
  partner           text NOT NULL,
  taken_over_at     timestamptz,
  refund_fen        bigint NOT NULL,
  costs_fen         bigint NOT NULL,
  handling_fee_fen  bigint NOT NULL,
  total_fen         bigint NOT NULL
);
CREATE INDEX complaint_charges_partner ON complaint_charges (partner);
