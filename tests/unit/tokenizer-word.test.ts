import { DEFAULT_AUS, DEFAULT_EMOTIONS, composeReasoning, answerContent, thinkAUs, hasValidFormat } from '../../pipelines/facs';
import { WordTokenizer, pretokenize } from '../../pipelines/tokenizer';

const SPEC_EXAMPLE =
  '<think>The cheeks are raised (AU6), the lip corners are pulled up (AU12) and the lips are parted (AU25); together these form a felt smile.</think><answer>happiness</answer>';
const COMPOSED = [
  composeReasoning('happiness', ['AU6', 'AU12', 'AU25']),
  composeReasoning('sadness', ['AU1', 'AU4', 'AU15', 'AU17']),
  composeReasoning('surprise', ['AU1', 'AU2', 'AU5', 'AU26']),
  composeReasoning('fear', ['AU1', 'AU2', 'AU4', 'AU5', 'AU7', 'AU20', 'AU26']),
  composeReasoning('anger', ['AU4', 'AU5', 'AU7', 'AU23']),
  composeReasoning('disgust', ['AU9', 'AU10']),
  composeReasoning('neutral', []),
  composeReasoning('contempt', ['AU14']),
  composeReasoning('anger', ['AU31']),
];
const MULTI_SENTENCE =
  '<think>The brows are lowered (AU4) and the lids are tightened (AU7). The lips are pressed (AU24): together these indicate anger.</think><answer>anger</answer>';
const CORPUS = [SPEC_EXAMPLE, ...COMPOSED, MULTI_SENTENCE];
const EMOTIONS = [...DEFAULT_EMOTIONS, 'contempt'];

describe('WordTokenizer', () => {
  const tok = WordTokenizer.build(CORPUS, { emotions: EMOTIONS });

  test('special tokens come first, tags and punctuation are single tokens', () => {
    expect(tok.vocab.slice(0, 4)).toEqual(['<pad>', '<bos>', '<eos>', '<unk>']);
    expect([tok.padId, tok.bosId, tok.eosId, tok.unkId]).toEqual([0, 1, 2, 3]);
    for (const t of ['<think>', '</think>', '<answer>', '</answer>', '(', ')', ',', ';', '.', ':']) {
      expect(tok.encode(t)).toEqual([tok.tokenToId(t)]);
      expect(tok.tokenToId(t)).not.toBe(tok.unkId);
    }
  });

  test('all 30 Facial-R1 AUs, plus AUs seen only in the corpus, are single upper-case tokens', () => {
    expect(DEFAULT_AUS).toHaveLength(30);
    for (const au of DEFAULT_AUS) {
      expect(tok.encode(au)).toEqual([tok.tokenToId(au)]);
      expect(tok.decode(tok.encode(au))).toBe(au);
    }
    const withExtra = WordTokenizer.build([...CORPUS, '<think>The head is turned (AU51) (AU06).</think><answer>neutral</answer>'], { emotions: EMOTIONS });
    expect(withExtra.has('AU51')).toBe(true);
    expect(withExtra.has('AU06')).toBe(true); // zero padding is kept: AU06 ≠ AU6 for the rewards
    expect(withExtra.encode('au12')).toEqual([withExtra.tokenToId('AU12')]);
    expect(tok.encode('AU51')).toEqual([tok.unkId]);
  });

  test('emotion words are single tokens even when the corpus never uses them', () => {
    const small = WordTokenizer.build([SPEC_EXAMPLE], { emotions: EMOTIONS, minFrequency: 5 });
    for (const e of EMOTIONS) expect(small.encode(e)).toEqual([small.tokenToId(e)]);
    expect(small.has('contempt')).toBe(true);
  });

  test('round trip of canonical texts is exact', () => {
    for (const text of CORPUS) expect(tok.decode(tok.encode(text))).toBe(text);
  });

  test('with <bos>/<eos> and padding the round trip still holds; decoding stops at <eos>', () => {
    const ids = [...tok.encode(SPEC_EXAMPLE, { bos: true, eos: true }), tok.padId, tok.padId];
    expect(ids[0]).toBe(tok.bosId);
    expect(tok.decode(ids)).toBe(SPEC_EXAMPLE);
    expect(tok.decode([...tok.encode('<think>a</think>'), tok.eosId, ...tok.encode('<answer>fear</answer>')])).toBe('<think>A</think>');
  });

  test('unknown words become <unk>, and AU set, answer and format survive', () => {
    const text = '<think>The zygomaticus flexes (AU6) and the lip corners are pulled up (AU12); together these indicate happiness.</think><answer>happiness</answer>';
    const ids = tok.encode(text);
    expect(ids.filter((i) => i === tok.unkId)).toHaveLength(2); // zygomaticus, flexes
    const back = tok.decode(ids);
    expect(back).toContain('<unk>');
    expect(hasValidFormat(back)).toBe(true);
    expect(answerContent(back)).toBe('happiness');
    expect([...thinkAUs(back)]).toEqual(['AU6', 'AU12']);
  });

  test('non-canonical spacing and case normalise to the canonical form', () => {
    const messy = '<think>the cheeks are raised ( AU6 ) ,  THE LIPS ARE PARTED(AU25) .</think><answer> happiness </answer>';
    expect(tok.decode(tok.encode(messy))).toBe('<think>The cheeks are raised (AU6), the lips are parted (AU25).</think><answer>happiness</answer>');
  });

  test('minimum frequency cut-off', () => {
    const cut = WordTokenizer.build(CORPUS, { emotions: EMOTIONS, minFrequency: 3 });
    expect(cut.vocabSize).toBeLessThan(tok.vocabSize);
    expect(cut.has('felt')).toBe(false); // once in the corpus
    expect(cut.has('the')).toBe(true);
    expect(cut.encode('felt')).toEqual([cut.unkId]);
  });

  test('toJSON / fromJSON give an identical tokenizer', () => {
    const copy = WordTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
    expect(copy.vocab).toEqual(tok.vocab);
    expect(copy.encode(MULTI_SENTENCE)).toEqual(tok.encode(MULTI_SENTENCE));
    expect(WordTokenizer.fromJSON(JSON.stringify(tok.toJSON())).vocabSize).toBe(tok.vocabSize);
    expect(() => WordTokenizer.fromJSON({ kind: 'other' } as never)).toThrow(/fea-word-tokenizer/);
  });

  test('the vocabulary is deterministic', () => {
    expect(WordTokenizer.build(CORPUS, { emotions: EMOTIONS }).vocab).toEqual(tok.vocab);
  });

  test('pretokenize keeps tags case-sensitive and splits punctuation', () => {
    expect(pretokenize('<THINK>Au4,x</think>')).toEqual(['<', 'think', '>', 'AU4', ',', 'x', '</think>']);
  });

  test('decode rejects ids outside the vocabulary', () => {
    expect(() => tok.decode([tok.vocabSize])).toThrow(/outside/);
  });
});
