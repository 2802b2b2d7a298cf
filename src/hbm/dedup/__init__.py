"""Who is this person? Duplicate checks (biographic and biometric), adjudication, links."""
