// A horizontal bar chart as an SVG string: per row the median inference (dark) inside the
// median whole path (light), with a tick at the whole path's p90.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** rows: [{label, inference?, total?, totalP90?}] in ms. */
export function barChart(rows, { title }) {
  const labelWidth = 300;
  const chartWidth = 560;
  const rowHeight = 22;
  const top = 40;
  const height = top + rows.length * rowHeight + 40;
  // The scale fits the rows below 4× the median row; slower rows are clipped at the edge
  // (their number is still printed), so they do not flatten everything else.
  const totals = rows.map((r) => r.total ?? 0).sort((a, b) => a - b);
  const cap = 4 * (totals[Math.floor(totals.length / 2)] || 1);
  const max = Math.max(1, ...rows.flatMap((r) => [r.inference ?? 0, r.total ?? 0, r.totalP90 ?? 0]).filter((v) => v <= cap));
  const step = max > 200 ? 50 : max > 100 ? 20 : 10;
  const x = (v) => labelWidth + (Math.min(v, max * 1.05) / max) * chartWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + chartWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14">${esc(title)}</text>`,
  ];
  for (let v = 0; v <= max; v += step) {
    parts.push(`<line x1="${x(v)}" y1="${top - 5}" x2="${x(v)}" y2="${height - 30}" stroke="#ddd"/>`,
      `<text x="${x(v)}" y="${height - 15}" text-anchor="middle" fill="#555">${v}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>`);
    if (r.total !== undefined) parts.push(`<rect x="${labelWidth}" y="${y + 3}" width="${x(r.total) - labelWidth}" height="${rowHeight - 6}" fill="#9ecae1"><title>whole path ${r.total.toFixed(1)} ms</title></rect>`);
    if (r.inference !== undefined) parts.push(`<rect x="${labelWidth}" y="${y + 7}" width="${x(r.inference) - labelWidth}" height="${rowHeight - 14}" fill="#08519c"><title>inference ${r.inference.toFixed(1)} ms</title></rect>`);
    if (r.totalP90 !== undefined) parts.push(`<line x1="${x(r.totalP90)}" y1="${y + 3}" x2="${x(r.totalP90)}" y2="${y + rowHeight - 3}" stroke="#333"/>`);
    if (r.total !== undefined) parts.push(`<text x="${x(Math.max(r.total, r.totalP90 ?? 0)) + 4}" y="${y + 14}" fill="#333">${r.total > max ? '▸ ' : ''}${r.total.toFixed(1)}</text>`);
  });
  parts.push(`<text x="${labelWidth}" y="${height - 2}" fill="#555">ms; dark: inference alone (median), light: whole path or call (median), tick: p90; ▸ off the scale</text>`, '</svg>');
  return `${parts.join('\n')}\n`;
}
