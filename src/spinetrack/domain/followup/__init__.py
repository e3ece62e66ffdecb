"""Follow-up rules that sit beside `knowledge/followup/`: when to remind a patient."""
