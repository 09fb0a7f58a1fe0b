/** The shapes of face-api's conv weights, as its nets hold them (`params`), for the fused nets that reuse them. */
import type { tf } from '../runtime/backend';

export interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export interface SeparableConvParams {
  depthwise_filter: tf.Tensor4D;
  pointwise_filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}
