"""What a clinician reads about their patients: the worklist, the patient page, the clinic's
counts and the letter to the referring doctor.
"""
