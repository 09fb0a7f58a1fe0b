/** Each engine's record against the field lists of training-engines.md §2, and the Facial-R1 prompt they share. */
import { FACIAL_R1_AU_NAMES } from '../../pipelines/facs/vocabulary';
import { FORMAT_REGEX } from '../../pipelines/facs/reasoning';
import {
  assistantTarget,
  easyR1Record,
  llamaFactoryDatasetInfo,
  llamaFactoryRecord,
  trlGrpoRecord,
  trlSftRecord,
  verlRow,
  type EngineRecord,
} from '../../pipelines/formats/engine-records';
import { DEFAULT_PROMPT_QUESTION, facialR1Prompt } from '../../pipelines/formats/prompt';

const EMOTIONS = ['anger', 'happiness', 'neutral'];
const rec: EngineRecord = {
  id: 'rafdb/train_00001',
  source: 'RAF-DB',
  prompt: facialR1Prompt('<image>What is the emotion of this face?', EMOTIONS),
  emotion: 'happiness',
  aus: ['AU12', 'AU6'],
  reasoning: '',
  image: 'images/ab/ab12.png',
  part: 'train',
  index: 3,
};

const imageTokens = (s: string) => s.split('<image>').length - 1;

describe('the Facial-R1 prompt', () => {
  test('question without <image>, the four sections, the vocabulary as the answer set, all 30 AU definitions', () => {
    const p = rec.prompt;
    expect(p.startsWith('### Question\nWhat is the emotion of this face?\n')).toBe(true);
    expect(imageTokens(p)).toBe(0);
    for (const h of ['### Requirements', '### AU Definition', '### Example']) expect(p).toContain(h);
    expect(p).toContain("a single word from ['anger', 'happiness', 'neutral']");
    for (const [au, name] of Object.entries(FACIAL_R1_AU_NAMES)) expect(p).toContain(`${au}: ${name};`);
    expect(facialR1Prompt(null, EMOTIONS)).toContain(`### Question\n${DEFAULT_PROMPT_QUESTION}\n`);
  });

  test('the SFT target: stored reasoning kept, plain text wrapped, none composed from the labels', () => {
    expect(assistantTarget({ ...rec, reasoning: '<think>x (AU6)</think><answer>happiness</answer>' })).toBe('<think>x (AU6)</think><answer>happiness</answer>');
    expect(assistantTarget({ ...rec, reasoning: 'cheeks up (AU6)' })).toBe('<think>cheeks up (AU6)</think><answer>happiness</answer>');
    const composed = assistantTarget(rec);
    expect(composed).toMatch(FORMAT_REGEX);
    expect(composed).toContain('(AU6)');
    expect(composed).toContain('(AU12)');
  });
});

describe('engine records (training-engines.md §2)', () => {
  test('LLaMA-Factory: messages (user with <image>, assistant) and images, one placeholder per image; dataset_info entry', () => {
    const r = llamaFactoryRecord(rec) as { messages: { role: string; content: string }[]; images: string[] };
    expect(Object.keys(r)).toEqual(['messages', 'images']);
    expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(r.messages.reduce((n, m) => n + imageTokens(m.content), 0)).toBe(r.images.length);
    expect(r.images).toEqual(['images/ab/ab12.png']);
    expect(r.messages[1].content).toMatch(FORMAT_REGEX);
    expect(llamaFactoryDatasetInfo('fea_train.json')).toEqual({
      file_name: 'fea_train.json',
      formatting: 'sharegpt',
      columns: { messages: 'messages', images: 'images' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
    });
  });

  test('TRL: SFT messages with typed parts and images; GRPO prompt-only with image, solution and AUs', () => {
    const sft = trlSftRecord(rec) as { messages: { role: string; content: { type: string; text?: string }[] }[]; images: string[] };
    expect(Object.keys(sft)).toEqual(['messages', 'images']);
    expect(sft.messages[0]).toEqual({ role: 'user', content: [{ type: 'image' }, { type: 'text', text: rec.prompt }] });
    expect(sft.messages[1].role).toBe('assistant');
    expect(sft.messages[1].content[0].text).toMatch(FORMAT_REGEX);
    expect(trlGrpoRecord(rec)).toEqual({ prompt: [sft.messages[0]], image: rec.image, solution: 'happiness', AUs: ['AU6', 'AU12'] });
  });

  test('verl: data_source, prompt, images, ability, reward_model.ground_truth, extra_info', () => {
    const r = verlRow(rec);
    expect(Object.keys(r)).toEqual(['data_source', 'prompt', 'images', 'ability', 'reward_model', 'extra_info']);
    expect(r.data_source).toBe('RAF-DB');
    expect(r.prompt).toEqual([{ role: 'user', content: `<image>${rec.prompt}` }]);
    expect(r.images).toEqual([{ image: rec.image }]);
    expect(r.reward_model).toEqual({ style: 'rule', ground_truth: 'happiness' });
    expect(r.extra_info).toEqual({ split: 'train', index: 3, id: rec.id, aus: ['AU6', 'AU12'], answer: '{"label":"happiness","aus":["AU6","AU12"]}' });
  });

  test('EasyR1: problem with <image>, answer packing emotion and AU set as JSON, images', () => {
    const r = easyR1Record(rec) as { problem: string; answer: string; images: string[] };
    expect(Object.keys(r)).toEqual(['problem', 'answer', 'images']);
    expect(imageTokens(r.problem)).toBe(1);
    expect(JSON.parse(r.answer)).toEqual({ label: 'happiness', aus: ['AU6', 'AU12'] });
    expect(r.images).toEqual([rec.image]);
  });
});
