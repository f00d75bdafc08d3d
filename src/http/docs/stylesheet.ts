// The /docs stylesheet, served by the service itself (GET /docs/docs.css; CSP style-src 'self').
export const DOCS_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header,main{max-width:76rem;margin:0 auto;padding:0 1rem}header{padding-top:1rem}
nav{max-width:76rem;margin:0 auto;padding:0 1rem;font-size:13px}nav ul{list-style:none;padding-left:1rem;margin:.2rem 0}nav>ul{columns:3;padding:0}
a{color:#0b57d0}code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f5f5f5;border:1px solid #ddd;padding:.5rem;overflow:auto;max-height:28rem}
h2{border-bottom:2px solid #333;margin-top:2.5rem}section.op,section.schema{border-top:1px solid #ccc;padding:.5rem 0 1rem}
h3{margin:.6rem 0 .3rem}h4{margin:.8rem 0 .3rem}h5{margin:.6rem 0 .2rem;font-size:14px}
.method{display:inline-block;min-width:3.6rem;text-align:center;border-radius:3px;color:#fff;font:bold 12px/1.6 ui-monospace,monospace;padding:0 .3rem}
.get{background:#1f6feb}.post{background:#1a7f37}.delete{background:#cf222e}.put,.patch{background:#9a6700}
.status{font-family:ui-monospace,monospace;padding:0 .3rem;border-radius:3px;background:#eee}.s2{background:#dafbe1}.s4{background:#fff1e5}.s5{background:#ffebe9}
table{border-collapse:collapse;width:100%;margin:.3rem 0}td,th{border-bottom:1px solid #e3e3e3;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{font-weight:600;font-size:13px;background:#fafafa}table table{font-size:13px}
.req{color:#cf222e;font-size:11px;text-transform:uppercase}.limits{color:#555;font-size:12px}.access{color:#333}
.media{margin-left:.5rem}details.example summary{cursor:pointer;color:#555;font-size:13px}
`;
