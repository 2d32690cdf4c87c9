/** The console's one style sheet (served as /console/assets/console.css; the CSP allows no inline style). */
export const CONSOLE_CSS = `
:root { --fg: #1d2430; --muted: #586274; --line: #d5dae2; --bg: #f6f7f9; --accent: #0b5cad; --up: #1a7f37; --down: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: center; gap: 2rem; padding: .6rem 1.5rem; background: #14213d; color: #fff; }
header a, header button { color: #fff; }
.brand { font-weight: bold; letter-spacing: .03em; }
nav { display: flex; align-items: center; gap: 1.2rem; flex: 1; }
nav form { margin-left: auto; }
main { max-width: 1150px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .6rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; top: .5rem; background: #fff; color: var(--accent); padding: .4rem .8rem; z-index: 10; }
.skip:focus { left: .5rem; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
header button { background: transparent; border-color: #fff; }
form.inline { display: inline; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1.1rem; margin: 0 0 1.2rem; }
.card h2 { margin-top: .2rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .85rem; }
.status { display: inline-block; min-width: 3.2em; padding: 0 .5em; border-radius: 3px; font-weight: bold; text-align: center; color: #fff; }
.status-up { background: var(--up); }
.status-down { background: var(--down); }
.state { color: var(--muted); font-size: .9rem; }
ul.reasons { margin: .2rem 0 0; padding-left: 1.1rem; font-size: .88rem; color: var(--warn); }
ul.members { margin: .2rem 0; padding-left: 1.1rem; }
.field { margin: 0 0 .9rem; display: flex; flex-direction: column; max-width: 36rem; }
.field label { font-weight: 600; }
.field input, .field select { font: inherit; padding: .3rem .4rem; border: 1px solid #8a94a6; border-radius: 3px; }
.field.invalid input, .field.invalid select { border: 2px solid var(--down); }
.hint { color: var(--muted); font-size: .85rem; }
.field-error { color: var(--down); font-weight: 600; font-size: .9rem; }
.error-summary { border: 2px solid var(--down); background: #fff4f4; padding: .2rem 1rem; margin: 0 0 1rem; max-width: 36rem; }
.muted { color: var(--muted); }
ol.timeline { list-style: none; padding: 0; }
ol.timeline > li { border-left: 3px solid var(--accent); padding: .2rem .8rem; margin: 0 0 .6rem; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0 0 .8rem; }
dt { font-weight: 600; color: var(--muted); }
dd { margin: 0; }
ul.details { margin: 0 0 .3rem; padding-left: 1.1rem; color: var(--muted); font-size: .88rem; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
`;

/** The console's icon (a browser asks for one; this keeps it from asking the server root). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#14213d"/><path d="M3 11h10M5 11V6m6 5V6M3 6h10" stroke="#fff" stroke-width="1.5"/></svg>`;
