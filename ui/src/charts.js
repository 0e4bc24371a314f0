// Charts (Chart.js, drawn on a canvas) always come with the same numbers as a table, for screen
// readers, keyboard users and anyone who wants the figures.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom.js';
import { currentLanguage, formatNumber, t } from './i18n.js';
import { table } from './components.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

// Colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
export const PALETTE = ['#1d4f91', '#b3541e', '#2f7d32', '#7b3fa0', '#a4262c', '#00677f', '#6b5a00', '#4a4a4a'];

// Long category names on several lines (Chart.js draws an array label as lines).
function wrapLabel(text, width = 24) {
  const words = String(text).split(/\s+/);
  const lines = [''];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last && last.length + w.length + 1 > width) lines.push(w);
    else lines[lines.length - 1] = last ? `${last} ${w}` : w;
  }
  return lines.length > 1 ? lines : lines[0];
}

const pending = new WeakMap();
const drawn = new Set();

// A <figure> with a caption, the chart and its data table. `datasets`: [{label, data, type?}];
// `rows` of the table are the labels, one column per dataset.
export function chartFigure({ title, labels, datasets, type = 'bar', stacked = false, yTitle, format = formatNumber, horizontal = false }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': t('chart.alt', { title }), 'data-chart': type });
  pending.set(canvas, () => {
    const chart = new Chart(canvas, {
      type,
      data: {
        labels: labels.map((l) => wrapLabel(l)),
        datasets: datasets.map((d, i) => ({
          backgroundColor: PALETTE[i % PALETTE.length],
          borderColor: PALETTE[i % PALETTE.length],
          ...d,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        locale: currentLanguage(),
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: { stacked },
          y: { stacked, beginAtZero: true, title: yTitle ? { display: true, text: yTitle } : undefined },
        },
      },
    });
    drawn.add(chart);
  });
  const rows = labels.map((label, i) => ({ label, values: datasets.map((d) => d.data[i]) }));
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', null, title),
    h('div', { class: horizontal ? 'chart-box chart-box-tall' : 'chart-box' }, canvas),
    h(
      'details',
      { class: 'chart-data' },
      h('summary', null, t('chart.showTable')),
      table({
        caption: title,
        columns: [
          { label: t('chart.category'), value: (r) => r.label, header: true },
          ...datasets.map((d, i) => ({
            label: d.label,
            numeric: true,
            value: (r) => (r.values[i] === null || r.values[i] === undefined ? t('stats.suppressed') : format(r.values[i])),
          })),
        ],
        rows,
      }),
    ),
  );
}

// Draws the charts now in the document under `root`; the previous page's charts are released.
export function drawCharts(root) {
  for (const chart of drawn) {
    if (!document.contains(chart.canvas)) {
      chart.destroy();
      drawn.delete(chart);
    }
  }
  for (const canvas of root.querySelectorAll('canvas[data-chart]')) {
    const draw = pending.get(canvas);
    if (draw) {
      pending.delete(canvas);
      draw();
    }
  }
}
