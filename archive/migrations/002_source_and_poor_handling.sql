-- Issue 14 (000 §4): who brought the complaint (the customer, our service centre, a carrier
-- company, the media, a regulator), and whether the findings blame poor reception or handling.
-- And when the remedy was carried out, where handling time ends (000 §4.5).
-- NULL on records archived before: the reports read a NULL source as the customer, a NULL
-- poor_handling as "not said", a NULL remedy_implemented_at as "ends at closure".
ALTER TABLE complaints ADD COLUMN source text;
ALTER TABLE complaint_departments ADD COLUMN poor_handling boolean;
ALTER TABLE complaints ADD COLUMN remedy_implemented_at timestamptz;
