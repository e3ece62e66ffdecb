"""What patients themselves reach without an account: the questionnaire's words, their own
results, consultation requests, and the message catalogues those pages are written from.
"""
