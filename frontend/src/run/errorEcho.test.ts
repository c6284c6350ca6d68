import { describe, expect, it } from 'vitest'
import { findErrorEcho } from './errorEcho'

const traceback =
  'Traceback (most recent call last):\n  File "main.py", line 1, in <module>\n    name = input()\nEOFError: EOF when reading a line\nNote: the program read past the end of its input.\n'

describe('an error said once', () => {
  it('puts the message in place of the traceback line it repeats', () => {
    const echo = findErrorEcho(traceback, 'EOFError: EOF when reading a line (line 1)')
    expect(echo).not.toBeNull()
    expect(echo!.before.endsWith('    name = input()\n')).toBe(true)
    expect(echo!.after).toBe('\nNote: the program read past the end of its input.\n')
    const shown = echo!.before + 'EOFError: EOF when reading a line (line 1)' + echo!.after
    expect(shown.split('EOFError').length - 1).toBe(1)
  })

  it('matches the last occurrence and JavaScript\'s "Uncaught"', () => {
    const echo = findErrorEcho('Uncaught Error: boom\n    at main.js:1:7', 'Error: boom (line 1)')
    expect(echo).toEqual({ before: '', after: '\n    at main.js:1:7' })
  })

  it('leaves messages that say something new', () => {
    expect(findErrorEcho('some output\n', 'Time limit exceeded: stopped after 10 s.')).toBeNull()
    expect(findErrorEcho('', 'Stopped.')).toBeNull()
    expect(findErrorEcho(traceback, undefined)).toBeNull()
  })
})
