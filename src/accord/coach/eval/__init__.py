"""The coach's evaluation: labelled agent replies referenced by id (GUIDE.md, labels.csv)."""
