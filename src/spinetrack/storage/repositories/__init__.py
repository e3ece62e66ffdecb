"""Repositories, one per aggregate. Patient data repositories require the clinic scope."""
