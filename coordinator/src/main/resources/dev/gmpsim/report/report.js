// The sweep report page: draws the data inlined in #gmpsim-data with ECharts (inlined above).
// Served by `gmpsim serve` while the sweep runs, it asks for new rows every 2 seconds.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('gmpsim-data').textContent);
  // Line colours leave out red and black: those mark fatal and failed runs.
  var PALETTE = ['#4269d0', '#3ca951', '#ff8ab7', '#6cc5b0', '#97bbf5', '#9c6b4e', '#efb118', '#a463f2', '#9498a0'];
  var SYMBOLS = ['emptyCircle', 'emptyRect', 'emptyTriangle', 'emptyRoundRect', 'emptyPin', 'emptyArrow'];
  var SIZES = [16, 10, 7, 5];
  var KIND_COLOR = { fatal: '#c1121f', failed: '#111111', other: '#8250df' };
  var MAX_ROWS_SHOWN = 2000;
  var sort = { col: null, dir: 1 };
  var charts = {};

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  // 1234567 -> 1.23M; small numbers keep 3 significant digits.
  function compact(v) {
    if (v === null || v === undefined || isNaN(v)) { return ''; }
    var a = Math.abs(v);
    var units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) { return trim((v / units[i][0]).toPrecision(3)) + units[i][1]; }
    }
    if (a === 0 || Number.isInteger(v)) { return String(v); }
    return trim(v.toPrecision(3));
  }
  // The table's numbers: whole ones with thousands separators, others to 4 significant digits.
  function full(v) {
    if (v === null || v === undefined || isNaN(v)) { return ''; }
    return Number.isInteger(v) ? v.toLocaleString('en-US') : trim(v.toPrecision(4));
  }
  function trim(s) { return s.indexOf('.') >= 0 && s.indexOf('e') < 0 ? s.replace(/\.?0+$/, '') : s; }

  // The axis end beyond the data by 8% of its span, rounded to 2 significant digits (never below 0 for positive data).
  function pad(v, dir) {
    var span = (v.max - v.min) || Math.abs(v.max) || 1;
    var end = dir < 0 ? v.min - span * 0.08 : v.max + span * 0.08;
    if (dir < 0 && v.min >= 0 && end < 0) { end = 0; }
    var p = Math.pow(10, Math.floor(Math.log10(Math.abs(end) || 1)) - 1);
    return (dir < 0 ? Math.floor(end / p) : Math.ceil(end / p)) * p;
  }

  function median(xs) {
    var s = xs.slice().sort(function (a, b) { return a - b; });
    var n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  function counts() {
    var c = { ok: 0, fatal: 0, failed: 0, other: 0 };
    D.rows.forEach(function (r) { c[r.kind] = (c[r.kind] || 0) + 1; });
    return c;
  }

  // ---- header ----
  function renderHeader() {
    var st = $('status');
    var partial = D.partial;
    st.textContent = partial ? 'partial: ' + (D.status === 'unknown' ? 'no sweep.json' : D.status) : 'complete';
    st.className = 'badge ' + (partial ? 'partial' : 'complete');
    $('subtitle').textContent = D.file ? 'sweep file ' + D.file : '';
    var c = counts();
    var facts = $('facts');
    facts.innerHTML = '';
    function fact(k, v) { facts.appendChild(el('dt', null, k)); facts.appendChild(el('dd', null, v)); }
    fact('runs', D.rows.length + ' of ' + D.total + ' done: ' + c.ok + ' ok, ' + c.fatal + ' fatal, ' + c.failed
      + ' failed' + (c.other ? ', ' + c.other + ' other (a limit of the simulator)' : ''));
    fact('replicas', D.seeds.length + (D.seeds.length ? ' (seeds ' + abbreviate(D.seeds) + ')' : ''));
    if (D.parameters.length === 0) { fact('parameters', 'none (the base scenario, once per seed)'); }
    D.parameters.forEach(function (p) { fact(p, abbreviate(D.paramValues[p] || [])); });
    fact('metrics', D.metrics.length + (D.metrics.length ? ': ' + abbreviate(D.metrics) : ''));
    var nodes = {};
    D.rows.forEach(function (r) { if (r.node) { nodes[r.node.replace(/^[^@]*@/, '')] = true; } });
    if (Object.keys(nodes).length) { fact('nodes', abbreviate(Object.keys(nodes).sort())); }
    if (D.fromCsv) { fact('read from', 'results.csv (no results.jsonl here)'); }
    var live = $('live');
    if (D.live && D.status === 'running') {
      live.textContent = 'live: the sweep is running; new results appear here every 2 seconds';
      live.className = 'on';
    } else if (D.status === 'running') {
      live.textContent = 'The sweep was still running when this page was written; serve the folder with gmpsim serve to watch it fill in.';
      live.className = '';
    } else {
      live.textContent = '';
      live.className = '';
    }
  }

  function abbreviate(list) {
    return list.length <= 12 ? list.join(', ') : list.slice(0, 10).join(', ') + ', ... (' + list.length + ' in all)';
  }

  // ---- selects ----
  function fill(select, options, keep) {
    var old = select.value;
    select.innerHTML = '';
    options.forEach(function (o) { select.appendChild(el('option', { value: o[0] }, o[1])); });
    var values = options.map(function (o) { return o[0]; });
    // keep === true: the choice made before, if still offered; otherwise the value keep names.
    var want = keep === true ? old : keep;
    if (values.indexOf(want) >= 0) { select.value = want; }
  }

  function setupControls() {
    var metrics = D.metrics.map(function (m) { return [m, m]; });
    var params = D.parameters.map(function (p) { return [p, p]; });
    fill($('line-metric'), metrics, D.metrics[0]);
    fill($('line-x'), params, D.parameters[0]);
    fill($('line-series'), [['', '(one line)']].concat(params), D.parameters[1] || '');
    fill($('heat-metric'), metrics, D.metrics[0]);
    fill($('heat-x'), params, D.parameters[0]);
    fill($('heat-y'), params, D.parameters[1]);
    ['line-metric', 'line-x', 'line-series', 'line-log'].forEach(function (id) { $(id).addEventListener('change', drawLine); });
    ['heat-metric', 'heat-x', 'heat-y'].forEach(function (id) { $(id).addEventListener('change', drawHeat); });
    $('filter').addEventListener('input', renderTable);
    $('outcome-filter').addEventListener('change', renderTable);
  }

  function chart(id) {
    if (!charts[id]) {
      // SVG: crisp at any zoom, and the same picture in every browser.
      charts[id] = echarts.init($(id), null, { renderer: 'svg' });
    }
    return charts[id];
  }

  function empty(id, text) {
    if (charts[id]) { charts[id].dispose(); delete charts[id]; }
    var box = $(id);
    box.innerHTML = '';
    box.appendChild(el('div', { 'class': 'empty' }, text));
  }

  // Rows grouped by the values of some parameters: key -> {values: ok runs' metric, fatal: fatal
  // runs' metric, runs: every row}. A fatal run stopped early, so its figures are not averaged in.
  function groups(metric, params) {
    var g = {};
    D.rows.forEach(function (r) {
      var key = params.map(function (p) { return r.p[p]; }).join('\u0000');
      var e = g[key] || (g[key] = { values: [], fatal: [], runs: [] });
      e.runs.push(r);
      var v = r.m[metric];
      if (v === null || v === undefined) { return; }
      if (r.kind === 'ok') { e.values.push(v); } else if (r.kind === 'fatal') { e.fatal.push(v); }
    });
    return g;
  }

  // ---- line chart: metric against x, a line per value of a second parameter ----
  function drawLine() {
    var metric = $('line-metric').value, x = $('line-x').value, by = $('line-series').value;
    if (!D.metrics.length) { empty('line-chart', 'No metrics in this sweep.'); return; }
    if (!D.parameters.length) { empty('line-chart', 'This sweep has no parameters: see the table below.'); return; }
    if (!D.rows.length) { empty('line-chart', 'No results yet.'); return; }
    if (by === x) { by = ''; }
    var xs = D.paramValues[x] || [];
    var lines = by ? (D.paramValues[by] || []) : [''];
    var g = groups(metric, by ? [x, by] : [x]);
    var series = [], fatal = [], failed = [], lo = Infinity;
    lines.forEach(function (lv, li) {
      var color = PALETTE[li % PALETTE.length];
      var med = [], bars = [];
      xs.forEach(function (xv, xi) {
        var e = g[by ? xv + '\u0000' + lv : xv];
        if (!e) { med.push(null); return; }
        if (e.values.length) {
          var mn = Math.min.apply(null, e.values), mx = Math.max.apply(null, e.values);
          lo = Math.min(lo, mn);
          med.push({ value: [xi, median(e.values)], n: e.values.length, min: mn, max: mx });
          if (e.values.length > 1) { bars.push([xi, mn, mx]); }
        } else {
          med.push(null);
        }
        e.runs.forEach(function (r) {
          if (r.kind === 'fatal' && r.m[metric] !== null && r.m[metric] !== undefined) {
            fatal.push({ value: [xi, r.m[metric]], run: r });
            lo = Math.min(lo, r.m[metric]);
          } else if (r.kind !== 'ok') {
            failed.push({ value: [xi, null], run: r });
          }
        });
      });
      var name = by ? by + ' = ' + lv : metric;
      // A line with no ok run has nothing to draw: its legend entry says so.
      if (!med.some(function (m) { return m !== null; })) { name += ' (no ok runs)'; }
      // Shapes and sizes differ per line, larger first: equal points of two lines stay visible, nested.
      series.push({ name: name, type: 'line', data: med, connectNulls: true,
        symbol: SYMBOLS[li % SYMBOLS.length], symbolSize: SIZES[Math.min(li, SIZES.length - 1)],
        itemStyle: { color: color, borderWidth: 2 }, lineStyle: { width: 2 } });
      series.push({ name: name, type: 'custom', data: bars, z: 1, tooltip: { show: false },
        renderItem: errorBar(color, li, lines.length), encode: { x: 0, y: [1, 2] } });
    });
    if (lo === Infinity) { lo = 0; }
    // Runs without a value sit on the x axis.
    failed.forEach(function (f) { f.value[1] = lo; });
    if (fatal.length) {
      series.push({ name: 'fatal runs', type: 'scatter', data: fatal, symbol: 'diamond', symbolSize: 11, z: 5,
        itemStyle: { color: KIND_COLOR.fatal } });
    }
    if (failed.length) {
      series.push({ name: 'runs with no result', type: 'scatter', data: failed, symbol: 'triangle', symbolSize: 11, z: 5,
        itemStyle: { color: KIND_COLOR.failed } });
    }
    var log = $('line-log').checked && lo > 0;
    var legend = series.filter(function (s) { return s.type !== 'custom'; }).map(function (s) { return s.name; });
    var c = chart('line-chart');
    c.setOption({
      animation: false,
      color: PALETTE,
      title: { text: metric + ' against ' + x + (by ? ', a line per ' + by : ''), left: 'center', top: 6,
        textStyle: { fontSize: 14, fontWeight: 600 } },
      legend: { data: legend, bottom: 4, type: 'scroll' },
      grid: { left: 80, right: 30, top: 50, bottom: 90, containLabel: false },
      tooltip: { trigger: 'item', formatter: tooltip(metric, x, xs) },
      xAxis: { type: 'category', data: xs, name: x, nameLocation: 'middle', nameGap: 30,
        axisLabel: { hideOverlap: true }, nameTextStyle: { fontWeight: 600 } },
      // A margin below and above the data, so points do not sit on the axis.
      yAxis: { type: log ? 'log' : 'value', name: metric, nameLocation: 'middle', nameGap: 58, scale: !log,
        min: log ? undefined : function (v) { return pad(v, -1); }, max: log ? undefined : function (v) { return pad(v, 1); },
        // The padded ends are not round numbers: no label there, to crowd the round one next to it.
        axisLabel: { formatter: compact, showMinLabel: log, showMaxLabel: log }, nameTextStyle: { fontWeight: 600 } },
      series: series
    }, true);
  }

  // A vertical bar from min to max; bars of several lines at one x are spread a little apart.
  function errorBar(color, index, count) {
    return function (params, api) {
      var xi = api.value(0);
      var low = api.coord([xi, api.value(1)]), high = api.coord([xi, api.value(2)]);
      var dx = (index - (count - 1) / 2) * 5;
      var x0 = low[0] + dx, w = 5;
      var style = { stroke: color, lineWidth: 1.5 };
      return { type: 'group', children: [
        { type: 'line', shape: { x1: x0, y1: low[1], x2: x0, y2: high[1] }, style: style },
        { type: 'line', shape: { x1: x0 - w, y1: low[1], x2: x0 + w, y2: low[1] }, style: style },
        { type: 'line', shape: { x1: x0 - w, y1: high[1], x2: x0 + w, y2: high[1] }, style: style }
      ] };
    };
  }

  function tooltip(metric, x, xs) {
    return function (p) {
      var d = p.data || {};
      if (d.run) {
        return esc(d.run.outcome) + '<br>run ' + esc(d.run.id) + ', seed ' + esc(d.run.seed)
          + (d.value[1] !== null && d.run.kind === 'fatal' ? '<br>' + esc(metric) + ' = ' + compact(d.value[1]) : '');
      }
      if (d.value) {
        return esc(p.seriesName) + '<br>' + esc(x) + ' = ' + esc(xs[d.value[0]]) + '<br>' + esc(metric) + ': median '
          + compact(d.value[1]) + (d.n > 1 ? ', min ' + compact(d.min) + ', max ' + compact(d.max) + ' (' + d.n + ' runs)' : '');
      }
      return '';
    };
  }

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  // ---- heatmap: metric over two parameters ----
  function drawHeat() {
    if (D.parameters.length < 2) {
      $('heat-panel').style.display = 'none';
      return;
    }
    var metric = $('heat-metric').value, x = $('heat-x').value, y = $('heat-y').value;
    if (!D.rows.length) { empty('heat-chart', 'No results yet.'); return; }
    if (x === y) { empty('heat-chart', 'Choose two different parameters.'); return; }
    var xs = D.paramValues[x] || [], ys = D.paramValues[y] || [];
    var g = groups(metric, [x, y]);
    var cells = [], blank = [], lo = Infinity, hi = -Infinity;
    xs.forEach(function (xv, xi) {
      ys.forEach(function (yv, yi) {
        var e = g[xv + '\u0000' + yv];
        if (!e) { return; }
        var fatal = e.runs.some(function (r) { return r.kind === 'fatal'; });
        var bad = e.runs.filter(function (r) { return r.kind === 'failed' || r.kind === 'other'; }).length;
        // Only fatal runs here: their figures (up to the crash) colour the cell, framed in red.
        var vals = e.values.length ? e.values : e.fatal;
        if (vals.length) {
          var m = median(vals);
          lo = Math.min(lo, m); hi = Math.max(hi, m);
          cells.push({ value: [xi, yi, m], n: vals.length, fatal: fatal, bad: bad, onlyFatal: !e.values.length,
            itemStyle: fatal ? { borderColor: KIND_COLOR.fatal, borderWidth: 3 } : { borderColor: '#fff', borderWidth: 1 } });
        } else {
          blank.push({ value: [xi, yi, 0], n: 0, bad: bad });
        }
      });
    });
    if (lo === Infinity) { lo = 0; hi = 1; }
    if (lo === hi) { hi = lo + 1; }
    var many = xs.length * ys.length > 150;
    // Dark cells get white labels, light ones dark labels.
    cells.forEach(function (c) {
      var dark = (c.value[2] - lo) / (hi - lo) > 0.55;
      c.label = { color: dark ? '#ffffff' : '#1f2328' };
    });
    var c = chart('heat-chart');
    c.setOption({
      animation: false,
      title: { text: metric + ' (median) over ' + x + ' and ' + y, left: 'center', top: 6,
        textStyle: { fontSize: 14, fontWeight: 600 } },
      tooltip: { formatter: function (p) {
        var d = p.data;
        return esc(x) + ' = ' + esc(xs[d.value[0]]) + '<br>' + esc(y) + ' = ' + esc(ys[d.value[1]]) + '<br>'
          + (d.n ? esc(metric) + ': median ' + compact(d.value[2]) + ' (' + d.n + (d.onlyFatal ? ' fatal' : '') + ' runs)' : 'no result')
          + (d.fatal ? '<br>a run was fatal' : '') + (d.bad ? '<br>' + d.bad + ' run(s) gave no result' : '');
      } },
      grid: { left: 100, right: 110, top: 50, bottom: 60 },
      xAxis: { type: 'category', data: xs, name: x, nameLocation: 'middle', nameGap: 30, splitArea: { show: true },
        axisLabel: { hideOverlap: true }, nameTextStyle: { fontWeight: 600 } },
      yAxis: { type: 'category', data: ys, name: y, nameLocation: 'middle', nameGap: 75, splitArea: { show: true },
        nameTextStyle: { fontWeight: 600 } },
      visualMap: { min: lo, max: hi, calculable: true, orient: 'vertical', right: 10, top: 'middle', seriesIndex: 0,
        formatter: function (v) { return compact(v); },
        inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] } },
      series: [
        { name: metric, type: 'heatmap', data: cells,
          label: { show: !many, formatter: function (p) { return compact(p.data.value[2]) + (p.data.onlyFatal ? ' (fatal)' : ''); },
            fontSize: 12 } },
        { name: 'no result', type: 'heatmap', data: blank, itemStyle: { color: KIND_COLOR.failed },
          label: { show: !many, formatter: 'no result', color: '#fff', fontSize: 11 } }
      ]
    }, true);
  }

  // ---- table ----
  function columns() {
    var cols = [{ key: 'id', label: 'id', text: true, get: function (r) { return r.id; } }];
    D.parameters.forEach(function (p) {
      cols.push({ key: 'p:' + p, label: p, text: true, get: function (r) { return r.p[p]; },
        order: function (r) { var i = (D.paramValues[p] || []).indexOf(r.p[p]); return i < 0 ? Infinity : i; } });
    });
    cols.push({ key: 'seed', label: 'seed', get: function (r) { return r.seed; } });
    // The outcome before the metrics: a fatal or failed run's figures read differently.
    cols.push({ key: 'outcome', label: 'outcome', text: true, cls: 'outcome', get: function (r) { return r.outcome; } });
    D.metrics.forEach(function (m) {
      cols.push({ key: 'm:' + m, label: m, get: function (r) { return r.m[m]; }, format: full, num: true });
    });
    cols.push({ key: 'wallMs', label: 'wall ms', get: function (r) { return r.wallMs; } });
    // Columns that say nothing in most sweeps only when they do: retried runs, several nodes.
    if (D.rows.some(function (r) { return r.attempt > 1; })) {
      cols.push({ key: 'attempt', label: 'attempt', get: function (r) { return r.attempt; } });
    }
    var nodes = {};
    D.rows.forEach(function (r) { nodes[r.node] = true; });
    if (Object.keys(nodes).length > 1) {
      cols.push({ key: 'node', label: 'node', text: true, get: function (r) { return r.node ? r.node.replace(/^[^@]*@/, '') : r.node; } });
    }
    if (D.rows.some(function (r) { return r.links; })) {
      cols.push({ key: 'links', label: 'files', text: true, links: true, get: function (r) { return r.links ? Object.keys(r.links).join(' ') : ''; } });
    }
    return cols;
  }

  function compare(col) {
    var key = col.order || col.get;
    return function (a, b) {
      var x = key(a), y = key(b);
      var xn = x === null || x === undefined || x === '', yn = y === null || y === undefined || y === '';
      if (xn || yn) { return xn && yn ? 0 : xn ? 1 : -1; } // blanks last either way
      if (typeof x === 'number' && typeof y === 'number') { return (x - y) * sort.dir; }
      return String(x).localeCompare(String(y), undefined, { numeric: true }) * sort.dir;
    };
  }

  function renderTable() {
    var cols = columns();
    var thead = document.querySelector('#runs thead'), tbody = document.querySelector('#runs tbody');
    thead.innerHTML = '';
    var tr = el('tr');
    cols.forEach(function (c) {
      var th = el('th', { 'data-key': c.key, 'class': (c.text ? 'text' : '') + (sort.col === c.key ? (sort.dir > 0 ? ' sorted-asc' : ' sorted-desc') : ''),
        title: 'sort by ' + c.label }, c.label);
      th.addEventListener('click', function () {
        if (sort.col === c.key) { sort.dir = -sort.dir; } else { sort.col = c.key; sort.dir = 1; }
        renderTable();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var text = $('filter').value.trim().toLowerCase(), kind = $('outcome-filter').value;
    var rows = D.rows.filter(function (r) {
      if (kind && r.kind !== kind) { return false; }
      if (!text) { return true; }
      return cols.some(function (c) {
        var v = c.get(r);
        return v !== null && v !== undefined && String(c.format ? c.format(v) : v).toLowerCase().indexOf(text) >= 0;
      });
    });
    if (sort.col) {
      var col = cols.filter(function (c) { return c.key === sort.col; })[0];
      if (col) { rows = rows.slice().sort(compare(col)); }
    }
    tbody.innerHTML = '';
    var frag = document.createDocumentFragment();
    rows.slice(0, MAX_ROWS_SHOWN).forEach(function (r) {
      var row = el('tr', { 'class': 'kind-' + r.kind, 'data-id': r.id });
      cols.forEach(function (c) {
        var v = c.get(r);
        var td = el('td', { 'class': (c.text ? 'text ' : '') + (c.cls || '') + (c.key === 'id' ? ' id' : '') });
        if (c.links && r.links) {
          Object.keys(r.links).forEach(function (k, i) {
            if (i) { td.appendChild(document.createTextNode(' ')); }
            td.appendChild(el('a', { href: r.links[k] }, r.links[k].split('/').pop()));
          });
        } else if (v === null || v === undefined) {
          td.textContent = '-';
          td.className += ' na';
        } else {
          td.textContent = c.format ? c.format(v) : v;
          if (c.num || c.cls === 'outcome') { td.title = String(v); }
        }
        row.appendChild(td);
      });
      frag.appendChild(row);
    });
    tbody.appendChild(frag);
    $('shown').textContent = rows.length === D.rows.length ? rows.length + ' runs'
      : rows.length + ' of ' + D.rows.length + ' runs match' + (rows.length > MAX_ROWS_SHOWN ? ' (first ' + MAX_ROWS_SHOWN + ' shown)' : '');
  }

  function renderAll() {
    renderHeader();
    drawLine();
    drawHeat();
    renderTable();
  }

  // ---- live refresh (only when served, while the sweep runs) ----
  function poll() {
    var url = 'api/data?since=' + D.rows.length + '&gen=' + D.gen;
    fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    }).then(function (n) {
      var changed = n.gen !== D.gen || n.rows.length > 0 || n.status !== D.status || n.total !== D.total;
      var rows = n.gen !== D.gen ? n.rows : D.rows.concat(n.rows);
      var live = D.live;
      D = n;
      D.rows = rows;
      D.live = live;
      if (changed) {
        var before = D.parameters.join(',') + '|' + D.metrics.join(',');
        if (before !== setupKey) { setupKey = before; refill(); }
        renderAll();
      }
      if (D.status === 'running') { setTimeout(poll, 2000); }
    }).catch(function () {
      $('live').textContent = 'live: lost the server (gmpsim serve stopped?); reload to try again';
      $('live').className = '';
    });
  }

  var setupKey = D.parameters.join(',') + '|' + D.metrics.join(',');
  function refill() {
    var metrics = D.metrics.map(function (m) { return [m, m]; });
    var params = D.parameters.map(function (p) { return [p, p]; });
    fill($('line-metric'), metrics, true);
    fill($('line-x'), params, true);
    fill($('line-series'), [['', '(one line)']].concat(params), true);
    fill($('heat-metric'), metrics, true);
    fill($('heat-x'), params, true);
    fill($('heat-y'), params, true);
  }

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });

  setupControls();
  renderAll();
  if (D.live && D.status === 'running' && /^https?:$/.test(location.protocol)) { setTimeout(poll, 2000); }
  // For tests and for people poking at the page from the console.
  window.gmpsimReport = { data: function () { return D; }, charts: charts };
})();
