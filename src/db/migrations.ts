// The team database's schema, as numbered migrations. A migration, once
// released, is never edited: its checksum is recorded when it is applied and
// `migrate` refuses a database whose applied migrations differ from these.
// Add a change as a new migration at the end.

export interface Migration {
  version: number
  name: string
  sql: string
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'project files and segments',
    sql: `
-- Source articles (content/**), kept as their exact text: the Markdown is the source of truth for segments.
CREATE TABLE articles (
  path text PRIMARY KEY,                 -- relative to content/, e.g. fr/some-slug.md
  text text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per locale bundle (locales/<locale>/<article>.json).
CREATE TABLE bundles (
  locale text NOT NULL,
  article text NOT NULL,
  schema integer NOT NULL,
  source_locale text NOT NULL,
  source_hash text NOT NULL,
  PRIMARY KEY (locale, article)
);

-- Segments of a bundle, in order; 'retired' holds the segments kept after their sentence left the source.
-- state, target and revision are columns (queried, and updated under optimistic concurrency later);
-- the rest of the segment is in data.
CREATE TABLE segments (
  locale text NOT NULL,
  article text NOT NULL,
  list text NOT NULL CHECK (list IN ('segments', 'retired')),
  position integer NOT NULL CHECK (position >= 0),
  id text NOT NULL,
  state text NOT NULL,
  target text,
  revision integer NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (locale, article, list, position),
  FOREIGN KEY (locale, article) REFERENCES bundles ON DELETE CASCADE
);
CREATE INDEX segments_state ON segments (locale, state);

-- Glossary files (glossary/**) and translation-memory files (tm/**), as their exact text.
CREATE TABLE glossary_files (
  path text PRIMARY KEY,
  text text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tm_files (
  path text PRIMARY KEY,
  text text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`
  },
  {
    version: 2,
    name: 'users, sessions and audit',
    sql: `
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('translator', 'reviewer', 'terminologist', 'publisher', 'admin')),
  locales text[] NOT NULL DEFAULT '{}',  -- empty: every locale
  password_hash text,                    -- argon2id (PHC string); null until a password is set
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Only a hash of the session token is stored, so a database dump does not hand out sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only history of changes to segments, concepts and users.
CREATE TABLE audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES users,
  actor text NOT NULL,                   -- email or 'cli', kept if the user row changes
  entity text NOT NULL CHECK (entity IN ('segment', 'concept', 'user', 'file')),
  entity_key text NOT NULL,
  action text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_entity ON audit (entity, entity_key, id);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
`
  },
  {
    version: 3,
    name: 'translate jobs and live segment updates',
    sql: `
-- Progress of each machine-translation job (the queue itself is pg-boss's, in its own schema):
-- written by the worker after every saved batch, read by the app's jobs panel and translate --wait.
CREATE TABLE translate_jobs (
  id uuid PRIMARY KEY,                    -- the pg-boss job id
  request uuid NOT NULL,                  -- one translate --database call (or app request): its jobs together
  locale text NOT NULL,
  articles text[] NOT NULL,
  engine text NOT NULL,
  requested_by text NOT NULL,             -- email, or 'cli'
  created_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  worker text,                            -- host:pid of the worker that last ran it
  attempts integer NOT NULL DEFAULT 0,
  total integer,                          -- sentences to send to the engine (known once planned)
  done integer NOT NULL DEFAULT 0,
  characters bigint NOT NULL DEFAULT 0,   -- characters sent by all attempts (what was billed)
  message text,                           -- the failure, in one line
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX translate_jobs_request ON translate_jobs (request);
CREATE INDEX translate_jobs_recent ON translate_jobs (created_at DESC);

-- Every change to a segment row is announced on the channel passerelle_segments, in the writing
-- transaction (PostgreSQL delivers it at commit, never for a rolled-back change), whoever writes:
-- the review app, a translate worker, db import. The server LISTENs and fans out to the browsers.
CREATE FUNCTION segments_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.list = 'segments' THEN
    PERFORM pg_notify('passerelle_segments', json_build_object(
      'locale', NEW.locale, 'article', NEW.article, 'id', NEW.id, 'revision', NEW.revision, 'state', NEW.state)::text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_notify AFTER INSERT OR UPDATE ON segments
  FOR EACH ROW EXECUTE FUNCTION segments_notify();
`
  },
  {
    // Version 3 is taken by the translate jobs (branch teamjobs); numbers only need to be unique and ordered.
    version: 4,
    name: 'sign-in attempts and invitations',
    sql: `
-- Every sign-in attempt, kept for throttling and lockout (per account and per address) and for review.
CREATE TABLE signin_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  email text NOT NULL,                   -- lower-cased, as typed (also for unknown accounts)
  address text NOT NULL,                 -- the client's address
  success boolean NOT NULL
);
CREATE INDEX signin_attempts_email ON signin_attempts (email, at);
CREATE INDEX signin_attempts_address ON signin_attempts (address, at);

-- One-time invitations to set a password; only a hash of the token is stored.
CREATE TABLE invitations (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX invitations_user ON invitations (user_id);

-- A segment's history is read by key prefix (<locale>/<slug>/): an index that serves LIKE 'prefix%' in any collation.
CREATE INDEX audit_entity_prefix ON audit (entity, entity_key text_pattern_ops, id);
`
  },
  {
    // Versions 3 and 4 are taken by the translate jobs (teamjobs) and sign-in (teamserve); numbers only need to be unique and ordered.
    version: 5,
    name: 'glossary concepts as rows',
    sql: `
-- The termbase as rows: one per concept, one per term, one per do-not-translate pattern. file and position
-- say where the entry sits in glossary/ (file relative to glossary/, index in its list), so that export
-- puts it back where it was; glossary_files keeps each file's text as imported, and a file none of whose
-- entries changed is written back as that text, byte for byte.
ALTER TABLE glossary_files
  ADD COLUMN changed boolean NOT NULL DEFAULT false,   -- an entry of this file was created, edited or deleted since import
  ADD COLUMN problems jsonb NOT NULL DEFAULT '[]';     -- entries of the file that could not be used, as the loader reports them

CREATE TABLE glossary_concepts (
  id text PRIMARY KEY,
  file text NOT NULL,
  position integer NOT NULL,
  domain text,
  definition text,
  note text,
  dnt boolean,
  retired boolean,
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX glossary_concepts_place ON glossary_concepts (file, position);

CREATE TABLE glossary_terms (
  concept_id text NOT NULL REFERENCES glossary_concepts ON DELETE CASCADE,
  language text NOT NULL,
  language_position integer NOT NULL,  -- order of the languages inside the concept
  position integer NOT NULL,           -- order of the terms inside the language
  text text NOT NULL,
  status text NOT NULL CHECK (status IN ('preferred', 'admitted', 'deprecated', 'forbidden')),
  type text,
  part_of_speech text,
  gender text,
  number text,
  case_sensitive boolean,
  note text,
  PRIMARY KEY (concept_id, language, position)
);
CREATE INDEX glossary_terms_text ON glossary_terms (language, lower(text));

CREATE TABLE glossary_patterns (
  id text PRIMARY KEY,
  file text NOT NULL,
  position integer NOT NULL,
  description text,
  pattern text NOT NULL,
  flags text
);

-- Audit export by date.
CREATE INDEX audit_at ON audit (at, id);
`
  },
  {
    // Self-contained: it creates its own tables and only widens the audit's list of entities.
    version: 6,
    name: 'post-editing rules as rows, pattern and rule audit',
    sql: `
-- Post-editing rules (glossary/rules/<name>.yaml, <name> a target locale or language): one set per file,
-- one row per rule in file order. The file's text stays in glossary_files as imported; a set none of whose
-- rules changed since import is exported as that text, byte for byte, a changed one is rendered from its rows.
CREATE TABLE postedit_rule_sets (
  name text PRIMARY KEY,                     -- the file name without .yaml: en, es, es-MX
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),  -- a save must name the revision it read
  changed boolean NOT NULL DEFAULT false,    -- edited since import: export renders the rows
  problems jsonb NOT NULL DEFAULT '[]',      -- rules of the imported file that could not be used (left out of the rows)
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE postedit_rules (
  name text NOT NULL REFERENCES postedit_rule_sets ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  id text NOT NULL,
  line integer NOT NULL,                     -- the rule's line in the file as imported or last rendered
  rule jsonb NOT NULL,                       -- the rule as its schema has it (stage, match or pattern, replace, note, example…)
  PRIMARY KEY (name, id),
  UNIQUE (name, position)
);

-- Do-not-translate patterns and post-editing rules get audit rows of their own.
ALTER TABLE audit DROP CONSTRAINT IF EXISTS audit_entity_check;
ALTER TABLE audit ADD CONSTRAINT audit_entity_check CHECK (entity IN ('segment', 'concept', 'user', 'file', 'pattern', 'rule'));
`
  },
  {
    // Self-contained too: it only adds columns and indexes to the sign-in tables of version 4.
    version: 7,
    name: 'account administration and sign-in housekeeping',
    sql: `
-- Last successful sign-in, for the admin page: sessions and sign-in attempts are pruned, so they cannot tell.
ALTER TABLE users ADD COLUMN last_signin_at timestamptz;
UPDATE users u SET last_signin_at = s.last FROM (SELECT user_id, max(created_at) AS last FROM sessions GROUP BY user_id) s WHERE s.user_id = u.id;

-- An invitation an administrator withdrew (the link stops working; the row stays for the record).
ALTER TABLE invitations ADD COLUMN revoked_at timestamptz;

-- Pruning finds dead sessions and old attempts by time.
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX signin_attempts_at ON signin_attempts (at);
`
  }
]
