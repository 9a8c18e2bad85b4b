-- The knowledge base is searched through an index over its redacted case summaries (and the
-- service concerned), never by scanning the complaints' own words: a generated full-text vector
-- ('simple': words as written, lower-cased) and its GIN index.
ALTER TABLE complaints ADD COLUMN summary_search tsvector GENERATED ALWAYS AS (
  to_tsvector('simple', summary_title || ' ' || summary_cause || ' ' || summary_remedy || ' ' || summary_lesson || ' ' || service)
) STORED;
CREATE INDEX complaints_summary_search ON complaints USING gin (summary_search);
