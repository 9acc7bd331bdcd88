import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {checkOverwrite, writeFileAtomic} from '../core/files.js'
import {summarize} from '../core/graph/summarize.js'
import {PLOT_FORMATS, type PlotFormat, RANKDIRS, plotFormatOf, plotModel} from '../core/plot/index.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

/** `plot --json` result. */
export interface PlotResult {
  output: string
  format: PlotFormat
  /** Layer boxes drawn. */
  nodes: number
  /** Distinct edges drawn. */
  edges: number
}

export default class Plot extends KmodelCommand<PlotResult> {
  static override summary = 'Draw the layer graph as keras.utils.plot_model does, to an SVG, PNG or DOT file.'
  static override description = `One box per layer with its name and class, its input and output shapes (computed by kmodel's own shape engine), and on request its dtype, activation and trainable state; one arrow per connection, shared layers included. Nested models are one box, or with --expand-nested a dashed cluster of their own layers.
Graphviz and the PNG renderer run in-process (WebAssembly): no system Graphviz, pydot or Python is needed. The format comes from the --output extension (.svg, .png, .dot) unless --format is given.`
  static override examples = [
    {description: 'A picture of a saved architecture', command: '<%= config.bin %> <%= command.id %> model.json --output model.svg'},
    {description: 'Left to right, nested models opened up, as a PNG at 150 dpi', command: '<%= config.bin %> <%= command.id %> model.h5 --output model.png --rankdir LR --expand-nested --dpi 150'},
    {description: 'Graphviz source with dtypes and activations, for your own styling', command: '<%= config.bin %> <%= command.id %> model.keras --output model.dot --show-dtype --show-layer-activations'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    output: Flags.string({char: 'o', required: true, summary: 'Picture file to write (atomically): .svg, .png or .dot.'}),
    format: Flags.option({char: 'f', options: PLOT_FORMATS, summary: 'Picture format (default: from the --output extension).'})(),
    rankdir: Flags.option({options: RANKDIRS, default: 'TB' as const, summary: 'Direction of the graph: top to bottom, left to right, or reversed.'})(),
    'show-shapes': Flags.boolean({allowNo: true, default: true, summary: 'Show input and output shapes.'}),
    'show-dtype': Flags.boolean({default: false, summary: 'Show each layer\'s output dtype.'}),
    'show-layer-names': Flags.boolean({allowNo: true, default: true, summary: 'Show layer names (else only classes).'}),
    'show-layer-activations': Flags.boolean({default: false, summary: 'Show the activation of layers that have one.'}),
    'show-trainable': Flags.boolean({default: false, summary: 'Mark layers with weights as trainable or not.'}),
    'expand-nested': Flags.boolean({default: false, summary: 'Draw nested models as clusters of their layers.'}),
    dpi: Flags.integer({min: 24, max: 1200, default: 96, summary: 'Resolution of a PNG, in dots per inch.'}),
    force: forceFlag,
  }

  async run(): Promise<PlotResult> {
    const {args, flags} = await this.parse(Plot)
    const format = plotFormatOf(flags.output, flags.format)
    await checkOverwrite(flags.output, flags.force)
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const picture = await plotModel(read.model, summarize(read.model), {
      format, dpi: flags.dpi, rankdir: flags.rankdir, expandNested: flags['expand-nested'],
      showShapes: flags['show-shapes'], showDtype: flags['show-dtype'], showLayerNames: flags['show-layer-names'],
      showLayerActivations: flags['show-layer-activations'], showTrainable: flags['show-trainable'],
    })
    await writeFileAtomic(flags.output, picture.data, flags.force)
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output} (${format}: ${picture.nodes} layer boxes, ${picture.edges} edges).`)
    return {output: flags.output, format, nodes: picture.nodes, edges: picture.edges}
  }
}
