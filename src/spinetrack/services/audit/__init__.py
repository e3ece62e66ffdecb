"""The audited unit of work every use case runs in, and the reading of the trail it leaves.
One package so the rule "every read and write of patient data leaves an entry" has one home.
"""
