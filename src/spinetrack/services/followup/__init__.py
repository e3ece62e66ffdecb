"""Getting follow-up questionnaires answered: who is due, the e-mails that invite them (in
the patient's language), and the record of contact attempts when they do not answer.
"""
