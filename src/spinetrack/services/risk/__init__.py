"""Issue 25 in the running registry: the pre-operative record, the table the outcome model is fitted
on (built from the stored record), the clinic's fitted models and each patient's prediction."""
