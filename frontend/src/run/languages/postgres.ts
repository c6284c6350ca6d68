// SQL on PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly, single user, in memory).
// Loaded once per worker; every run starts from an empty database (what the previous run
// created is dropped first), its statements run one by one, in order, each result set
// printed as a table; an error names the failing statement and its line.

import { PGlite, types } from '@electric-sql/pglite'
import { countLibraryFetches } from '../assets'
import { errorText, type LoadContext, type Runtime } from '../runtime'
import { formatTable, splitStatements, type Cell } from '../sqlTable'

let pg: PGlite | null = null

// Values as PostgreSQL prints them (psql), except integers, which stay numbers.
const asText = (value: string) => value
const PARSERS = {
  [types.BOOL]: (value: string) => value,
  [types.INT8]: (value: string) => BigInt(value),
  [types.DATE]: asText,
  [types.TIMESTAMP]: asText,
  [types.TIMESTAMPTZ]: asText,
  [types.TIME]: asText,
  [types.TIMETZ]: asText,
  [types.INTERVAL]: asText,
  [types.JSON]: asText,
  [types.JSONB]: asText,
  [types.BYTEA]: asText,
}
const NUMERIC_TYPES = new Set<number>([types.INT2, types.INT4, types.INT8, types.FLOAT4, types.FLOAT8, types.NUMERIC, types.OID])

// Back to an empty database: whatever the last run left (a transaction, schemas, tables,
// roles, settings, prepared statements, temporary tables) goes.
const RESET = `
DO $pad$
DECLARE r record;
BEGIN
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP;
  FOR r IN SELECT rolname FROM pg_roles WHERE oid >= 16384 AND rolname <> current_user
  LOOP EXECUTE format('DROP OWNED BY %I CASCADE', r.rolname); EXECUTE format('DROP ROLE %I', r.rolname); END LOOP;
  CREATE SCHEMA public;
  GRANT ALL ON SCHEMA public TO PUBLIC;
END $pad$;
`

async function reset(db: PGlite) {
  if (db.isInTransaction()) await db.exec('ROLLBACK')
  await db.exec('RESET ALL')
  await db.exec('DISCARD ALL')
  await db.exec(RESET)
}

const runtime: Runtime = {
  async load(context: LoadContext) {
    countLibraryFetches(context, ['pglite.wasm', 'pglite.data', 'initdb.wasm'])
    const db = await PGlite.create({ parsers: PARSERS })
    context.progress('starting')
    const version = (await db.query<{ v: string }>("select split_part(version(), ' ', 2) as v")).rows[0]?.v
    pg = db
    return `PostgreSQL ${version ?? ''}`.trim()
  },

  async run(input, io) {
    const db = pg
    if (!db) throw new Error('PostgreSQL is not loaded.')
    await reset(db)
    io.started()
    for (const statement of splitStatements(input.code)) {
      try {
        const results = await db.exec(statement.sql, { rowMode: 'array' })
        for (const result of results) {
          if (!result.fields.length) continue
          const columns = result.fields.map((field) => field.name)
          const numeric = result.fields.map((field) => NUMERIC_TYPES.has(field.dataTypeID))
          io.write('stdout', `${formatTable(columns, result.rows as unknown as Cell[][], numeric)}\n`)
        }
      } catch (error) {
        const details = error as { position?: string | number; hint?: string; detail?: string }
        const position = Number(details.position)
        const line = statement.line + (position > 0 ? statement.sql.slice(0, position - 1).split('\n').length - 1 : 0)
        const message = errorText(error)
        let text = `ERROR:  ${message}\n`
        if (details.detail) text += `DETAIL:  ${details.detail}\n`
        if (details.hint) text += `HINT:  ${details.hint}\n`
        const shown = statement.sql.length > 300 ? `${statement.sql.slice(0, 300)}…` : statement.sql
        text += `in the statement at line ${statement.line}:\n${shown.replace(/^/gm, '  ')}\n`
        io.write('stderr', text)
        return { status: 'error', message: `ERROR: ${message} (line ${line})` }
      }
    }
    return { status: 'ok' }
  },
}
export default runtime
