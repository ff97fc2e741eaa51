"""The audit use case: `pipeline` (read, run, track history, refer), `document` (findings.json), `compliance`
(rates and the unit × period matrix), `examples` (each rule's own examples, `rules test`) and `service` (a
validated AuditRequest and `perform`, which the command line calls and the web workspace runs). May import every
stage below it, report included; only cli and the workspace import it."""
