"""Report formats made for CI systems, one module each; `linter/reports.py` holds the
table that names them (`FORMATS`).

- `sarif`: SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards
- `junit`: JUnit XML, for the test tabs of GitLab, Jenkins, Azure DevOps
- `github`: GitHub Actions workflow commands, which annotate a pull request's lines
"""
