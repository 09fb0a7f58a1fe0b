/** The expression features analysis stores for the policy, on a real photo (face-api, wasm). */
import * as fs from 'node:fs';
import { analyzeImage, prepareAnalyzer, type FaceAnalysis } from '../../pipelines/vision/analyze';
import {
  DEFAULT_EXPRESSION_VIEWS,
  decodeExpressionFeatures,
  EXPRESSION_FEATURE_DIM,
  EXPRESSION_NET_CLASSES,
  EXPRESSION_VIEWS,
  expressionNetOutputs,
  landmarkGeometry,
  mirrorGeometry,
} from '../../pipelines/vision/expression-features';
import { mapExpressions } from '../../pipelines/vision/expressions';
import { loadFaceApi } from '../../pipelines/vision/faceapi';
import { tf } from '../../pipelines/runtime/backend';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

jest.setTimeout(60_000);

function ok(r: Awaited<ReturnType<typeof analyzeImage>>): FaceAnalysis {
  if (!r.ok) throw new Error(`analysis failed: ${r.error}`);
  return r;
}

beforeAll(async () => {
  await prepareAnalyzer();
});

test('one pass gives the penultimate activations and exactly the probabilities face-api predicts', async () => {
  const { faceapi } = await loadFaceApi();
  const face = tf.tidy(() => tf.randomUniform([90, 80, 3], 0, 255, 'float32', 3) as tf.Tensor3D);
  const [out] = await expressionNetOutputs(faceapi, [face]);
  const ref = (await faceapi.nets.faceExpressionNet.predictExpressions(face as never)) as unknown as Record<string, number>;
  expect(out.penultimate).toHaveLength(256);
  EXPRESSION_NET_CLASSES.forEach((c, i) => expect(out.probabilities[i]).toBeCloseTo(ref[c], 6));
  // a batch gives each face what it gives alone
  const [a, b] = await expressionNetOutputs(faceapi, [face, face]);
  for (let i = 0; i < 256; i++) expect(b.penultimate[i]).toBeCloseTo(a.penultimate[i], 4);
  face.dispose();
});

test('astronaut.png: view 0 agrees with the expressions analysis reports; 4 views, the mirrored ones with mirrored geometry', async () => {
  const r = ok(await analyzeImage(fs.readFileSync(ASTRONAUT), { expressionViews: EXPRESSION_VIEWS.length, descriptor: false }));
  expect(r.expressionFeatures).toHaveLength(4);
  for (const v of r.expressionFeatures) expect(v).toHaveLength(EXPRESSION_FEATURE_DIM);
  const [v0, v1, v2, v3] = r.expressionFeatures.map(decodeExpressionFeatures);
  const probs = mapExpressions(Object.fromEntries(EXPRESSION_NET_CLASSES.map((c, i) => [c, v0.probabilities[i]])));
  expect(probs).toEqual(r.expressions);
  const g = landmarkGeometry(r.landmarks);
  // the reported landmarks are rounded to 0.1 px
  for (let i = 0; i < g.length; i++) expect(v0.geometry[i]).toBeCloseTo(g[i], 2);
  expect(v1.geometry).toEqual(mirrorGeometry(v0.geometry));
  expect(v2.geometry).toEqual(v0.geometry);
  expect(v3.geometry).toEqual(v1.geometry);
  // the smile survives the mirror, the rotation, the rescale and the relighting
  for (const v of [v1, v2, v3]) expect(v.probabilities[EXPRESSION_NET_CLASSES.indexOf('happy')]).toBeGreaterThan(0.8);
  expect(v1.penultimate).not.toEqual(v0.penultimate);
  // the default is the face and its mirror, the same vectors as when all four are asked for
  const byDefault = ok(await analyzeImage(fs.readFileSync(ASTRONAUT), { descriptor: false })).expressionFeatures;
  expect(byDefault).toHaveLength(DEFAULT_EXPRESSION_VIEWS);
  byDefault.forEach((v, k) => expect(v).toEqual(r.expressionFeatures[k]));
  expect(ok(await analyzeImage(fs.readFileSync(ASTRONAUT), { descriptor: false, expressionViews: 1 })).expressionFeatures).toHaveLength(1);
});
