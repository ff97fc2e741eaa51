-- The workspace's own records: who may see what, what was uploaded and audited, and the log. The engine's
-- history stays in history.sqlite beside it.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'inspector', 'unit')),
    unit TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    CHECK ((role = 'unit') = (unit IS NOT NULL))
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

CREATE TABLE login_failures (
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (username, at);

CREATE TABLE ledger_sets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner INTEGER NOT NULL REFERENCES users (id),
    owner_unit TEXT,
    folder TEXT NOT NULL,
    top_unit TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE units (
    ledger_set TEXT NOT NULL REFERENCES ledger_sets (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    parent TEXT,
    PRIMARY KEY (ledger_set, id)
);

CREATE TABLE audits (
    id TEXT PRIMARY KEY,
    ledger_set TEXT NOT NULL REFERENCES ledger_sets (id),
    requested_by INTEGER NOT NULL REFERENCES users (id),
    scope_unit TEXT,
    packs TEXT NOT NULL,
    date_from TEXT,
    as_of TEXT NOT NULL,
    month TEXT,
    settings TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress REAL NOT NULL DEFAULT 0,
    stage TEXT NOT NULL DEFAULT '',
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE findings (
    audit TEXT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    unit TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    doubtful INTEGER NOT NULL,
    waived INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (audit, id)
);
CREATE INDEX findings_by_id ON findings (id);

CREATE TABLE referrals (
    audit TEXT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    person TEXT NOT NULL,
    unit TEXT NOT NULL,
    disposition TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (audit, position)
);

CREATE TABLE waivers (
    id TEXT PRIMARY KEY,
    finding TEXT NOT NULL,
    audit TEXT NOT NULL REFERENCES audits (id),
    unit TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by INTEGER NOT NULL REFERENCES users (id),
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE rectifications (
    id TEXT PRIMARY KEY,
    finding TEXT NOT NULL,
    audit TEXT NOT NULL REFERENCES audits (id),
    unit TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
    submitted_by INTEGER NOT NULL REFERENCES users (id),
    submitted_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT
);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('waiver', 'rectification')),
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    stored TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL
);

CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    role TEXT,
    ip TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    outcome TEXT NOT NULL,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
