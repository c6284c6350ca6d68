import { describe, expect, it } from 'vitest'
import { formatLogArgs, inspect } from './format'

describe('inspect', () => {
  it('prints primitives like a console', () => {
    expect(inspect('hi')).toBe("'hi'")
    expect(inspect("it's")).toBe('"it\'s"')
    expect(inspect('a\nb')).toBe("'a\\nb'")
    expect(inspect(42)).toBe('42')
    expect(inspect(-0)).toBe('-0')
    expect(inspect(NaN)).toBe('NaN')
    expect(inspect(10n)).toBe('10n')
    expect(inspect(true)).toBe('true')
    expect(inspect(undefined)).toBe('undefined')
    expect(inspect(null)).toBe('null')
    expect(inspect(Symbol('s'))).toBe('Symbol(s)')
  })

  it('expands objects and arrays readably', () => {
    expect(inspect({ a: 1, b: 'x', c: [1, 2, { d: null }] })).toBe("{ a: 1, b: 'x', c: [ 1, 2, { d: null } ] }")
    expect(inspect([])).toBe('[]')
    expect(inspect({})).toBe('{}')
    expect(inspect({ 'needs quotes': 1, ok_key: 2 })).toBe("{ 'needs quotes': 1, ok_key: 2 }")
    expect(inspect({ [Symbol('k')]: 1 })).toBe('{ [Symbol(k)]: 1 }')
  })

  it('names class instances, Maps, Sets and functions', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    expect(inspect(new Point(1, 2))).toBe('Point { x: 1, y: 2 }')
    expect(inspect(new Map([['a', 1]]))).toBe("Map(1) { 'a' => 1 }")
    expect(inspect(new Set([1, 2]))).toBe('Set(2) { 1, 2 }')
    expect(inspect(function named() {})).toBe('[Function: named]')
    expect(inspect(() => {})).toBe('[Function (anonymous)]')
    expect(inspect(async function load() {})).toBe('[AsyncFunction: load]')
    expect(inspect(Point)).toBe('[class Point]')
    expect(inspect(Object.create(null))).toBe('[Object: null prototype] {}')
    expect(inspect(new Date(0))).toBe('1970-01-01T00:00:00.000Z')
    expect(inspect(/a+/g)).toBe('/a+/g')
    expect(inspect(new Uint8Array([1, 2]))).toBe('Uint8Array(2) [ 1, 2 ]')
  })

  it('marks circular references instead of following them', () => {
    const node: Record<string, unknown> = { name: 'root' }
    node.self = node
    expect(inspect(node)).toBe("{ name: 'root', self: [Circular] }")
    const list: unknown[] = [1]
    list.push(list)
    expect(inspect(list)).toBe('[ 1, [Circular] ]')
    // The same object twice (not a cycle) prints twice.
    const shared = { v: 1 }
    expect(inspect([shared, shared])).toBe('[ { v: 1 }, { v: 1 } ]')
  })

  it('limits depth, item count and string length', () => {
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } }
    expect(inspect(deep)).toContain('[Object]')
    const many = Array.from({ length: 150 }, (_, i) => i)
    const text = inspect(many)
    expect(text).toContain('... 50 more items')
    expect(text.split('\n').length).toBeLessThan(20) // short items are packed several per line
    expect(inspect({ s: 'x'.repeat(20) }, { maxStringLength: 5 })).toBe("{ s: 'xxxxx'... 15 more characters }")
    expect(inspect([1, , 3])).toBe('[ 1, <1 empty item>, 3 ]')
  })

  it('breaks long collections over lines with indentation', () => {
    const text = inspect({ first: 'a'.repeat(40), second: 'b'.repeat(40) })
    expect(text).toBe(`{\n  first: '${'a'.repeat(40)}',\n  second: '${'b'.repeat(40)}'\n}`)
  })

  it('shows accessors without calling them', () => {
    let called = false
    const value = {
      get secret() {
        called = true
        return 1
      },
    }
    expect(inspect(value)).toBe('{ secret: [Getter] }')
    expect(called).toBe(false)
  })

  it('survives objects that throw when inspected', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no')
        },
      },
    )
    expect(inspect(hostile)).toBe('[object (could not be inspected)]')
  })

  it('prints errors with their stack at the top level and briefly inside objects', () => {
    const error = new TypeError('bad thing')
    expect(inspect(error, { errorText: (e) => `E<${e.message}>` })).toBe('E<bad thing>')
    expect(inspect({ error })).toBe('{ error: [TypeError: bad thing] }')
  })
})

describe('formatLogArgs', () => {
  it('joins arguments with spaces, strings unquoted at the top level', () => {
    expect(formatLogArgs(['a', 1, { b: 'c' }, ['d']])).toBe("a 1 { b: 'c' } [ 'd' ]")
    expect(formatLogArgs([])).toBe('')
    expect(formatLogArgs([null, undefined])).toBe('null undefined')
  })

  it('applies printf-style substitutions', () => {
    expect(formatLogArgs(['%s is %d years', 'Ada', 36.5])).toBe('Ada is 36.5 years')
    expect(formatLogArgs(['%i%%', 99.9])).toBe('99%')
    expect(formatLogArgs(['%o', { a: 1 }])).toBe('{ a: 1 }')
    expect(formatLogArgs(['%cstyled', 'color: red'])).toBe('styled')
    expect(formatLogArgs(['%s and %s', 'one'])).toBe('one and %s')
    expect(formatLogArgs(['%s', 'x', 'extra', 2])).toBe('x extra 2')
    expect(formatLogArgs(['100%'])).toBe('100%')
  })
})
