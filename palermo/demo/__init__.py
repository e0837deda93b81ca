"""Demo and synthetic data: the generator of made-up cases, each area's demo loader, and the commands
`seed_demo`, `demo_otp` and `generate_cases` (docs/decisions/0006-demo-app.md)."""
