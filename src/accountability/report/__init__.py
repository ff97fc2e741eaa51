"""The outputs of an audit: findings.json, referrals.json, findings.csv (`tables`), report.xlsx (`tables`),
report.html and its pages (`html`, `pages`, `charts`, `tracking`), the letters (`letters`), the console summary
(`summary`); `outputs.write_outputs` writes them all, `labels` holds every word a reader sees. Works from the
findings document and referrals (plain dicts), so it may import contract, ingest, language and packs, never run,
referral or audit."""
