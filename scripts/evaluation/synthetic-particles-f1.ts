/**
 * Object segmentation F1 on synthetic densely packed particles with instance ground truth, the
 * kind of scene the objects issue is about (TEM nanoparticles: dark, touching, noisy) and that no
 * public set in ../shared/data labels per particle. Complements object-segmentation-f1.ts (real
 * SEM, box ground truth) so that defaults are not chosen on one set alone.
 *
 * Scenes (deterministic, seeded): 512 x 512, a bright background with a gentle gradient, particles
 * (discs and ellipses of aspect up to 1.6, radius rMin..rMax px; two kinds inverted: bright
 * particles on dark) placed by random sequential
 * addition allowing centres down to `overlap` x the sum of radii (so they touch and overlap a
 * little), dark at 60-100 grey, optical blur (Gaussian sigma 1) and Gaussian noise of `noise`
 * grey levels. Ground truth: each pixel inside one or more particles belongs to the particle
 * whose centre is nearest (in units of its radius). Matching: predicted and true instances match
 * at mask IoU >= 0.5, greedy one-to-one by decreasing IoU; F1 pooled over 4 seeds per kind.
 *
 * Methods: the textbook recipe (told the particles' polarity) and segmentObjects with its defaults
 * (polarity found automatically), plus any `--params JSON`
 * overrides (several may be given, separated by ';').
 *
 *     npx tsx --conditions=react-server scripts/evaluation/synthetic-particles-f1.ts [--params '{"smoothSigma":2}']
 */
import type { GreyImage } from "~/core/analysis/raster";
import { segmentObjects } from "~/core/objects/segment-objects";
import { runMain, table } from "../../bench/report";
import { textbookRecipe, type LabelMap } from "./object-pipelines";

type Kind = {
  name: string;
  rMin: number;
  rMax: number;
  count: number;
  overlap: number;
  noise: number;
  /** Bright particles on a dark background (the grey values inverted), as in SEM. */
  bright?: boolean;
};

const KINDS: Kind[] = [
  { name: "small dense (r 4-8, noise 15)", rMin: 4, rMax: 8, count: 900, overlap: 0.85, noise: 15 },
  { name: "medium dense (r 8-16, noise 20)", rMin: 8, rMax: 16, count: 320, overlap: 0.8, noise: 20 },
  { name: "large dense (r 15-30, noise 25)", rMin: 15, rMax: 30, count: 110, overlap: 0.8, noise: 25 },
  { name: "mixed sparse (r 5-25, noise 20)", rMin: 5, rMax: 25, count: 90, overlap: 1.0, noise: 20 },
  { name: "tiny sparse (r 2-4, noise 10)", rMin: 2, rMax: 4, count: 400, overlap: 1.5, noise: 10 },
  { name: "bright medium dense (r 8-16)", rMin: 8, rMax: 16, count: 320, overlap: 0.8, noise: 20, bright: true },
  { name: "bright large dense (r 15-30)", rMin: 15, rMax: 30, count: 110, overlap: 0.8, noise: 25, bright: true },
];
const SIZE = 512;
const SEEDS = [1, 2, 3, 4];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

type Particle = { cx: number; cy: number; a: number; b: number; angle: number; grey: number };

function scene(kind: Kind, seed: number): { image: GreyImage; truth: LabelMap } {
  const rand = lcg(seed * 7919 + kind.rMin);
  const particles: Particle[] = [];
  for (let attempt = 0; attempt < kind.count * 30 && particles.length < kind.count; attempt++) {
    const r = kind.rMin + rand() * (kind.rMax - kind.rMin);
    const aspect = 1 + rand() * 0.6;
    const p = {
      cx: rand() * SIZE,
      cy: rand() * SIZE,
      a: r * Math.sqrt(aspect),
      b: r / Math.sqrt(aspect),
      angle: rand() * Math.PI,
      grey: 60 + rand() * 40,
    };
    const free = particles.every((q) => Math.hypot(p.cx - q.cx, p.cy - q.cy) >= kind.overlap * (p.b + q.b));
    if (free) particles.push(p);
  }
  const n = SIZE * SIZE;
  const truth = new Int32Array(n);
  const value = new Float64Array(n);
  const best = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) value[i] = 200 + (25 * ((i % SIZE) + Math.floor(i / SIZE))) / (2 * SIZE);
  particles.forEach((p, k) => {
    const cos = Math.cos(p.angle);
    const sin = Math.sin(p.angle);
    const reach = Math.ceil(p.a) + 1;
    for (let y = Math.max(0, Math.floor(p.cy - reach)); y < Math.min(SIZE, p.cy + reach); y++) {
      for (let x = Math.max(0, Math.floor(p.cx - reach)); x < Math.min(SIZE, p.cx + reach); x++) {
        const dx = x + 0.5 - p.cx;
        const dy = y + 0.5 - p.cy;
        const u = (dx * cos + dy * sin) / p.a;
        const v = (-dx * sin + dy * cos) / p.b;
        const d = u * u + v * v;
        if (d > 1) continue;
        const i = y * SIZE + x;
        value[i] = Math.min(value[i]!, p.grey);
        if (d < best[i]!) {
          best[i] = d;
          truth[i] = k + 1;
        }
      }
    }
  });
  const blurred = blur(value);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, Math.min(255, Math.round(blurred[i]! + kind.noise * gaussian(rand))));
    data[i] = kind.bright ? 255 - v : v;
  }
  return { image: { width: SIZE, height: SIZE, data }, truth: { labels: truth, count: particles.length } };
}

