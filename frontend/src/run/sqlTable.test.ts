import { describe, expect, it } from 'vitest'
import { formatTable, splitStatements } from './sqlTable'
import { StdinReader, StdinBytes } from './runtime'
import { isRunnableLanguage, runtimeFor, RUNTIMES, SERVER_RUNTIME } from './registry'

describe('formatTable', () => {
  it('prints a result set like psql: header, rule, rows, count', () => {
    expect(formatTable(['id', 'name'], [[1, 'Ada'], [22, null]])).toBe(' id | name\n----+------\n  1 | Ada\n 22 | NULL\n(2 rows)\n')
    expect(formatTable(['n'], [[1]])).toBe(' n\n---\n 1\n(1 row)\n')
    expect(formatTable(['x'], [])).toBe(' x\n---\n(0 rows)\n')
  })

  it('right-aligns numeric columns and shows big integers exactly', () => {
    expect(formatTable(['big'], [[2n ** 62n]])).toContain(' 4611686018427387904')
    expect(formatTable(['a', 'b'], [['1.50', 'x']], [true, false])).toBe('  a   | b\n------+---\n 1.50 | x\n(1 row)\n')
  })
})

describe('splitStatements', () => {
  it('splits at semicolons outside quotes, comments and dollar quotes, with lines', () => {
    const script = "select 1;\n-- a; comment\nselect 'a;b';\n/* x; */ create function f() returns int as $$ select 1; $$ language sql;\n\n  select 2"
    expect(splitStatements(script)).toEqual([
      { sql: 'select 1', line: 1 },
      { sql: "-- a; comment\nselect 'a;b'", line: 2 },
      { sql: '/* x; */ create function f() returns int as $$ select 1; $$ language sql', line: 4 },
      { sql: 'select 2', line: 6 },
    ])
    expect(splitStatements(' ;\n-- only a comment\n')).toEqual([])
  })
})

describe('standard input readers', () => {
  it('reads lines, then the rest, then ends', () => {
    const reader = new StdinReader('a\r\nb\nc')
    expect(reader.readLine()).toBe('a')
    expect(reader.readLine(true)).toBe('b\n')
    expect(reader.readAll()).toBe('c')
    expect(reader.readLine()).toBeNull()
    expect(reader.done).toBe(true)
  })

  it('reads bytes in chunks', () => {
    const bytes = new StdinBytes('héllo')
    expect(Array.from(bytes.read(2))).toEqual([104, 195])
    expect(bytes.read(100).length).toBe(4)
    expect(bytes.read(10).length).toBe(0)
  })
})

describe('registry', () => {
  it('registers each runnable language once', () => {
    const languages = RUNTIMES.flatMap((runtime) => runtime.languages)
    expect(new Set(languages).size).toBe(languages.length)
    expect(runtimeFor('cpp')?.id).toBe('clang')
    expect(runtimeFor('postgresql')?.id).toBe('postgres')
    expect(isRunnableLanguage('go')).toBe(false)
    for (const runtime of RUNTIMES) expect(runtime.where).toBe('browser')
    expect(languages.some((language) => SERVER_RUNTIME.languages.includes(language))).toBe(false)
  })
})
