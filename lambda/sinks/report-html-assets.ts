// The HTML report's inline style and script. Both are inline so the page works offline and as a
// mail attachment; the page's Content-Security-Policy admits exactly these two by their hashes.

export const REPORT_CSS = `
:root{--fg:#1d2330;--muted:#5b6474;--line:#d9dee7;--bg:#f6f7f9;--critical:#8b0000;--high:#c62828;--medium:#b26a00;--low:#1565c0;--info:#546e7a;--pass:#2e7d32;--unknown:#6a1b9a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:16px 20px}
header{background:#fff;border-bottom:1px solid var(--line);max-width:none}
header .inner{max-width:1060px;margin:0 auto}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:15px;margin:0}
.meta{color:var(--muted);margin:0}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#eef0f4;padding:1px 4px;border-radius:3px;word-break:break-all}
.alert{border:2px solid var(--high);background:#fdecea;padding:12px 16px;border-radius:6px;margin:12px 0}
.alert.notice{border-color:var(--medium);background:#fff4e0}
.alert h2{margin:0 0 6px;color:var(--high)}.alert.notice h2{color:var(--medium)}
.ok{color:var(--pass);font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{background:#fff;border:1px solid var(--line);border-left:6px solid var(--info);border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}
.card.critical{border-left-color:var(--critical)}.card.high{border-left-color:var(--high)}.card.medium{border-left-color:var(--medium)}.card.low{border-left-color:var(--low)}
.card.FAIL{border-left-color:var(--high)}.card.UNKNOWN{border-left-color:var(--unknown)}.card.PASS{border-left-color:var(--pass)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line)}th{background:#eef0f4}
td.n{text-align:right;font-variant-numeric:tabular-nums}
#filters{position:sticky;top:0;z-index:1;background:var(--bg);padding:8px 0;display:flex;flex-wrap:wrap;gap:8px;align-items:center;border-bottom:1px solid var(--line)}
#filters label{display:flex;gap:4px;align-items:center}
#filters input{min-width:220px}
.rule{background:#fff;border:1px solid var(--line);border-radius:6px;margin:10px 0;padding:10px 12px}
.rule .counts{color:var(--muted);margin:2px 0 6px}
.finding{border-top:1px solid var(--line);padding:4px 0}
.finding summary{cursor:pointer;display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.finding .body{padding:6px 0 6px 18px}
.finding h4{margin:8px 0 2px;font-size:13px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
.finding dt{color:var(--muted)}.finding dd{margin:0;word-break:break-word}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;background:var(--info);text-transform:uppercase}
.badge.critical{background:var(--critical)}.badge.high{background:var(--high)}.badge.medium{background:var(--medium)}.badge.low{background:var(--low)}
.badge.FAIL{background:var(--high)}.badge.UNKNOWN{background:var(--unknown)}.badge.PASS{background:var(--pass)}.badge.SUPPRESSED{background:var(--muted)}
.badge.kind{background:#eef0f4;color:var(--fg);text-transform:none;font-weight:400}
.owner{color:var(--muted)}
button.person{border:0;background:none;color:#0b57d0;cursor:pointer;padding:0;font:inherit;text-decoration:underline}
[hidden]{display:none!important}
`;

/** Filters and search. Reads only the page itself: the rows and the report JSON embedded in it. */
export const REPORT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var text = {};
  data.findings.forEach(function (f) { text[f.id] = JSON.stringify(f).toLowerCase(); });
  var rows = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var rules = Array.prototype.slice.call(document.querySelectorAll('.rule'));
  var form = document.getElementById('filters');
  var fields = ['severity', 'status', 'kind', 'owner'].map(function (name) {
    return { name: name, el: document.getElementById('filter-' + name) };
  });
  var search = document.getElementById('filter-search');
  var shown = document.getElementById('shown');
  function apply() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var ok = fields.every(function (f) { return !f.el.value || row.getAttribute('data-' + f.name) === f.el.value; });
      var haystack = text[row.getAttribute('data-id')] || row.textContent.toLowerCase();
      ok = ok && words.every(function (w) { return haystack.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) count += 1;
    });
    rules.forEach(function (rule) { rule.hidden = !rule.querySelector('.finding:not([hidden])'); });
    shown.textContent = count + ' of ' + rows.length + ' findings shown';
  }
  form.hidden = false;
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  document.getElementById('filter-reset').addEventListener('click', function () {
    fields.forEach(function (f) { f.el.value = ''; });
    search.value = '';
    apply();
  });
  Array.prototype.forEach.call(document.querySelectorAll('button.person'), function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      fields[3].el.value = b.getAttribute('data-owner');
      apply();
      form.scrollIntoView();
    });
  });
  apply();
})();
`;
