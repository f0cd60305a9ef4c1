-- The sync protocol each port node last reported under, so that the node
-- list can say which nodes must be upgraded; 0 for reports from before
-- protocols were stated.
ALTER TABLE nodes ADD COLUMN protocol INTEGER NOT NULL DEFAULT 0;
