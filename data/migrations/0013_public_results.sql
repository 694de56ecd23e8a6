-- The public search's read model: one row per published result naming its current version, with what
-- the public searches by (the entity's name and region as of publication). Written with every
-- publication and correction in the same transaction; the versions themselves stay in results, never
-- changed. Region searches are ranges (region >= '5101' AND region < '5102'), which a plain index serves.
CREATE TABLE public_results (
  result_id TEXT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL,
  entity_id TEXT NOT NULL,
  entity_name TEXT NOT NULL,
  region TEXT NOT NULL,
  department TEXT NOT NULL,
  result_code TEXT NOT NULL,
  items TEXT NOT NULL,
  inspected_on TEXT NOT NULL,
  published_on TEXT NOT NULL
);
CREATE INDEX public_results_region ON public_results (region, result_id);
CREATE INDEX public_results_entity ON public_results (entity_id);
CREATE INDEX public_results_inspected ON public_results (inspected_on);
INSERT INTO public_results (result_id, version, entity_id, entity_name, region, department, result_code, items,
                            inspected_on, published_on)
SELECT r.result_id, r.version, r.entity_id, COALESCE(e.name, ''), COALESCE(e.region, ''), r.department, r.result_code,
       r.items, r.inspected_on, r.published_on
FROM results r LEFT JOIN entities e ON e.id = r.entity_id
WHERE r.state = 'published'
  AND r.version = (SELECT MAX(q.version) FROM results q WHERE q.result_id = r.result_id AND q.state = 'published');
