// Result sets of the SQL runtimes as text tables, psql-style: a header, a rule, the rows
// (numbers right-aligned, NULL shown as NULL) and the row count. Also: splitting a SQL
// script into statements with their line numbers, for error reports.

export type Cell = string | number | bigint | boolean | null | undefined | Uint8Array | Date | object

function cellText(value: Cell): string {
  if (value === null || value === undefined) return 'NULL'
  if (value instanceof Uint8Array) return `x'${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}'`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value).replace(/\r?\n/g, '\\n')
}

function isNumeric(value: Cell): boolean {
  return typeof value === 'number' || typeof value === 'bigint'
}

/** Display width of a text (one column per code point: good enough for a monospace table). */
function width(text: string): number {
  let n = 0
  for (const _ of text) n += 1
  return n
}

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

export function rowCount(n: number): string {
  return `(${n} ${n === 1 ? 'row' : 'rows'})`
}

/** One result set as lines of text, ending with "(N rows)". */
export function formatTable(columns: readonly string[], rows: readonly (readonly Cell[])[], numericColumns?: readonly boolean[]): string {
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i])))
  const numeric = columns.map(
    (_, i) => numericColumns?.[i] ?? (rows.length > 0 && rows.every((row) => row[i] === null || row[i] === undefined || isNumeric(row[i]))),
  )
  const widths = columns.map((name, i) => Math.max(width(name), ...texts.map((row) => width(row[i]))))
  const line = (cells: string[], alignRight: boolean[]) => ` ${cells.map((cell, i) => pad(cell, widths[i], alignRight[i])).join(' | ')}`.trimEnd()
  const header = line(
    columns.map((name, i) => {
      const space = widths[i] - width(name)
      return ' '.repeat(Math.floor(space / 2)) + name
    }),
    columns.map(() => false),
  )
  const rule = widths.map((w) => '-'.repeat(w + 2)).join('+')
  const body = texts.map((row) => line(row, numeric))
  return [header, rule, ...body, rowCount(rows.length)].join('\n') + '\n'
}

export interface Statement {
  sql: string
  /** 1-based line of the statement's first non-blank character. */
  line: number
}

/**
 * A script split at the semicolons that end statements (not those inside quotes, comments
 * or dollar-quoted bodies); blank statements dropped.
 */
export function splitStatements(script: string): Statement[] {
  const statements: Statement[] = []
  let start = 0
  let i = 0
  const push = (end: number) => {
    const raw = script.slice(start, end)
    const lead = raw.length - raw.trimStart().length
    const sql = raw.trim()
    if (sql && !/^(--[^\n]*\n?\s*|\/\*[\s\S]*?\*\/\s*)*$/.test(sql + '\n')) {
      statements.push({ sql, line: script.slice(0, start + lead).split('\n').length })
    }
    start = end + 1
  }
  while (i < script.length) {
    const c = script[i]
    const next = script[i + 1]
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? script.length : end + 1
    } else if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? script.length : end + 2
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      while (j < script.length) {
        if (script[j] === c) {
          if (script[j + 1] === c) j += 2
          else break
        } else j += 1
      }
      i = j + 1
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))
      if (tag) {
        const end = script.indexOf(tag[0], i + tag[0].length)
        i = end === -1 ? script.length : end + tag[0].length
      } else i += 1
    } else if (c === ';') {
      push(i)
      i += 1
    } else i += 1
  }
  push(script.length)
  return statements
}

/** A failing statement for an error report: its line and its text, shortened. */
export function describeStatement(statement: Statement): string {
  const text = statement.sql.length > 300 ? `${statement.sql.slice(0, 300)}…` : statement.sql
  return `in the statement at line ${statement.line}:\n${text.replace(/^/gm, '  ')}`
}
