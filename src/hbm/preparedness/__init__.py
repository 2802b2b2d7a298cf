"""Preparedness: scenarios, contingency plans with staffing, Sphere requirements, roles and triggers;
alerts when live figures cross a trigger (issue 6). No personal data."""
