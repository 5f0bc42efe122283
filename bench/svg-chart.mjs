// A small SVG line chart for the benchmarks (no dependency): panels side by side, each with named series of
// [x, y] points, axes with a few ticks, and a legend.
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const W = 420;
const H = 260;
const M = { left: 52, right: 12, top: 28, bottom: 40 };

const esc = (s) => String(s).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function ticks(max, count = 5) {
  const raw = max / count;
  const step = 10 ** Math.floor(Math.log10(raw || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.floor(max / nice) + 1 }, (_, i) => i * nice);
}

function panel({ title, xLabel, yLabel, series }, offsetX, offsetY) {
  const xMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const yMax = Math.max(1e-9, ...series.flatMap((s) => s.points.map((p) => p[1])));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x) => offsetX + M.left + (x / xMax) * pw;
  const sy = (y) => offsetY + M.top + ph - (y / yMax) * ph;
  const out = [
    `<text x="${offsetX + W / 2}" y="${offsetY + 16}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of ticks(xMax))
    out.push(
      `<line x1="${sx(t)}" y1="${sy(0)}" x2="${sx(t)}" y2="${sy(yMax)}" stroke="#eee"/>`,
      `<text x="${sx(t)}" y="${sy(0) + 14}" text-anchor="middle">${t}</text>`,
    );
  for (const t of ticks(yMax))
    out.push(
      `<line x1="${sx(0)}" y1="${sy(t)}" x2="${sx(xMax)}" y2="${sy(t)}" stroke="#eee"/>`,
      `<text x="${sx(0) - 4}" y="${sy(t) + 4}" text-anchor="end">${+t.toFixed(2)}</text>`,
    );
  out.push(
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(xMax)}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(0)}" y2="${sy(yMax)}" stroke="#333"/>`,
    `<text x="${offsetX + M.left + pw / 2}" y="${offsetY + H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(${offsetX + 12},${offsetY + M.top + ph / 2}) rotate(-90)" text-anchor="middle">` +
      `${esc(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    const color = COLORS[i % COLORS.length];
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    const ly = offsetY + M.top + 4 + i * 14;
    out.push(
      `<line x1="${sx(xMax) - 120}" y1="${ly}" x2="${sx(xMax) - 104}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${sx(xMax) - 100}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  return out.join('\n');
}

/** The SVG text of a grid of panels, `columns` wide. */
export function svgChart(panels, columns = 2) {
  const rows = Math.ceil(panels.length / columns);
  const body = panels.map((p, i) => panel(p, (i % columns) * W, Math.floor(i / columns) * H)).join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * W}" height="${rows * H}" ` +
    `font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}
