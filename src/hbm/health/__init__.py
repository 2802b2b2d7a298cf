"""Health screening at points of entry: negative screenings only counted per crossing point and hour;
a positive screening is a health record that only health roles read, with a medical or isolation
referral (issue 5, item 2)."""
