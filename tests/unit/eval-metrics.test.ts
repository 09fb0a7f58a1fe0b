import { evaluateOutputs, isAligned, lcsLength, mentionedAUs, OTHER_LABEL, porterStem, predictedEmotion, rougeL, rougeTokenize } from '../../pipelines/eval';

describe('Porter stemmer (NLTK default mode, as rouge_score uses it)', () => {
  test.each([
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'tie'], ['cats', 'cat'], ['caress', 'caress'],
    ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['motoring', 'motor'], ['sing', 'sing'],
    ['hopping', 'hop'], ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'],
    ['failing', 'fail'], ['filing', 'file'], ['happy', 'happi'], ['sky', 'sky'], ['skies', 'sky'], ['dying', 'die'],
    ['relational', 'relat'], ['conditional', 'condit'], ['generalization', 'gener'], ['happiness', 'happi'],
    ['sadness', 'sad'], ['raised', 'rais'], ['raise', 'rais'], ['cheeks', 'cheek'], ['corners', 'corner'],
    ['lowered', 'lower'], ['together', 'togeth'], ['indicate', 'indic'], ['parted', 'part'], ['pulled', 'pull'],
    ['surprise', 'surpris'], ['disgust', 'disgust'], ['tightened', 'tighten'], ['wrinkled', 'wrinkl'],
    ['spied', 'spi'], ['died', 'die'], ['running', 'run'], ['controlling', 'control'], ['roll', 'roll'],
    ['hopefulness', 'hope'], ['electrical', 'electr'], ['adjustment', 'adjust'], ['adoption', 'adopt'],
    ['is', 'is'], ['by', 'by'],
  ])('%s → %s', (word, stem) => expect(porterStem(word)).toBe(stem));
});

/** word:stem pairs produced by nltk 3.8 `PorterStemmer().stem` (a random sample of 22,130 words that all matched). */
const NLTK_SAMPLE =
  'abandoned:abandon accessible:access advance:advanc angulariti:angular annfile:annfil aode:aod applied:appli ' +
  'atlanta:atlanta atruevalue:atruevalu attrib:attrib ausgefeiltere:ausgefeilter basque:basqu belongs:belong ' +
  'bigrams:bigram blankline:blanklin bodies:bodi branching:branch brilltaggertrainer:brilltaggertrain ' +
  'brokenbarrier:brokenbarri bsymbolic:bsymbol builddate:builddat busy:busi bypasses:bypass bytestring:bytestr ' +
  'callousness:callous capturing:captur casing:case cathedral:cathedr ccgchartparser:ccgchartpars ' +
  'cgihttprequesthandler:cgihttprequesthandl changing:chang chunking:chunk classname:classnam clicked:click ' +
  'closehandle:closehandl collapses:collaps collapseunary:collapseunari company:compani complication:complic ' +
  'composing:compos conditionalexponentialclassifier:conditionalexponentialclassifi consideration:consider ' +
  'constantexpression:constantexpress constituent:constitu constructors:constructor consuming:consum ' +
  'copyrights:copyright coscurhevc:coscurhevc critique:critiqu currentframe:currentfram cursory:cursori ' +
  'customization:custom decidedly:decidedli declarations:declar decoration:decor delegation:deleg ' +
  'depicted:depict detached:detach disadvantages:disadvantag disagreement:disagr discourse:discours ' +
  'discussion:discuss distinctive:distinct docmodule:docmodul docnonempty:docnonempti docserver:docserv ' +
  'doctype:doctyp education:educ efforts:effort emie:emi empty:empti encodable:encod eremos:eremo ethed:eth ' +
  'evaluations:evalu examined:examin expectation:expect expresion:expres firmly:firmli fixing:fix fmts:fmt ' +
  'followers:follow fraction:fraction frees:free fully:fulli gaps:gap genesis:genesi getsize:getsiz ' +
  'getversion:getvers gliene:glien haar:haar hang:hang happily:happili heds:hed helder:helder ' +
  'historically:histor holy:holi hypothetical:hypothet incorporating:incorpor independently:independ ' +
  'injection:inject inning:inning inputrc:inputrc interpolations:interpol interrogates:interrog invoker:invok ' +
  'ioerror:ioerror isabs:isab issais:issai issons:isson itemframe:itemfram ivshikh:ivshikh knows:know ' +
  'laboris:labori lambdas:lambda land:land latn:latn libreadline:libreadlin likewise:likewis links:link ' +
  'literature:literatur lnaugage:lnaugag longrange:longrang loper:loper managers:manag modifications:modif ' +
  'modified:modifi monomorphic:monomorph monthrange:monthrang mosesdecoder:mosesdecod mutated:mutat mwes:mwe ' +
  'narrower:narrow newedge:newedg nlearned:nlearn nntpdataerror:nntpdataerror nonequal:nonequ ' +
  'nonexecutive:nonexecut normalised:normalis normalvariate:normalvari notions:notion nvaluation:nvaluat ' +
  'offensive:offens oooh:oooh operating:oper origline:origlin otoh:otoh paepcke:paepck parenth:parenth ' +
  'parentindex:parentindex partitioned:partit pathdirs:pathdir penalties:penalti perceived:perceiv ' +
  'permutated:permut pganssle:pganssl pharyngeal:pharyng picked:pick pidgin:pidgin pipelining:pipelin ' +
  'plaster:plaster platbase:platbas printunused:printunus produced:produc producer:produc profiler:profil ' +
  'profits:profit property:properti pruning:prune pycinvalidationmode:pycinvalidationmod quantities:quantiti ' +
  'randomizableclassifier:randomizableclassifi reciprocals:reciproc referents:refer regtype:regtyp reilly:reilli ' +
  'rejoin:rejoin renormalizing:renorm reptree:reptre require:requir resumptions:resumpt ridge:ridg ' +
  'rightwards:rightward science:scienc scientific:scientif selectbuttons:selectbutton semtrace:semtrac ' +
  'sensibiliti:sensibl serdictionary:serdictionari sesame:sesam sexprs:sexpr sharedmods:sharedmod simple:simpl ' +
  'simulation:simul situations:situat sized:size sizes:size sndr:sndr spurious:spuriou states:state ' +
  'storeconstaction:storeconstact streamproxy:streamproxi subtle:subtl supdupoutput:supdupoutput ' +
  'superabundance:superabund superfluous:superflu symbolic:symbol tabby:tabbi ' +
  'taggedcorpusreader:taggedcorpusread tagsets:tagset terminated:termin testtokens:testtoken tightly:tightli ' +
  'timefunc:timefunc titles:titl tobytes:tobyt tokenizer:token trains:train transitionparser:transitionpars ' +
  'transpositions:transposit treebankworddetokenizer:treebankworddetoken treesegmentwidget:treesegmentwidget ' +
  'tuning:tune tutorial:tutori twoone:twoon typedmaxentfeatureencoding:typedmaxentfeatureencod ' +
  'unclicking:unclick unconcatenated:unconcaten undeterministic:undeterminist unexpanded:unexpand ' +
  'unigramtagger:unigramtagg united:unit unobtainable:unobtain unquote:unquot unsigned:unsign ' +
  'unspecified:unspecifi updated:updat upon:upon urlopen:urlopen utilizes:util verified:verifi warapu:warapu ' +
  'wastes:wast weeks:week witten:witten xcorpusreader:xcorpusread xeetes:xeet xstatus:xstatu zipname:zipnam ' +
  'zlibmodule:zlibmodul';

