import { describe, expect, it } from 'vitest'
import { cleanErrorText, describeSyntaxError, describeThrown, locationFromParserMessage, userFrames, type SourceInfo } from './jsErrors'

const JS: SourceInfo = { fileName: 'main.js', lineCount: 3, exactColumns: true }
const TS: SourceInfo = { fileName: 'main.ts', lineCount: 3, exactColumns: false }

// A V8 stack as Chromium reports it for `(async()=>{function f(o){ return o.x.y }\nf({})\n\n})()`.
const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'y')",
  '    at f (main.js:1:38)',
  '    at Array.map (<anonymous>)',
  '    at eval (main.js:2:1)',
  '    at eval (main.js:4:3)',
  '    at eval (<anonymous>)',
  '    at run (http://127.0.0.1:8000/static/assets/jsWorker-abc.js:1:2000)',
].join('\n')

function errorWithStack(stack: string, name = 'TypeError', message = "Cannot read properties of undefined (reading 'y')"): Error {
  const error = new Error(message)
  error.name = name
  Object.defineProperty(error, 'stack', { value: stack })
  return error
}

describe('userFrames', () => {
  it("keeps the program's frames, drops the runner's, fixes line-1 columns", () => {
    const { frames, location } = userFrames(STACK, JS)
    expect(frames).toEqual(['at f (main.js:1:27)', 'at Array.map (<anonymous>)', 'at main.js:2:1'])
    expect(location).toEqual({ line: 1, column: 27 })
  })

  it('shows line numbers only after TypeScript was transpiled', () => {
    const stack = STACK.replaceAll('main.js', 'main.ts')
    expect(userFrames(stack, TS).frames).toEqual(['at f (main.ts:1)', 'at Array.map (<anonymous>)', 'at main.ts:2'])
  })
})

describe('describeThrown', () => {
  it('gives an Error its message, line and a clean trace', () => {
    const described = describeThrown(errorWithStack(STACK), JS)
    expect(described.summary).toBe("TypeError: Cannot read properties of undefined (reading 'y') (line 1)")
    expect(described.text).toBe(
      [
        "Uncaught TypeError: Cannot read properties of undefined (reading 'y')",
        '    at f (main.js:1:27)',
        '    at Array.map (<anonymous>)',
        '    at main.js:2:1',
      ].join('\n'),
    )
  })

  it('describes thrown values that are not Errors', () => {
    expect(describeThrown('oops', JS).text).toBe("Uncaught 'oops'")
    expect(describeThrown('oops', JS).summary).toContain("Uncaught 'oops'")
    expect(describeThrown({ code: 42 }, JS).text).toBe('Uncaught { code: 42 }')
    expect(describeThrown(null, JS).text).toBe('Uncaught null')
    expect(describeThrown(undefined, JS).text).toBe('Uncaught undefined')
  })

  it('copes with an error whose stack is missing', () => {
    const error = new RangeError('too far')
    Object.defineProperty(error, 'stack', { value: undefined })
    expect(describeThrown(error, JS).text).toBe('Uncaught RangeError: too far')
  })
})

describe('cleanErrorText', () => {
  it('is what console.error(error) prints', () => {
    expect(cleanErrorText(errorWithStack(STACK), JS)).toBe(
      [
        "TypeError: Cannot read properties of undefined (reading 'y')",
        '    at f (main.js:1:27)',
        '    at Array.map (<anonymous>)',
        '    at main.js:2:1',
      ].join('\n'),
    )
  })
})

describe('syntax errors', () => {
  it('read the position from the parser message', () => {
    expect(locationFromParserMessage('Unexpected token (2:5)')).toEqual({ line: 2, column: 5 })
    expect(locationFromParserMessage('Unexpected token')).toBeNull()
  })

  it('show the line with a caret under the column', () => {
    const code = 'const a = 1\nlet x = ;\n'
    const described = describeSyntaxError('Unexpected token (2:9)', code, { line: 2, column: 9 }, JS)
    expect(described.summary).toBe('SyntaxError: Unexpected token (line 2)')
    expect(described.text).toBe('SyntaxError: Unexpected token (main.js:2:9)\n\n> 2 | let x = ;\n    |         ^')
  })

  it('without a position still name the error', () => {
    const described = describeSyntaxError('SyntaxError: Cannot use import statement outside a module', 'import x from "y"', null, JS)
    expect(described.summary).toBe('SyntaxError: Cannot use import statement outside a module')
    expect(described.text).toContain('import and export are not available')
  })
})
