// The store's schema as a list of migrations; PRAGMA user_version holds how many have run.
// Times are int64 nanoseconds: `local_ns` on the board's clock since boot, `host_ns` and `utc_ns` since
// the POSIX epoch. Every board record is keyed by (boot, seq), so storing it twice is a no-op.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

// A record's key: its boot (a row of boots, which names the node) and its sequence number. Each typed
// table holds its records whole; `records` holds the rest (hello, config, status, …) as raw fields.
const RECORD_KEY = `boot_key INTEGER NOT NULL REFERENCES boots(boot_key),
  seq INTEGER NOT NULL,
  host_ns INTEGER NOT NULL`;
const RECORD_PK = "PRIMARY KEY (boot_key, seq)";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "nodes, boots, records by type, events, lost ranges, sync exchanges",
    sql: `
CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  board TEXT NOT NULL,
  first_seen_ns INTEGER NOT NULL,
  last_seen_ns INTEGER NOT NULL
);
CREATE TABLE boots (
  boot_key INTEGER PRIMARY KEY,
  node_id INTEGER NOT NULL REFERENCES nodes(id),
  boot_id TEXT NOT NULL,
  first_seen_ns INTEGER NOT NULL,
  firmware_version TEXT,
  espruino_version TEXT,
  quantum_ns INTEGER,
  config_json TEXT,
  UNIQUE (node_id, boot_id)
);
CREATE TABLE records (
  ${RECORD_KEY},
  type TEXT NOT NULL,
  fields TEXT NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
CREATE TABLE pps_edges (
  ${RECORD_KEY},
  local_ns INTEGER NOT NULL,
  interval_ns INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
CREATE TABLE nmea_labels (
  ${RECORD_KEY},
  local_ns INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ymd INTEGER NOT NULL,
  hms INTEGER NOT NULL,
  ms INTEGER NOT NULL,
  valid INTEGER NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
CREATE TABLE temperatures (
  ${RECORD_KEY},
  local_ns INTEGER NOT NULL,
  milli_c INTEGER NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
CREATE TABLE servo_states (
  ${RECORD_KEY},
  edge_local_ns INTEGER NOT NULL,
  gps_second INTEGER NOT NULL,
  state INTEGER NOT NULL,
  freq_ppt INTEGER NOT NULL,
  freq_sigma_ppt INTEGER NOT NULL,
  phase_offset_ns INTEGER NOT NULL,
  residual_rms_ns INTEGER NOT NULL,
  outliers INTEGER NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
CREATE TABLE clock_readings (
  ${RECORD_KEY},
  local_ns INTEGER NOT NULL,
  utc_ns INTEGER NOT NULL,
  second60 INTEGER NOT NULL,
  earliest95_ns INTEGER NOT NULL,
  latest95_ns INTEGER NOT NULL,
  earliest_hard_ns INTEGER NOT NULL,
  latest_hard_ns INTEGER NOT NULL,
  servo_state INTEGER NOT NULL,
  age_ms INTEGER NOT NULL,
  ${RECORD_PK}
) WITHOUT ROWID;
-- Board events (E records) are keyed like any record; host events (suspect, down, boot, …) have no seq.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  node_id INTEGER NOT NULL REFERENCES nodes(id),
  boot_key INTEGER REFERENCES boots(boot_key),
  seq INTEGER,
  source TEXT NOT NULL CHECK (source IN ('board', 'host')),
  host_ns INTEGER NOT NULL,
  local_ns INTEGER,
  code TEXT NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (boot_key, seq)
);
CREATE TABLE lost_ranges (
  boot_key INTEGER NOT NULL REFERENCES boots(boot_key),
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  host_ns INTEGER NOT NULL,
  PRIMARY KEY (boot_key, first_seq)
) WITHOUT ROWID;
CREATE TABLE sync_exchanges (
  id INTEGER PRIMARY KEY,
  node_id INTEGER REFERENCES nodes(id),
  role TEXT NOT NULL,
  host_ns INTEGER NOT NULL,
  t1_ns INTEGER NOT NULL,
  t2_ns INTEGER NOT NULL,
  t3_ns INTEGER NOT NULL,
  t4_ns INTEGER NOT NULL,
  offset_ns INTEGER NOT NULL,
  delay_ns INTEGER NOT NULL,
  bound_ns INTEGER NOT NULL
);
CREATE INDEX events_by_time ON events (node_id, host_ns);
-- Every stored record, whatever its table: (boot_key, seq) is unique across all of them.
CREATE VIEW all_records AS
  SELECT boot_key, seq, host_ns, type FROM records
  UNION ALL SELECT boot_key, seq, host_ns, 'P' FROM pps_edges
  UNION ALL SELECT boot_key, seq, host_ns, 'N' FROM nmea_labels
  UNION ALL SELECT boot_key, seq, host_ns, 'T' FROM temperatures
  UNION ALL SELECT boot_key, seq, host_ns, 'R' FROM servo_states
  UNION ALL SELECT boot_key, seq, host_ns, 'U' FROM clock_readings
  UNION ALL SELECT boot_key, seq, host_ns, 'E' FROM events WHERE source = 'board';
`,
  },
  {
    version: 2,
    description: "sync exchanges: session, peer, sequence, uncertainty, filtered offset, estimate, state",
    sql: `
ALTER TABLE sync_exchanges ADD COLUMN session TEXT;
ALTER TABLE sync_exchanges ADD COLUMN peer TEXT;
ALTER TABLE sync_exchanges ADD COLUMN sequence_id INTEGER;
ALTER TABLE sync_exchanges ADD COLUMN uncertainty_ns INTEGER;
ALTER TABLE sync_exchanges ADD COLUMN filtered_offset_ns INTEGER;
ALTER TABLE sync_exchanges ADD COLUMN estimate_ns INTEGER;
ALTER TABLE sync_exchanges ADD COLUMN state TEXT;
CREATE INDEX sync_exchanges_by_session ON sync_exchanges (session, host_ns);
`,
  },
  {
    version: 3,
    description: "fencing tokens for leased writes; a hybrid logical clock on every event",
    sql: `
-- Per leased resource: the highest token granted and the highest a write was accepted with.
CREATE TABLE fencing (
  resource TEXT PRIMARY KEY,
  highest_granted INTEGER NOT NULL,
  highest_seen INTEGER NOT NULL,
  holder TEXT,
  expires_ns INTEGER
);
CREATE TABLE fenced_writes (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL REFERENCES fencing(resource),
  token INTEGER NOT NULL,
  writer TEXT NOT NULL,
  host_ns INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE fencing_rejections (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  token INTEGER NOT NULL,
  writer TEXT NOT NULL,
  host_ns INTEGER NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
-- HLC of each event as the host stores it: 48-bit ms of host_ns, 16-bit counter, packed (hlc >> 16 is ms).
-- The trigger is the local-event rule: max(last + 1, host ms << 16).
ALTER TABLE events ADD COLUMN hlc INTEGER;
CREATE INDEX events_by_hlc ON events (hlc);
CREATE TABLE hlc_state (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
UPDATE events SET hlc = ((host_ns / 1000000) << 16) + (SELECT COUNT(*) FROM events e
  WHERE e.host_ns / 1000000 = events.host_ns / 1000000 AND (e.host_ns < events.host_ns OR (e.host_ns = events.host_ns AND e.id < events.id)));
INSERT INTO hlc_state (id, last) VALUES (1, COALESCE((SELECT MAX(hlc) FROM events), 0));
CREATE TRIGGER events_hlc AFTER INSERT ON events BEGIN
  UPDATE hlc_state SET last = MAX(last + 1, (NEW.host_ns / 1000000) << 16) WHERE id = 1;
  UPDATE events SET hlc = (SELECT last FROM hlc_state WHERE id = 1) WHERE id = NEW.id;
END;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
