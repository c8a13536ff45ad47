"""Reference central service: queue numbers, reports, evaluations, config publishing."""
