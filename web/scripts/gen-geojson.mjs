// Generates the schematic GeoJSON of the demo city 江州市 (web/public/geo/jiangzhou.json): its eight
// districts and counties (the demo uses the first 6–8 of them, depending on the seed) and every street
// (街道/乡镇) the demo generator can create (src/demo/city.ts), with the real region codes.
// The shapes are invented but plausible: a power diagram of hand-placed seats inside an irregular city
// outline, borders roughened deterministically so neighbours share them exactly.
// Run: node web/scripts/gen-geojson.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '..', 'public', 'geo', 'jiangzhou.json');

// Deterministic noise from a string.
function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 4294967296;
}
function rng(seed) {
  let x = Math.floor(hash(seed) * 2 ** 31) || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

// District seats (lon, lat), weights (larger = bigger cell), and the streets in generator order.
const DISTRICTS = [
  { code: '361202', name: '清江区', seat: [116.02, 28.0], w: 0.0, streets: ['府前街道', '中山街道', '滨江街道', '解放街道', '文昌街道', '南门街道', '北门街道', '青云街道', '大桥街道', '白沙街道'] },
  { code: '361203', name: '湖滨区', seat: [116.16, 27.93], w: 0.004, streets: ['望湖街道', '南湖街道', '湖东街道', '枫林街道', '建设街道', '新华街道', '长青街道', '荷塘街道', '湖山镇', '莲塘镇'] },
  { code: '361204', name: '江北区', seat: [116.05, 28.13], w: 0.006, streets: ['江北街道', '新城街道', '高新街道', '港口街道', '双港街道', '沿江街道', '樟树镇', '罗家镇', '渡口镇'] },
  { code: '361221', name: '临川县', seat: [115.68, 27.92], w: 0.06, streets: ['城关镇', '石桥镇', '梅岭镇', '柳溪镇', '白马镇', '龙口镇', '三江镇', '高坪镇', '黄坪乡', '杨柳乡'] },
  { code: '361222', name: '青溪县', seat: [116.45, 28.02], w: 0.05, streets: ['青溪镇', '双溪镇', '桃花镇', '新田镇', '花园镇', '高桥镇', '青石镇', '茶园乡', '溪口乡'] },
  { code: '361281', name: '云岭市', seat: [116.06, 27.62], w: 0.07, streets: ['云山街道', '岭南街道', '城北街道', '东城街道', '松湖镇', '龙泉镇', '太平镇', '官庄镇', '古城镇', '枫树乡'] },
  { code: '361223', name: '石门县', seat: [115.72, 28.32], w: 0.05, streets: ['城关镇', '官桥镇', '石鼓镇', '清水镇', '长岗镇', '大塘镇', '水口乡', '上坪乡', '金竹乡'] },
  { code: '361224', name: '宁川县', seat: [116.38, 28.36], w: 0.05, streets: ['宁川镇', '河口镇', '塘湾镇', '平安镇', '石塘镇', '永兴镇', '观音乡', '白云乡'] },
];

// The city outline: an irregular ring around the centre.
function outline() {
  const c = [116.03, 27.98];
  const r = rng('outline');
  const pts = [];
  const n = 44;
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    const rx = 0.6 + 0.08 * Math.sin(3 * a + 0.7) + 0.05 * (r() - 0.5);
    const ry = 0.5 + 0.06 * Math.cos(2 * a + 0.3) + 0.05 * (r() - 0.5);
    pts.push([c[0] + rx * Math.cos(a), c[1] + ry * Math.sin(a)]);
  }
  return pts;
}

