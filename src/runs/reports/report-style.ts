/** The report's stylesheet (inline, so report.html needs nothing from the network). */
export const REPORT_CSS = `
:root { --fail: #b42318; --pass: #067647; --border: #d0d5dd; --muted: #667085; --hl: #fff4e5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #101828; background: #f9fafb; }
header { background: #101828; color: #fff; padding: 16px 28px; }
header h1 { margin: 0; font-size: 20px; }
header p { margin: 4px 0 0; color: #d0d5dd; font-size: 12px; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 12px 16px; margin-top: 16px; }
h2 { font-size: 16px; margin: 4px 0 10px; }
h3 { font-size: 14px; margin: 12px 0 6px; color: #344054; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #eaecf0; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: 700; }
.pass { color: var(--pass); font-weight: 700; }
.fail { color: var(--fail); font-weight: 700; }
.banner { padding: 8px 12px; border-radius: 6px; font-weight: 600; margin-top: 16px; }
.banner.pass { background: #ecfdf3; } .banner.fail { background: #fef3f2; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px; }
.chart { border: 1px solid #eaecf0; border-radius: 6px; padding: 8px; }
.chart h3 { margin: 0 0 6px; }
.chart canvas { width: 100% !important; height: 220px !important; }
tr.disagree td { background: var(--hl); }
.muted { color: var(--muted); }
.error { color: var(--fail); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
.score { display: inline-block; margin: 1px 4px 1px 0; padding: 0 5px; border-radius: 4px; background: #f2f4f7; font-size: 11px; }
.score.zero { background: #fee4e2; } .score.one { background: #dcfae6; }
label { font-size: 13px; }
`;
