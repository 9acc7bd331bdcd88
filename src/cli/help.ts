/**
 * kmodel's help class (package.json oclif.helpClass): oclif's own, except that help for a command that does not
 * exist (`kmodel help summry`) is the same one line + suggestion + exit 2 as running it (hooks/command-not-found.ts),
 * not oclif's "Command summry not found." with its stack-style prefix.
 */
import {Help} from '@oclif/core'
import {reportUnknown, suggestCommand} from './hooks/command-not-found.js'

export default class KmodelHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    const words = argv.filter((a) => !a.startsWith('-'))
    const id = (n: number): string => words.slice(0, n).join(':')
    // The longest run of words that names a command (the rest are its arguments) or, in full, a topic.
    const command = words.some((_, i) => this.config.findCommand(id(words.length - i)) !== undefined)
    if (words.length === 0 || command || this.config.findTopic(id(words.length)) !== undefined) return super.showHelp(argv)
    reportUnknown(this.config.bin, suggestCommand(this.config, words.join(':')), argv.includes('--json'))
  }
}