test('Porter stemmer agrees with NLTK 3.8 on a sample of its outputs', () => {
  const pairs = NLTK_SAMPLE.trim().split(/\s+/).map((p) => p.split(':'));
  expect(pairs.length).toBe(250);
  const wrong = pairs.filter(([w, s]) => porterStem(w) !== s);
  expect(wrong).toEqual([]);
});

describe('ROUGE-L', () => {
  test('tokenisation: lower-case, punctuation and tags become separators, long tokens stemmed', () => {
    expect(rougeTokenize('<think>The cheeks are raised (AU6).</think>')).toEqual(['think', 'the', 'cheek', 'are', 'rais', 'au6', 'think']);
  });
  test('LCS', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    expect(lcsLength([], ['a'])).toBe(0);
  });
  test('identical text → 1; disjoint → 0; empty → 0', () => {
    const t = '<think>The cheeks are raised (AU6).</think><answer>happiness</answer>';
    expect(rougeL(t, t).fmeasure).toBe(1);
    expect(rougeL('alpha beta', 'gamma delta').fmeasure).toBe(0);
    expect(rougeL('', 'x').fmeasure).toBe(0);
  });
  test('LCS 5 of 6 target / 5 prediction tokens → F = 10/11', () => {
    const s = rougeL('the cat sat on the mat', 'the cat on the mat');
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(5 / 6, 12);
    expect(s.fmeasure).toBeCloseTo(10 / 11, 12);
  });
  test('rouge_score README example', () => {
    const s = rougeL('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.');
    expect(s.precision).toBeCloseTo(0.625, 6);
    expect(s.recall).toBeCloseTo(0.5555556, 6);
    expect(s.fmeasure).toBeCloseTo(0.5882353, 6);
  });
  test('stemming makes inflections match', () => {
    expect(rougeL('raised cheeks', 'raise cheek').fmeasure).toBe(1);
    expect(rougeL('raised cheeks', 'raise cheek', false).fmeasure).toBe(0);
  });
});

describe('parsing as the reference evaluation does', () => {
  test('first <answer>, first token; whole output without the tag', () => {
    expect(predictedEmotion('<answer> anger，sadness</answer><answer>fear</answer>')).toBe('anger');
    expect(predictedEmotion('<answer>happiness; sadness</answer>')).toBe('happiness');
    expect(predictedEmotion('fear is shown')).toBe('fear');
    expect(predictedEmotion('<answer> </answer>')).toBeNull();
    // Python's \s: U+001C separates, U+FEFF does not
    expect(predictedEmotion('<answer>fear\u001csadness</answer>')).toBe('fear');
    expect(predictedEmotion('<answer>fear\ufeff sadness</answer>')).toBe('fear\ufeff');
  });
  test('AUs of the first <think>, case-sensitive; whole output without the tag', () => {
    expect(mentionedAUs('<think>(AU12) (AU6) au9</think><think>AU1</think>')).toEqual(['AU6', 'AU12']);
    expect(mentionedAUs('AU4 and AU4')).toEqual(['AU4']);
    expect(mentionedAUs('<think>AU\u0664</think>')).toEqual(['AU\u0664']); // Python's \d matches any decimal digit
  });
});

