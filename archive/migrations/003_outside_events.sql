-- Issue 15: events from outside systems. How often the customer contacted us again about an open
-- complaint (repeat contacts), how many regulator referrals or media exposures arrived while it was
-- open, and when each department's own system acknowledged its dispatch.
-- 0 / NULL on records archived before: no such event was heard then.
ALTER TABLE complaints ADD COLUMN repeat_contacts integer NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN referrals integer NOT NULL DEFAULT 0;
ALTER TABLE complaint_departments ADD COLUMN acknowledged_at timestamptz;
