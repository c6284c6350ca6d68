// SQL on SQLite (sql.js: SQLite compiled to WebAssembly). Every run starts from a fresh
// in-memory database; the statements run in order and every result set is printed as a
// table. An error names the failing statement and its line.

import { runtimeAsset } from '../assets'
import { errorText, type LoadContext, type Runtime } from '../runtime'
import { formatTable, type Cell } from '../sqlTable'

interface SqlJsStatement {
  step(): boolean
  get(params?: null, config?: { useBigInt?: boolean }): Cell[]
  getColumnNames(): string[]
  getSQL(): string
  free(): void
}
interface SqlJsIterator extends Iterator<SqlJsStatement> {
  getRemainingSQL(): string
}
interface SqlJsDatabase {
  iterateStatements(sql: string): SqlJsIterator & Iterable<SqlJsStatement>
  getRowsModified(): number
  close(): void
}
interface SqlJs {
  Database: new () => SqlJsDatabase
}
type InitSqlJs = (options: { wasmBinary: ArrayBuffer }) => Promise<SqlJs>

let sql: SqlJs | null = null
let version = 'SQLite'

const runtime: Runtime = {
  async load(context: LoadContext) {
    const { base, files } = runtimeAsset('sqlite')
    const url = (name: string) => new URL(base + name, context.assetsBase)
    context.expect(files['sql-wasm-browser.js'] + files['sql-wasm-browser.wasm'])
    const [script, wasm] = await Promise.all([
      context.fetch(url('sql-wasm-browser.js'), files['sql-wasm-browser.js']).then((r) => r.text()),
      context.fetch(url('sql-wasm-browser.wasm'), files['sql-wasm-browser.wasm']).then((r) => r.arrayBuffer()),
    ])
    context.progress('starting')
    // A UMD script: evaluated at global scope it defines `initSqlJs`.
    ;(0, eval)(`${script}\n//# sourceURL=${url('sql-wasm-browser.js').pathname}`)
    const init = (globalThis as unknown as { initSqlJs: InitSqlJs }).initSqlJs
    sql = await init({ wasmBinary: wasm })
    const db = new sql.Database()
    for (const statement of db.iterateStatements('select sqlite_version()')) {
      statement.step()
      version = `SQLite ${String(statement.get()[0])}`
      statement.free()
    }
    db.close()
    return version
  },

  async run(input, io) {
    if (!sql) throw new Error('SQLite is not loaded.')
    const code = input.code
    const db = new sql.Database()
    io.started()
    let remaining = code
    try {
      const statements = db.iterateStatements(code)
      for (;;) {
        remaining = statements.getRemainingSQL()
        const next = statements.next()
        if (next.done) break
        const statement = next.value
        try {
          const columns = statement.getColumnNames()
          const rows: Cell[][] = []
          while (statement.step()) {
            if (columns.length > 0) rows.push(statement.get(null, { useBigInt: true }).map(safeInteger))
            if (!io.accepting('stdout')) break
          }
          if (columns.length > 0) io.write('stdout', `${formatTable(columns, rows)}\n`)
        } finally {
          statement.free()
        }
      }
      return { status: 'ok' }
    } catch (error) {
      const where = failingStatement(code, remaining)
      const message = errorText(error)
      io.write('stderr', `Error: ${message}\n${where.text}\n`)
      return { status: 'error', message: `${message} (line ${where.line})` }
    } finally {
      db.close()
    }
  },
}
export default runtime

/** Integers as numbers when they fit exactly, else as big integers (printed exactly either way). */
function safeInteger(value: Cell): Cell {
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value)
  return value
}

/** The statement that failed: the start of what was left to run, up to its end. */
function failingStatement(code: string, remaining: string): { line: number; text: string } {
  const offset = code.length - remaining.length
  const lead = remaining.length - remaining.trimStart().length
  const line = code.slice(0, offset + lead).split('\n').length
  const rest = remaining.trimStart()
  const end = rest.indexOf(';')
  let text = end === -1 ? rest : rest.slice(0, end + 1)
  if (text.length > 300) text = `${text.slice(0, 300)}…`
  return { line, text: `in the statement at line ${line}:\n${text.replace(/^/gm, '  ')}` }
}

