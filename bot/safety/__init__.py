"""Keeping a responder safe: the crisis screen, what a risk signal sets off, crisis lines and
the clinician directory, referrals, and forgetting on request.
"""
