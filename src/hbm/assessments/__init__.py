"""HBM assessments: a country's answers to the scored questionnaire over the pillars, with the gap
report and its prioritised recommendations (issue 6, item 6). No personal data."""