// Keep the side of the line a·p <= b (Sutherland–Hodgman against one half-plane).
function clip(poly, a, b) {
  const out = [];
  const inside = (p) => a[0] * p[0] + a[1] * p[1] <= b + 1e-12;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i];
    const q = poly[(i + 1) % poly.length];
    const pin = inside(p);
    const qin = inside(q);
    if (pin) out.push(p);
    if (pin !== qin) {
      const dp = a[0] * p[0] + a[1] * p[1] - b;
      const dq = a[0] * q[0] + a[1] * q[1] - b;
      const t = dp / (dp - dq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

// Power-diagram cell of seed i inside `region`.
function cell(region, seeds, i) {
  let poly = region;
  const [pi, wi] = seeds[i];
  for (let j = 0; j < seeds.length; j++) {
    if (j === i) continue;
    const [pj, wj] = seeds[j];
    const a = [2 * (pj[0] - pi[0]), 2 * (pj[1] - pi[1])];
    const b = pj[0] ** 2 + pj[1] ** 2 - pi[0] ** 2 - pi[1] ** 2 - wj + wi;
    poly = clip(poly, a, b);
    if (poly.length < 3) return poly;
  }
  return poly;
}

const key = (p) => `${p[0].toFixed(5)},${p[1].toFixed(5)}`;

// Roughen every edge: the same displaced midpoints for the same edge, whichever polygon owns it.
function roughen(poly, depth = 2, amp = 0.18) {
  let pts = poly;
  for (let d = 0; d < depth; d++) {
    const next = [];
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i];
      const q = pts[(i + 1) % pts.length];
      next.push(p);
      const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
      if (len < 0.01) continue;
      const [k1, k2] = [key(p), key(q)].sort();
      const s = (hash(`${k1}|${k2}`) - 0.5) * 2 * amp * len;
      // The normal of the edge taken in its canonical direction, so both owners move the same way.
      const [a, b] = k1 === key(p) ? [p, q] : [q, p];
      const nx = -(b[1] - a[1]) / len;
      const ny = (b[0] - a[0]) / len;
      next.push([(p[0] + q[0]) / 2 + nx * s, (p[1] + q[1]) / 2 + ny * s]);
    }
    pts = next;
  }
  return pts;
}

function centroid(poly) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i];
    const [x1, y1] = poly[(i + 1) % poly.length];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  a /= 2;
  return [cx / (6 * a), cy / (6 * a)];
}

function ring(poly) {
  const r = poly.map(([x, y]) => [Number(x.toFixed(4)), Number(y.toFixed(4))]);
  // GeoJSON: counter-clockwise exterior, closed.
  let area = 0;
  for (let i = 0; i < r.length; i++) area += r[i][0] * r[(i + 1) % r.length][1] - r[(i + 1) % r.length][0] * r[i][1];
  if (area < 0) r.reverse();
  r.push(r[0]);
  return r;
}

const city = roughen(outline(), 1, 0.12);
const districtSeeds = DISTRICTS.map((d) => [d.seat, d.w]);
const features = [];
for (let i = 0; i < DISTRICTS.length; i++) {
  const d = DISTRICTS[i];
  const raw = cell(city, districtSeeds, i);
  const poly = roughen(raw, 2, 0.14);
  const c = centroid(poly);
  features.push({ type: 'Feature', properties: { code: d.code, name: d.name, level: 'county', parent: '361200', cp: [Number(c[0].toFixed(4)), Number(c[1].toFixed(4))] }, geometry: { type: 'Polygon', coordinates: [ring(poly)] } });

  // Streets: seat at the district seat, the others on a spiral around it, sized by order.
  const r = rng(`streets:${d.code}`);
  const minX = Math.min(...poly.map((p) => p[0]));
  const maxX = Math.max(...poly.map((p) => p[0]));
  const minY = Math.min(...poly.map((p) => p[1]));
  const maxY = Math.max(...poly.map((p) => p[1]));
  const span = Math.min(maxX - minX, maxY - minY);
  const seeds = d.streets.map((_, k) => {
    if (k === 0) return [[d.seat[0] * 0.6 + c[0] * 0.4, d.seat[1] * 0.6 + c[1] * 0.4], 0];
    const ang = k * 2.399 + r() * 0.5;
    const rad = span * (0.12 + 0.36 * Math.sqrt(k / d.streets.length)) * (0.85 + 0.3 * r());
    return [[c[0] + rad * Math.cos(ang), c[1] + rad * Math.sin(ang)], 0];
  });
  d.streets.forEach((name, k) => {
    let sp = cell(poly, seeds, k);
    if (sp.length < 3) return;
    const sc = centroid(sp);
    features.push({
      type: 'Feature',
      properties: { code: `${d.code}${String(k + 1).padStart(3, '0')}`, name, level: 'township', parent: d.code, cp: [Number(sc[0].toFixed(4)), Number(sc[1].toFixed(4))] },
      geometry: { type: 'Polygon', coordinates: [ring(sp)] },
    });
  });
}

const geo = { type: 'FeatureCollection', name: '江州市(示意)', properties: { note: 'Schematic map of the MinBiao demo city; shapes are invented, codes are the demo region codes.' }, features };
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify(geo));
console.log(`wrote ${OUT}: ${features.length} features, ${fs.statSync(OUT).size} bytes`);
