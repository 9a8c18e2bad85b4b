-- Each customer's personal data is encrypted under a data key of their own (envelope encryption):
-- the key is kept here only wrapped by the service's master key, and erasing the customer destroys
-- it (crypto-shredding). Every history payload, archived record and complaint text of theirs is
-- then ciphertext nobody can open, while the report columns still count the complaint.
CREATE TABLE customer_keys (
  key_id        text PRIMARY KEY,
  -- The keyed reference of the customer (api/complaints/customer-ref.ts), never their id.
  customer_ref  text NOT NULL,
  -- The data key, AES-GCM under the master key `wrapped_by`; NULL once destroyed.
  wrapped_key   text,
  wrapped_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  destroyed_at  timestamptz
);
-- One live key per customer; a customer erased and then complaining again gets a new one.
CREATE UNIQUE INDEX customer_keys_live ON customer_keys (customer_ref) WHERE wrapped_key IS NOT NULL;
CREATE INDEX customer_keys_ref ON customer_keys (customer_ref);

-- Which key a complaint's personal data is encrypted under (set before its workflow starts).
CREATE TABLE complaint_customers (
  complaint_id  text PRIMARY KEY,
  key_id        text NOT NULL REFERENCES customer_keys (key_id),
  bound_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaint_customers_key ON complaint_customers (key_id);

-- Every erasure, by request of the customer or by the retention rule: who, why, when, what it destroyed.
CREATE TABLE customer_erasures (
  id            bigserial PRIMARY KEY,
  customer_ref  text NOT NULL,
  requested_by  text NOT NULL,
  basis         text NOT NULL,
  reason        text NOT NULL,
  keys          integer NOT NULL,
  complaints    integer NOT NULL,
  erased_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_erasures_ref ON customer_erasures (customer_ref);

-- When the customer's data was erased: the complaint still counts in every report, but the
-- knowledge base no longer shows it.
ALTER TABLE complaints ADD COLUMN erased_at timestamptz;
