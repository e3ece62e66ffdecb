"""Who may act, and how they prove it: accounts and roles, sign-in sessions and API tokens,
patient links, and the limits on doors anyone can knock on. Kept together because every other
use case starts by asking this package who the actor is.
"""
