-- The rollups gain a dimension, "practice": an inspection's modality, set
-- of techniques and number of officers (sqldb.practiceValue), so that the
-- budget request reads last year's mix of practices from the rollups
-- instead of grouping a year of inspections. Migrate then fills it from
-- the inspections already stored, in this migration's transaction
-- (backfillPractices); nothing here is kept from an earlier try.
DELETE FROM inspection_rollup WHERE dim = 'practice';
DELETE FROM inspection_rollup_month WHERE dim = 'practice';
