/** face-api's input preparation for its face nets, shared by the landmark, expression and recognition passes. */
import { tf } from '../runtime/backend';

/**
 * face-api's toBatchTensor(size, true): zero-pad the shorter side to a square, centred (the extra pixel after),
 * then resize (bilinear) to size × size. A [1, size, size, 3] float batch of 0–255 pixels.
 */
export function centredSquareBatch(face: tf.Tensor3D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, w] = face.shape;
    let x = face.dtype === 'float32' ? face : tf.cast(face, 'float32');
    const diff = Math.abs(h - w);
    if (diff > 0) {
      const after = Math.round(diff * 0.5);
      const before = diff - after;
      x = h > w ? tf.pad(x, [[0, 0], [before, after], [0, 0]]) : tf.pad(x, [[before, after], [0, 0], [0, 0]]);
    }
    let b = tf.expandDims(x, 0) as tf.Tensor4D;
    if (b.shape[1] !== size || b.shape[2] !== size) b = tf.image.resizeBilinear(b, [size, size], false, false);
    return b;
  });
}

/** (x − mean) / 255 per RGB channel, as face-api normalises its face nets' input. */
export function normalized(batch: tf.Tensor4D, meanRgb: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.sub(batch, tf.tensor1d(meanRgb as number[])), 255) as tf.Tensor4D);
}
