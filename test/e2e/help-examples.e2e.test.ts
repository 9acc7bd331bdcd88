/**
 * The issue-7 commands (summary with --flops and many files, diff, plot, weights export / import) each show a
 * summary, a description and examples in --help, at least one example with a long flag (STYLE.md), and the
 * --json flag.
 */
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'

describe('--help of the issue-7 commands', () => {
  it.each([
    [['summary'], ['--flops', '--jobs']],
    [['diff'], ['--weights-a']],
    [['plot'], ['--output', '--rankdir']],
    [['weights', 'export'], ['--output', '--keys']],
    [['weights', 'import'], ['--output', '--layout']],
  ])('%s: description, examples with long flags, --json', (command, exampleFlags) => {
    const run = kmodel([...command, '--help'])
    expect(run.code).toBe(0)
    const sections = run.stdout.split(/\n(?=[A-Z][A-Z ]+\n)/).map((s) => s.split('\n')[0])
    expect(sections).toEqual(expect.arrayContaining(['USAGE', 'DESCRIPTION', 'EXAMPLES']))
    const examples = run.stdout.slice(run.stdout.indexOf('\nEXAMPLES\n'))
    const lines = examples.split('\n').filter((l) => l.trimStart().startsWith(`$ kmodel ${command.join(' ')} `))
    expect(lines.length).toBeGreaterThanOrEqual(1)
    for (const flag of exampleFlags) expect(examples, flag).toContain(flag)
    expect(run.stdout).toMatch(/\n\s+--json\s/)
  })
})
