const tf = require('@tensorflow/tfjs'); require('@tensorflow/tfjs-backend-wasm');
(async () => {
  await tf.setBackend('wasm'); await tf.ready();
  const x = tf.randomNormal([1,28,28,64]); const f = tf.randomNormal([1,1,64,64]);
  for (let i=0;i<3;i++) tf.tidy(()=>tf.conv2d(x,f,1,'same').dataSync());
  let t=Date.now(); for (let i=0;i<3000;i++) tf.tidy(()=>tf.conv2d(x,f,1,'same').dataSync()); console.log('conv1x1 small', Date.now()-t);
  const a = tf.randomNormal([256,256]); t=Date.now(); for (let i=0;i<300;i++) tf.tidy(()=>tf.matMul(a,a).dataSync()); console.log('matmul', Date.now()-t);
})();
