// `mnemoscope train --cell`: the option's choices are the trainable cells, and it reaches the
// train job's config (where a forget-gate bias with another cell is refused).
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerModel, trainConfig, type TrainOpts } from '../../../main/cli/commands/model';
import { TrainConfigRequestSchema } from '../../../shared/schemas/model';

function trainCommand(): Command {
  const program = new Command().exitOverride();
  registerModel(program);
  const train = program.commands.find((c) => c.name() === 'train');
  if (!train) throw new Error('no train command');
  train.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return train;
}

describe('train --cell', () => {
  it('puts the cell into the job config, with the recipe under it', () => {
    const cmd = trainCommand();
    cmd.parseOptions(['--cell', 'rnn-relu', '--recipe', 'verwimp2018', '--lr', '0.2']);
    const config = trainConfig(cmd.opts<TrainOpts>());
    expect(config).toEqual({ recipe: 'verwimp2018', cell: 'rnn-relu', learningRate: 0.2 });
    expect(TrainConfigRequestSchema.parse(config)).toMatchObject({ cell: 'rnn-relu', hiddenSize: 256, forgetBias: 0, learningRate: 0.2 });
  });

  it('offers lstm, gru, rnn-tanh and rnn-relu only, and a forget-gate bias with a GRU is refused by the job config', () => {
    expect(() => trainCommand().parseOptions(['--cell', 'gru-classic'])).toThrow(
      /argument 'gru-classic' is invalid\. Allowed choices are lstm, gru, rnn-tanh, rnn-relu/,
    );
    const cmd = trainCommand();
    cmd.parseOptions(['--cell', 'gru', '--forget-bias', '1']);
    const r = TrainConfigRequestSchema.safeParse(trainConfig(cmd.opts<TrainOpts>()));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/applies to LSTM cells only/);
  });
});
