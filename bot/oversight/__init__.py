"""What coordinators see: aggregate /stats and its chart, the roster, the audit log and export;
never an identity.
"""
