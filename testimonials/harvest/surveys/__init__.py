"""NPS surveys: questions, consent, hosted pages, per-respondent links, follow-ups."""