/** Separable Gaussian, sigma 1 (the optics), clamped borders. */
function blur(value: Float64Array): Float64Array {
  const k = [0.0044, 0.054, 0.242, 0.399, 0.242, 0.054, 0.0044];
  const pass = (src: Float64Array, dx: number, dy: number) => {
    const out = new Float64Array(src.length);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let acc = 0;
        for (let t = -3; t <= 3; t++) {
          const xx = Math.min(SIZE - 1, Math.max(0, x + t * dx));
          const yy = Math.min(SIZE - 1, Math.max(0, y + t * dy));
          acc += k[t + 3]! * src[yy * SIZE + xx]!;
        }
        out[y * SIZE + x] = acc;
      }
    }
    return out;
  };
  return pass(pass(value, 1, 0), 0, 1);
}

/** Matches at mask IoU >= 0.5: with IoU > 0.5 each true instance has at most one partner. */
function matches(pred: LabelMap, truth: LabelMap): number {
  const overlaps = new Map<number, number>();
  const predArea = new Int32Array(pred.count + 1);
  const truthArea = new Int32Array(truth.count + 1);
  for (let i = 0; i < pred.labels.length; i++) {
    const p = pred.labels[i]!;
    const t = truth.labels[i]!;
    predArea[p] = predArea[p]! + 1;
    truthArea[t] = truthArea[t]! + 1;
    if (p !== 0 && t !== 0) overlaps.set(p * (truth.count + 1) + t, (overlaps.get(p * (truth.count + 1) + t) ?? 0) + 1);
  }
  let tp = 0;
  for (const [key, inter] of overlaps) {
    const p = Math.floor(key / (truth.count + 1));
    const t = key % (truth.count + 1);
    if (inter / (predArea[p]! + truthArea[t]! - inter) >= 0.5) tp++;
  }
  return tp;
}

async function main(): Promise<number> {
  const i = process.argv.indexOf("--params");
  const overrides = i >= 0 ? process.argv[i + 1]!.split(";").map((p) => JSON.parse(p) as Record<string, unknown>) : [];
  const methods: { name: string; run: (image: GreyImage, kind: Kind) => LabelMap }[] = [
    // The textbook recipe is told which phase the particles are (as a person running it would be).
    {
      name: "textbook (told the polarity)",
      run: (image, kind) => textbookRecipe(image, { polarity: kind.bright ? "bright" : "dark" }),
    },
    { name: "segmentObjects", run: (image) => segmentObjects(image) },
    ...overrides.map((params) => ({
      name: JSON.stringify(params),
      run: (image: GreyImage) => segmentObjects(image, params),
    })),
  ];
  const rows: string[][] = [["scene", ...methods.map((m) => m.name)]];
  const totals = methods.map(() => ({ tp: 0, pred: 0, truth: 0 }));
  for (const kind of KINDS) {
    const counts = methods.map(() => ({ tp: 0, pred: 0, truth: 0 }));
    for (const seed of SEEDS) {
      const { image, truth } = scene(kind, seed);
      methods.forEach((m, k) => {
        const pred = m.run(image, kind);
        const c = counts[k]!;
        c.tp += matches(pred, truth);
        c.pred += pred.count;
        c.truth += truth.count;
      });
    }
    counts.forEach((c, k) => {
      totals[k]!.tp += c.tp;
      totals[k]!.pred += c.pred;
      totals[k]!.truth += c.truth;
    });
    rows.push([kind.name, ...counts.map((c) => f1(c).toFixed(3))]);
  }
  rows.push(["ALL (pooled)", ...totals.map((c) => f1(c).toFixed(3))]);
  console.log(`F1 at mask IoU >= 0.5, ${SEEDS.length} seeds per scene kind`);
  console.log(table(rows));
  return 0;
}

const f1 = (c: { tp: number; pred: number; truth: number }) => (2 * c.tp) / Math.max(1, c.pred + c.truth);

runMain(main);
