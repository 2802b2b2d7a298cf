"""Follow-up in the migration cycle: asylum application, family reunification, assisted voluntary return
and reintegration, relocation or transfer, each a tracked outcome with dates (issue 5, item 8)."""
