"""Held-out messages for the crisis screen, written before its rules and never tuned against.

The main labelled set (`triage_cases.py`) and the rules (`bot/safety/screen/`) were written by the
same person, so the main set flatters the screen. These cases were written first and are only
measured, never used to change a rule; their numbers are the more honest estimate.

Each case is (text, language, at_risk).
"""

from __future__ import annotations

HOLDOUT: list[tuple[str, str, bool]] = [
    # English, at risk
    ("honestly dont think ill be around much longer", "en", True),
    ("been looking up how many of my meds it would take", "en", True),
    ("everyone would be fine if i just disappeared for good", "en", True),
    ("ive got it all planned out, sunday after shift", "en", True),
    ("i keep thinking about eating my gun", "en", True),
    ("wrote letters to my kids tonight just in case", "en", True),
    # English, ordinary
    ("got slammed tonight, 3 codes back to back", "en", False),
    ("the jumper today was rough, he didnt make it", "en", False),
    ("im dead tired lol", "en", False),
    ("cleaned my service weapon and went to bed", "en", False),
    ("my sergeant is gonna murder me for being late", "en", False),
    ("not suicidal, just really burnt out and need to talk", "en", False),
    # Spanish, at risk
    ("ya no aguanto mas, quiero desaparecer", "es", True),
    ("tengo las pastillas en la mano", "es", True),
    ("a veces pienso en tirarme del puente", "es", True),
    ("nadie me va a extrañar cuando ya no este", "es", True),
    ("q sentido tiene seguir vivo", "es", True),
    ("quiero matar a mi compañero, lo juro", "es", True),
    # Spanish, ordinary
    ("turno de 24 horas, estoy muerto", "es", False),
    ("el señor se ahorco y nos toco bajarlo", "es", False),
    ("no me quiero morir, solo necesito dormir", "es", False),
    ("ese accidente me tiene pensando todo el dia", "es", False),
    ("mi pistola se trabo en la practica", "es", False),
    ("me muero de hambre jaja", "es", False),
    # French, at risk
    ("j'ai plus envie de rien, je veux juste que ça s'arrête", "fr", True),
    ("je pense a me tirer une balle", "fr", True),
    ("tout le monde serait mieux sans moi", "fr", True),
    ("j'ai acheté une corde", "fr", True),
    ("je sais pas si je veux continuer a vivre", "fr", True),
    ("g envie de mourir", "fr", True),
    # French, ordinary
    ("garde de nuit épuisante, je suis crevé", "fr", False),
    ("l'homme s'était pendu, on l'a décroché", "fr", False),
    ("je ne veux pas mourir, juste dormir une semaine", "fr", False),
    ("l'intervention d'hier me hante", "fr", False),
    ("ce dossier me tue", "fr", False),
    ("on a fait 45 min de massage cardiaque pour rien", "fr", False),
]
