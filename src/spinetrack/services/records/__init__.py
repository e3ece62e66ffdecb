"""The patient's clinical record as staff enter it: patients, surgeries, complications and
questionnaire answers, with the outcome status kept current after each change.
"""
