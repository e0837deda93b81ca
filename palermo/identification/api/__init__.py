"""Identification in the API: instruments and the stateless evaluation, screenings, legal elements and
assessments, decisions. The same services and selectors as the pages; a refusal by the access policy is a
404, like a case that does not exist; a stale `expected_version` is a 409."""
