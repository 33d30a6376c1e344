"""The platform every feature stands on: settings, services, the way in and the way out, and the
small typed values handlers and the core trade. It imports no feature folder.

    settings.py   one typed settings object, read once from the environment
    services.py   what one running bot uses (database, repositories, outbox, timers, clock)
    context.py    the typed handler context (`context.services`)
    inbox.py      updates in: stored first, each chat's handled in order, many chats at once
    outbox/       messages out: stored first, paced under Telegram's limits, never sent twice
    delivery.py   follow-ups of rows delivered or refused after their caller stopped waiting
    afterwards.py work that follows an update's answer instead of holding it up
    timers.py     named wake-ups on APScheduler (the database holds every deadline)
    instances.py  this process among several on one database: heartbeat, take-over, leases
    guards.py     "peers only", "coordinators only", "the claiming peer only"
    commands.py   the one table every command menu is built from
    language.py   which language each person reads; replies.py, keyboards.py: what is said
    durations.py, logs.py, faults.py: "90s, 8h" parsing, logs that cannot leak, test faults
    toml_file.py  reading a TOML file a setting names (the resources and snippets files)
"""
