/**
 * The issue-7 commands (summary with --flops and many files, diff, plot, weights export / import) each show a
 * summary, a description and examples in --help, at least one example with a long flag (STYLE.md), and the
 * --json flag. Then what every oclif CLI does (#15): `help`, `help COMMAND`, `-h`; a mistyped command names the
 * closest one without waiting for an answer when stdin is not a terminal; a bad flag value is a usage error
 * (exit 2, one line and a hint) in every command; `--color` forces colour, `--no-color` wins.
 */
import {spawn, spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {ROOT, announceSkip, fixture} from '../helpers/paths.js'

describe('--help of the issue-7 commands', () => {
  it.each([
    [['summary'], ['--flops', '--jobs']],
    [['diff'], ['--weights-a']],
    [['plot'], ['--output', '--rankdir']],
    [['weights', 'export'], ['--output', '--keys']],
    [['weights', 'import'], ['--output', '--order']],
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

describe('help, typos and usage errors as in every oclif CLI', () => {
  it('kmodel help, kmodel --help: the commands; kmodel help summary, summary -h, summary --help: the same page', () => {
    for (const args of [['help'], ['--help']]) {
      const run = kmodel(args)
      expect(run.code, args.join(' ')).toBe(0)
      expect(run.stdout).toContain('$ kmodel [COMMAND]')
      expect(run.stdout).toMatch(/\n {2}summary +Show the model as model\.summary\(\) would/)
    }
    const pages = [['help', 'summary'], ['summary', '-h'], ['summary', '--help']].map((args) => kmodel(args))
    for (const page of pages) {
      expect(page.code).toBe(0)
      expect(page.stdout).toContain('$ kmodel summary MODEL...')
    }
    expect(pages[1]?.stdout).toBe(pages[0]?.stdout)
    expect(pages[2]?.stdout).toBe(pages[0]?.stdout)
    const topic = kmodel(['help', 'weights', 'export'])
    expect(topic.code).toBe(0)
    expect(topic.stdout).toContain('$ kmodel weights export MODEL')
  })

  it.each([
    [['summry', 'model.json'], 'summry', 'kmodel summary'],
    [['to-jsn', 'model.json', '--indent', '2'], 'to-jsn', 'kmodel to-json'],
    [['wieghts', 'exprot', 'model.h5', '-o', 'w.npz'], 'wieghts exprot', 'kmodel weights export'],
  ])('%j names the closest command, exit 2, without waiting for an answer (stdin is not a terminal)', (args, typed, meant) => {
    const run = kmodel(args)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`Error: '${typed}' is not a kmodel command. (KM_USAGE_UNKNOWN_COMMAND)\nHint: Did you mean '${meant}'? Run 'kmodel help' for the list of commands.\n`)
  })

  it.each([
    [['help', 'summry'], 'summry', "Did you mean 'kmodel summary'? "],
    [['help', 'weights', 'shw'], 'weights shw', "Did you mean 'kmodel weights show'? "],
    [['help', 'frobnicate'], 'frobnicate', ''],
  ])('%j: help for a command that does not exist says so as running it does (exit 2)', (args, typed, meant) => {
    const run = kmodel(args)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`Error: '${typed}' is not a kmodel command. (KM_USAGE_UNKNOWN_COMMAND)\nHint: ${meant}Run 'kmodel help' for the list of commands.\n`)
  })

  it('help of a command given with its arguments, and of a topic, still shows the page', () => {
    expect(kmodel(['help', 'summary', 'model.json']).stdout).toContain('$ kmodel summary MODEL...')
    const topic = kmodel(['help', 'weights'])
    expect(topic.code).toBe(0)
    expect(topic.stdout).toContain('$ kmodel weights COMMAND')
  })

  it('a word close to no command: the list of commands as the hint; --json: the error envelope', () => {
    const run = kmodel(['frobnicate'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe("Error: 'frobnicate' is not a kmodel command. (KM_USAGE_UNKNOWN_COMMAND)\nHint: Run 'kmodel help' for the list of commands.\n")
    const json = kmodel(['summry', 'm.json', '--json'])
    expect(json.code).toBe(2)
    expect(json.json).toEqual({status: 2, error: {code: 'KM_USAGE_UNKNOWN_COMMAND', name: 'UsageError', message: "'summry' is not a kmodel command.", hint: "Did you mean 'kmodel summary'? Run 'kmodel help' for the list of commands."}, warnings: []})
  })

  const model = fixture('mlp-tfkeras212.json')
  it.each([
    [['summary', model, '--line-length', 'abc'], '--line-length: Expected an integer but received: abc', 'summary'],
    [['to-json', model, '--indent', '-5'], '--indent: Expected an integer greater than or equal to 0 but received: -5', 'to-json'],
    [['predict', model, '--x', 'x.npy', '-o', 'y.npy', '--batch-size', 'abc'], '--batch-size: Expected an integer but received: abc', 'predict'],
    [['train', model, '--x', 'x.npy', '--y', 'y.npy', '-o', 'w.h5', '--epochs', '1.5'], '--epochs: Expected an integer but received: 1.5', 'train'],
    [['summary', model, '--format', 'bogus'], 'Expected --format=bogus to be one of: table, keras, json', 'summary'],
    [['weights', 'export', model, '-o', 'w.npz', '--keys', 'bogus'], 'Expected --keys=bogus to be one of: index, names', 'weights export'],
    [['summary', model, '--bogus'], 'Nonexistent flag: --bogus', 'summary'],
    [['to-yaml'], 'Missing 1 required arg: MODEL.', 'to-yaml'],
    [['diff'], 'Missing 2 required args: A, B.', 'diff'],
    [['plot', model], 'Missing required flag --output', 'plot'],
    [['summary', model, model, '--weights', 'w.h5'], '--weights settles the counts of one model: give exactly one MODEL file with it.', 'summary'],
  ])('%j: exit 2 (usage), one line and a hint, nothing on stdout', (args, message, command) => {
    const run = kmodel(args)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`Error: ${message} (KM_USAGE)\nHint: Run 'kmodel ${command} --help' for its flags, arguments and examples.\n`)
    const json = kmodel([...args, '--json'])
    expect(json.code).toBe(2)
    expect(json.json?.error).toMatchObject({code: 'KM_USAGE', message: message.replace(/ \(KM_USAGE\)$/, ''), hint: `Run 'kmodel ${command} --help' for its flags, arguments and examples.`})
  })
})

describe('--color', () => {
  const ESC = '\u001B['
  const model = fixture('siamese-tfkeras212.json')
  /** Spawns the CLI with exactly this colour environment (stdout is a pipe). */
  function run(args: string[], env: Record<string, string>): string {
    const base = {...process.env}
    for (const name of ['NO_COLOR', 'FORCE_COLOR']) delete base[name]
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'summary', model, ...args], {encoding: 'utf8', env: {...base, DEBUG: '', ...env}})
    expect(res.status, res.stderr).toBe(0)
    return res.stdout
  }

  it.each([
    [[], {}, false],
    [['--color'], {}, true],
    [['--color'], {NO_COLOR: '1'}, true],
    [[], {FORCE_COLOR: '1'}, true],
    [[], {FORCE_COLOR: '0'}, false],
    [['--no-color'], {FORCE_COLOR: '1'}, false],
    [['--color', '--no-color'], {}, false],
    [['--no-color', '--color'], {}, false],
    [['--color', '--json'], {}, false],
  ])('%j with %j through a pipe: colour %s', (args, env, coloured) => {
    const out = run(args as string[], env as Record<string, string>)
    expect(out.includes(ESC)).toBe(coloured)
    expect(out.replaceAll(/\u001B\[[0-9;]*m/g, '')).toContain(args.includes('--json') ? '"totalParams": 221' : 'Total params: 221 (884.00 B)')
  })
})

describe('a mistyped command in a terminal', () => {
  const haveScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0
  if (!haveScript) announceSkip('help-examples: terminal prompt', 'util-linux `script` (a pseudo-terminal) is not installed')

  /** Runs the CLI in a pseudo-terminal (util-linux `script`), answers `answer` once the prompt shows, returns all output. */
  async function inTerminal(args: string[], answer: string): Promise<string> {
    const command = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-qec', `${command}; echo "exit=$?"`, '/dev/null'], {env: {...process.env, NO_COLOR: '1', DEBUG: ''}})
    let out = ''
    let answered = false
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      if (!answered && out.includes('Did you mean')) {
        answered = true
        child.stdin.write(answer)
      }
    })
    await new Promise((resolve) => child.on('close', resolve))
    return out
  }

  it.skipIf(!haveScript)('asks "Did you mean summary?" (plugin-not-found) and runs it on yes; on no: a hint, exit 2', async () => {
    const yes = await inTerminal(['summry', fixture('mlp-tfkeras212.json')], 'y\r')
    expect(yes).toContain('summry is not a kmodel command.')
    expect(yes).toMatch(/Did you mean .*summary/)
    expect(yes).toContain('Total params: 235,146')
    expect(yes).toContain('exit=0')
    const no = await inTerminal(['summry', 'x'], 'n\r')
    expect(no).toContain("Hint: Run 'kmodel help' for the list of commands.")
    expect(no).toContain('exit=2')
  }, 60_000)
})
