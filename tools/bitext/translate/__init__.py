"""The translators' workflow: update segment files after English edits, translation memory, QA checks, progress."""
