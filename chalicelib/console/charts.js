// Two small inline SVG charts: columns over days, and labelled horizontal bars. No library.
const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const child of children) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  return el;
}

function ceiling(value) {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * step).find((c) => c >= value);
}

// points: [{label, value}] in order; one column each, the axis from 0 to a round maximum.
export function columns(points, { title, format = String }) {
  const width = 720;
  const height = 220;
  const left = 56;
  const bottom = 28;
  const plot = { w: width - left - 8, h: height - bottom - 10 };
  const top = ceiling(Math.max(0, ...points.map((p) => p.value)));
  const step = plot.w / Math.max(1, points.length);
  const y = (v) => 10 + plot.h - (v / top) * plot.h;
  const ticks = [0, top / 2, top];
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title },
    s("title", {}, title),
    ...ticks.map((v) => s("g", {}, s("line", { x1: left, x2: width - 8, y1: y(v), y2: y(v), class: "grid" }), s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)))),
    ...points.map((p, i) =>
      s(
        "rect",
        { x: left + i * step + step * 0.1, y: y(p.value), width: Math.max(1, step * 0.8), height: Math.max(0, 10 + plot.h - y(p.value)), class: "bar" },
        s("title", {}, `${p.label}: ${format(p.value)}`),
      ),
    ),
    ...points.map((p, i) => (labelled.has(i) ? s("text", { x: left + i * step + step / 2, y: height - 8, "text-anchor": "middle" }, p.label) : null)),
  );
}

// rows: [{label, value, note}]; bars scaled to `max` (or the largest value).
export function bars(rows, { title, max, format = String }) {
  const width = 720;
  const row = 30;
  const label = 170;
  const room = width - label - 110;
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${Math.max(1, rows.length) * row + 6}`, class: "chart", role: "img", "aria-label": title },
    s("title", {}, title),
    ...rows.map((r, i) =>
      s(
        "g",
        {},
        s("text", { x: label - 8, y: i * row + 20, "text-anchor": "end" }, r.label),
        s("rect", { x: label, y: i * row + 6, width: Math.max(1, (Math.min(r.value, top) / top) * room), height: row - 10, class: "bar" }, s("title", {}, `${r.label}: ${format(r.value)}`)),
        s("text", { x: label + (Math.min(r.value, top) / top) * room + 6, y: i * row + 20 }, format(r.value) + (r.note ? ` · ${r.note}` : "")),
      ),
    ),
  );
}
