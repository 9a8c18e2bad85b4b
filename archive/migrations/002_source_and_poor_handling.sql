-- Issue 14 (000 §4): who brought the complaint (the customer, our service centre, a carrier
-- company, the media, a regulator), and whether the findings blame poor reception or handling.
-- NULL on records archived before: the reports read a NULL source as the customer and a NULL
-- poor_handling as "not said".
ALTER TABLE complaints ADD COLUMN source text;
ALTER TABLE complaint_departments ADD COLUMN poor_handling boolean;
