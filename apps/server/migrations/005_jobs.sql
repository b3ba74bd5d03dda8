-- Scheduled jobs (apps/server/src/platform/jobs): one row per job and time slot. The server process whose INSERT
-- creates the row runs the job, so a scheduled job runs once per slot however many processes share the database;
-- the rows are also the record of what housekeeping did (result), kept 30 days.
CREATE TABLE job_runs (
  job text NOT NULL,
  -- The start of the job's interval (schedule), or the request time (manual run).
  slot timestamptz NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- host:pid of the process that ran it.
  owner text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  result jsonb,
  error text,
  PRIMARY KEY (job, slot)
);
CREATE INDEX job_runs_started_idx ON job_runs (started_at);

-- The retention job deletes SDK instances by last contact; the connected-SDKs list sorts by it.
CREATE INDEX flag_clients_last_seen_idx ON flag_clients (last_seen_at DESC);