describe('misalignment', () => {
  const E = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];
  test('answer is the best prototype match → aligned', () => {
    expect(isAligned('happiness', ['AU6', 'AU12'], E)).toBe(true);
    expect(isAligned('sadness', ['AU6', 'AU12'], E)).toBe(false);
  });
  test('ties are aligned; naming no AU fits neutral', () => {
    expect(isAligned('neutral', [], E)).toBe(true);
    expect(isAligned('anger', [], E)).toBe(false);
    expect(isAligned('anger', [], ['anger', 'happiness'])).toBe(true); // all Jaccards 0: a tie
    // AU1 + AU2: surprise {1,2,5,26} → 2/4, fear {1,2,4,5,7,20,26} → 2/7
    expect(isAligned('surprise', ['AU1', 'AU2'], E)).toBe(true);
    expect(isAligned('fear', ['AU1', 'AU2'], E)).toBe(false);
  });
  test('answers outside the judged emotions are not judged', () => {
    expect(isAligned('joy', ['AU6'], E)).toBeNull();
    expect(isAligned(null, ['AU6'], E)).toBeNull();
    expect(isAligned('contempt', ['AU14'], E)).toBeNull();
  });
});

describe('evaluateOutputs on a hand-computed case', () => {
  const happy = '<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>';
  const sad = '<think>The brows are lowered (AU4) and the lip corners are pulled down (AU15).</think><answer>sadness</answer>';
  const items = [
    { output: happy, gt: { emotion: 'happiness', aus: ['AU6', 'AU12'], description: happy } },
    { output: sad, gt: { emotion: 'sadness', aus: ['AU1', 'AU4', 'AU15'], description: sad } },
    { output: ' <think>The brows are lowered (AU4) (AU9).</think><answer>anger, sadness</answer>', gt: { emotion: 'sadness', aus: ['AU4'], description: '' } },
    { output: 'happiness', gt: { emotion: 'anger', aus: ['AU4', 'AU7'], description: 'zzz' } },
  ];
  const r = evaluateOutputs(items, ['happiness', 'sadness', 'anger']);

  test('emotion accuracy, macro-F1, confusion', () => {
    expect(r.n).toBe(4);
    expect(r.accuracy).toBe(0.5);
    // happiness 2/3, sadness 2/3, anger 0
    expect(r.macroF1).toBeCloseTo(4 / 9, 12);
    expect(r.confusion).toEqual({ labels: ['happiness', 'sadness', 'anger'], matrix: [[1, 0, 0], [0, 1, 1], [1, 0, 0]] });
  });
  test('AU F1 over the AUs of the GT', () => {
    expect(Object.keys(r.perAU)).toEqual(['AU1', 'AU4', 'AU6', 'AU7', 'AU12', 'AU15']);
    expect(r.perAU.AU4).toEqual({ f1: 0.8, support: 3 });
    expect(r.perAU.AU1).toEqual({ f1: 0, support: 1 });
    expect(r.perAU.AU6).toEqual({ f1: 1, support: 1 });
    expect(r.auF1Macro).toBeCloseTo(3.8 / 6, 12);
    expect(r.auF1Micro).toBeCloseTo(10 / 13, 12);
  });
  test('format, ROUGE-L, hallucination, misalignment', () => {
    expect(r.formatRate).toBe(0.5);
    expect(r.rougeL).toBeCloseTo(2 / 3, 12); // 1, 1, 0 over the three items with a description
    expect(r.hallucinatedAURate).toBeCloseTo(1 / 6, 12); // AU9 among 6 mentions
    expect(r.misalignedRate).toBe(0.25); // "anger" with AU4 + AU9 fits sadness better
  });
  test('predictions outside the label set get an (other) column', () => {
    const o = evaluateOutputs([{ output: '<think>x</think><answer>joy</answer>', gt: { emotion: 'happiness', aus: [], description: '' } }], ['happiness', 'sadness']);
    expect(o.confusion.labels).toEqual(['happiness', 'sadness', OTHER_LABEL]);
    expect(o.confusion.matrix).toEqual([[0, 0, 1], [0, 0, 0], [0, 0, 0]]);
    expect(o.accuracy).toBe(0);
    expect(o.macroF1).toBe(0);
    expect(o.auF1Macro).toBe(0);
    expect(o.auF1Micro).toBe(0);
    expect(o.perAU).toEqual({});
  });
  test('empty input gives zeros', () => {
    const e = evaluateOutputs([], ['happiness']);
    expect(e).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, formatRate: 0, rougeL: 0, hallucinatedAURate: 0, misalignedRate: 0 });
  });
});
