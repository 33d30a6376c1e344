"""Keeping a responder safe: the crisis screen, what a risk signal sets off, crisis lines and the
clinician directory, referrals, and forgetting on request.

    screen/       the crisis screen: phrase rules and a learned model, over windows
    risk.py       what a risk signal sets off (crisis line, URGENT, coordinators, the ladder)
    resources.py  the resources file (RESOURCES_FILE; resources.toml is the default)
    directory.py  /resources: crisis lines and the directory, page by page
    referrals.py  /refer, /concern and /urgent from the claiming peer
    erasure.py    /forget now, and the retention purge later
"""
