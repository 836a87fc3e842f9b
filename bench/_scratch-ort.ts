import * as ort from "onnxruntime-node";
import { readFileSync } from "node:fs";
const bytes = readFileSync("models/visual-ccc-synthetic-v1.onnx");
async function trial(label: string, opts: ort.InferenceSession.SessionOptions, batch: number) {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ["cpu"], graphOptimizationLevel: "all", ...opts });
  const name = s.inputNames[0]!;
  const input = new ort.Tensor("float32", new Float32Array(batch * 256 * 256).fill(0.3), [batch, 1, 256, 256]);
  await s.run({ [name]: input });
  const n = 8;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await s.run({ [name]: input });
  const wall = (performance.now() - t0) / n / batch; const c = process.cpuUsage(c0);
  await new Promise((r) => setTimeout(r, 200));
  const c2 = process.cpuUsage(c0);
  console.log(`${label} batch ${batch}: wall ${wall.toFixed(1)} ms/img, cpu ${((c.user + c.system) / 1000 / n / batch).toFixed(1)} ms/img, cpu incl 200ms idle after ${((c2.user + c2.system - c.user - c.system) / 1000).toFixed(0)} ms`);
  await s.release();
}
async function main() {
  const s = await ort.InferenceSession.create(bytes);
  console.log(s.inputNames, s.outputNames, JSON.stringify((s as any).inputMetadata ?? ""));
  await s.release();
  for (const b of [1, 8]) {
    await trial("default", {}, b);
    await trial("intra1", { intraOpNumThreads: 1 }, b);
    await trial("intra2 nospin", { intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: "0" } } } }, b);
    await trial("intra1 nospin", { intraOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: "0" } } } }, b);
  }
}
main();
