"""A first screen of a responder's message for risk of suicide or of harm to others.

`assess(text)` says whether a message should be treated as urgent and why, as a tuple of short
category names (never any of the message's words). It is pure: no I/O, no network, no model.

How it reads a message
----------------------
1. Normalise: case, accents (é -> e), curly apostrophes, French elisions ("j'ai" -> "j ai";
   "d'" becomes "de", which is what it stands for), English contractions ("can't" and "cant",
   with either apostrophe or none, become "can not"), letters stretched for emphasis
   ("myselfff"), leetspeak inside words ("su1c1de"), text-speak in three languages ("kms",
   "wanna", "unalive", "kiero", "q", "jveux", "chui", "jpp", "g", and French "j" run into a
   verb: "jcrois"), Quebec French ("chu pu capable", "m'as me tuer", "me crisser en l'air"),
   and a small edit-distance correction towards a few words that matter ("sucide", "myslef").
   Sentence punctuation and "but", "pero" and "mais" become clause boundaries ("|"); a comma
   becomes a softer boundary ("/") that only a pattern naming it can cross.
2. Match phrase patterns (regular expressions over the normalised words, with a few words
   allowed in between) in English, Spanish and French, grouped by category: suicide intent,
   passive ideation ("wish I wasn't here", "if i don't wake up tomorrow, that's fine",
   "ojala me durmiera y no despertara"), self-harm ("cut again", "me volvi a cortar", "je me
   suis scarifie"), means (a gun held to the head or in the lap, pills saved up or counted, a
   rope, a bridge, a vehicle driven into a wall), hopelessness ("no reason to keep going", "no
   future", "ya no puedo mas", "plus la force"), being a burden ("better off without me",
   "better off with the life insurance"), farewell ("tell my kids I love them", "you won't hear
   from me again", a goodbye letter), plans ("worked out how i'm going to do it", "ya tengo
   pensado como hacerlo") and harm to others (intent, fear of doing it: "tengo miedo de hacerle
   dano a mi esposa", a gun brought to the station).
3. Check each hit in its clause:
   - negation: "I'm not suicidal", "I would never kill myself", "no quiero morir", "je ne me
     suiciderais jamais" and negated nouns ("no thoughts of hurting myself", "no tengo
     pensamientos suicidas", "aucune idee de...") cancel the hit, but only when the negation
     governs it directly; "I don't know why I want to die" and "I'm not sure I want to live"
     still count, and phrases that are negative by nature ("I don't want to be here anymore",
     "ya no quiero vivir", "je ne veux plus vivre") are patterns in their own right;
   - speaker: generic patterns ("want to die", "feeling suicidal", "gun to my head") must be
     about the writer, so "pt was suicidal", "he jumped off the bridge" or "the suspect pointed
     his gun at my head" (a responder describing a call) do not count;
   - idioms and context: "I could kill for a coffee", "this paperwork is killing me", "me muero
     de risa", "me estoy quemando" (burning out), "ce boulot va me tuer" are not patterns or
     are excluded by the words around them; an injury ("cut myself on the glass", "me volvi a
     lastimar la rodilla"), dying in the line of duty, a future "in this department" or "with
     her", and "nobody will notice if I leave early" are excluded the same way; and a few weak
     hits do not count at all in a message about a duty weapon at work (cleaning, the range,
     qualification, the holster) or about a search or rescue at a scene.
4. Strong hits alarm on their own. Weak hits alarm only when two different kinds meet, so "my
   gun jammed at the range" does not, while "the overpass ... thinking about it" does. The
   kinds are finer than the categories reported: a plan ("figured out how"), a time ("tonight's
   the night", "just need to pick a day"), a height ("looking down at the water"), giving things
   away, settling affairs (a will, passwords, life insurance), last words ("this is my last
   message"), means, contemplation ("can't stop looking at it"), hopelessness, and permanence
   ("nothing will ever change").

Speed: every rule carries the words (or, failing that, pieces of text) that any match of its
pattern must contain, worked out from the pattern itself when the module loads, and a rule is
tried only on the clauses that hold one of them. This gives the same result as trying every
rule everywhere (a unit test checks it on every labelled case) and keeps a 4000-character
message at about 2 to 3 ms.

Limits
------
This is a screen that errs toward caution, not a diagnosis: a human peer reads the message and
decides. It will miss risk said in ways it has no pattern for (euphemism, irony, plans stated
without a known phrase: "i've decided. this weekend", "i keep the gun in the truck now, easier
that way", "ive got it all planned out, sunday after shift"), risk spread over several messages
(each message is read alone), and risk in languages other than English, Spanish and French. It
will raise some false alarms: on dark humour that uses a risk phrase literally ("kms lol"), on a
patient's words quoted in the first person, on ordinary sentences that happen to sound like a
plan ("i know exactly how i'm going to do it", about a presentation), and on long messages,
where weak hits are added up over the whole message even when they come from unrelated
sentences ("the bridge was closed ... thanks for everything"). Its rules were written
and tuned by the person who wrote its main labelled set, and the misses of both held-out sets in
the tests were shown to that person before the second round of rules; only messages its writer
has never seen give a fair estimate of how it does.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

SUICIDE_INTENT = "suicide_intent"
PASSIVE_IDEATION = "passive_ideation"
SELF_HARM = "self_harm"
MEANS = "means"
HOPELESSNESS = "hopelessness"
BURDEN = "burden"
FAREWELL = "farewell"
HARM_TO_OTHERS = "harm_to_others"
CONTEMPLATION = "contemplation"

# Every reason `assess` can give, in the order it gives them.
CATEGORIES: tuple[str, ...] = (
    SUICIDE_INTENT,
    PASSIVE_IDEATION,
    SELF_HARM,
    MEANS,
    HOPELESSNESS,
    BURDEN,
    FAREWELL,
    HARM_TO_OTHERS,
    CONTEMPLATION,
)

# Kinds of weak signal that are reported under one of the categories above but count as a
# kind of their own when weak hits are added up (see `assess`).
_PLAN = "plan"  # "figured out how", "got it all planned"
_TIMING = "timing"  # "tonight's the night", "just need to pick a day"
_NEVER = "never"  # nothing will ever change
_LEDGE = "ledge"  # "looking down at the water", "how high it is"
_GIVING = "giving"  # "gave my dog to my brother"
_AFFAIRS = "affairs"  # a will, passwords, life insurance
_LAST_WORDS = "last_words"  # "this is my last message", "when i am gone"


@dataclass(frozen=True, slots=True)
class Assessment:
    """Whether a message should be treated as urgent, and the kinds of risk seen in it."""

    at_risk: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Rule:
    category: str
    kind: str
    pattern: re.Pattern[str]
    # Every match contains one of `need_words` as a word or one of `need_texts` as text;
    # both empty when nothing is known (see `_needs`).
    need_words: frozenset[str]
    need_texts: tuple[str, ...]
    strong: bool
    negatable: bool
    first_person: bool
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    unless: re.Pattern[str] | None


# Clause boundaries in a normalised message: "|" for sentence punctuation and "but", and a
# softer "/" for a comma. Neither is matched by `\w`, so no gap in a pattern crosses either;
# a pattern crosses a comma only where it says "/" ("if i don't wake up, that's fine").
_BOUNDARY = "|"
_SOFT_BOUNDARY = "/"
_BOUNDARIES = frozenset({_BOUNDARY, _SOFT_BOUNDARY})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ------------------------------------------------------------------------- a prefilter
#
# Trying some 180 regular expressions over the whole of a long message costs tens of
# milliseconds, and nearly all of them cannot match. `_required` reads a rule's own pattern
# and finds strings one of which every match must contain: for "(?:wish|hope) i (?:would
# not|never) wake up", " wake up", so the word "wake". A rule is then tried only on the
# clauses of the message that contain one of them (no pattern crosses a "|" boundary).
# The reader knows the part of the regular-expression syntax the rules use; anything it
# cannot read counts as "could be anything", so a rule it cannot analyse is always tried.


@dataclass(frozen=True, slots=True)
class _Piece:
    """One element of a parsed pattern."""

    what: str  # "char", "group", "zero" (a lookaround) or "other" (\w, [..], ...)
    char: str = ""  # for "char"; _EDGE for a word boundary (\b, ^, $)
    group: tuple[tuple[_Piece, ...], ...] = ()
    optional: bool = False


_EDGE = "\x01"  # stands for a word boundary in the strings `_required` finds
_QUANTIFIER = re.compile(r"[?*+]|\{(\d*)(?:,\d*)?\}")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_MOST_STRINGS = 64  # a limit on alternatives multiplied out ("(?:a|b) (?:c|d)": 4 strings)


def _parse(source: str, start: int) -> tuple[list[list[_Piece]], int]:
    """The alternatives of `source` from `start` up to the `)` that closes them."""
    alternatives: list[list[_Piece]] = [[]]
    i = start
    while i < len(source):
        if source[i] == ")":
            return alternatives, i + 1
        if source[i] == "|":
            alternatives.append([])
            i += 1
            continue
        piece, i = _parse_atom(source, i)
        quantifier = _QUANTIFIER.match(source, i)
        if quantifier:
            i = quantifier.end()
            if i < len(source) and source[i] in "?+":
                i += 1  # lazy or possessive
            text = quantifier.group(0)
            optional = text in "?*" or (text[0] == "{" and int(quantifier.group(1) or 0) == 0)
            if piece.what == "char":  # a repeated or optional character is no longer literal
                piece = _Piece("other")
            piece = _Piece(piece.what, piece.char, piece.group, optional)
        alternatives[-1].append(piece)
    return alternatives, i


def _parse_atom(source: str, i: int) -> tuple[_Piece, int]:
    """One character, escape, class or group at `i`, and where what follows it starts."""
    char = source[i]
    if char == "(":
        lookaround = next((p for p in _LOOKAROUNDS if source.startswith(p, i)), "")
        if lookaround:
            _, end = _parse(source, i + len(lookaround))
            return _Piece("zero"), end
        inner, end = _parse(source, i + (3 if source.startswith("(?:", i) else 1))
        return _Piece("group", group=tuple(tuple(a) for a in inner)), end
    if char == "[":
        i += 2 if source.startswith("[^", i) else 1
        i += 1  # a "]" first in a class is literal
        while source[i] != "]":
            i += 2 if source[i] == "\\" else 1
        return _Piece("other"), i + 1
    if char == "\\":
        escaped = source[i + 1]
        if escaped == "b":
            return _Piece("char", char=_EDGE), i + 2
        if escaped.isalnum():
            return _Piece("other"), i + 2
        return _Piece("char", char=escaped), i + 2
    if char in "^$":
        return _Piece("char", char=_EDGE), i + 1
    return _Piece("other" if char == "." else "char", char=char), i + 1


def _literals(alternatives: tuple[tuple[_Piece, ...], ...]) -> set[str] | None:
    """Every string a group can match, when it is a choice of fixed strings; else None."""
    found: set[str] = set()
    for sequence in alternatives:
        strings = {""}
        for piece in sequence:
            if piece.optional or piece.what == "other":
                return None
            if piece.what == "char":
                strings = {s + piece.char for s in strings}
            elif piece.what == "group":
                inner = _literals(piece.group)
                if inner is None:
                    return None
                strings = {s + t for s in strings for t in inner}
        found |= strings
        if len(found) > _MOST_STRINGS:
            return None
    return found


def _required_in(
    alternatives: tuple[tuple[_Piece, ...], ...], before: str = "", after: str = ""
) -> frozenset[str] | None:
    """Strings one of which every match contains, given the characters either side."""
    found: set[str] = set()
    for sequence in alternatives:
        best = _required_in_sequence(sequence, before, after)
        if best is None:
            return None
        found |= best
    return frozenset(found)


def _last_chars(
    alternatives: tuple[tuple[_Piece, ...], ...], before: frozenset[str] | None
) -> frozenset[str] | None:
    """The characters a match of a group can end with (or `before`, for an empty match)."""
    found: set[str] = set()
    for sequence in alternatives:
        last = before
        for piece in sequence:
            last = _after_piece(piece, last)
        if last is None:
            return None
        found |= last
    return frozenset(found)


def _after_piece(piece: _Piece, last: frozenset[str] | None) -> frozenset[str] | None:
    """The characters that can come just before what follows `piece`."""
    if piece.what == "zero":
        return last
    if piece.what == "char" and not piece.optional:
        return frozenset(piece.char)
    if piece.what != "group":
        return None
    inner = _last_chars(piece.group, last)
    if not piece.optional or inner is None or last is None:
        return inner if not piece.optional else None
    return inner | last


def _required_in_sequence(
    sequence: tuple[_Piece, ...], before: str, after: str
) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    runs = {before}  # the literal text matched so far, one string per way of matching it
    last: frozenset[str] | None = frozenset(before) if before else None

    def flush() -> None:
        if all(runs):
            candidates.append(frozenset(runs))

    for index, piece in enumerate(sequence):
        if piece.what == "zero":
            continue  # a lookaround consumes nothing: the characters either side are adjacent
        if piece.what == "char" and not piece.optional:
            runs = {run + piece.char for run in runs}
            last = frozenset(piece.char)
            continue
        literals = _literals(piece.group) if piece.what == "group" else None
        if (
            literals is not None
            and not piece.optional
            and len(runs) * len(literals) <= _MOST_STRINGS
        ):
            runs = {run + literal for run in runs for literal in literals}
            last = _after_piece(piece, last)
            continue
        flush()
        if piece.what == "group" and not piece.optional:
            following = sequence[index + 1] if index + 1 < len(sequence) else None
            inner = _required_in(
                piece.group,
                next(iter(last)) if last and len(last) == 1 else "",
                following.char if following and following.what == "char" and
                not following.optional else "",
            )
            if inner is not None:
                candidates.append(inner)
        last = _after_piece(piece, last)
        # What follows starts just after a known character: "(?:\w+ )?crash" -> " crash".
        runs = {next(iter(last))} if last and len(last) == 1 else {""}
    runs = {run + after for run in runs}
    flush()
    if not candidates:
        return None
    # The most selective choice: uncommon words, long strings, and few of them.
    return max(
        candidates,
        key=lambda strings: (min(map(_selectivity, strings)), min(map(len, strings)),
                             -len(strings)),
    )


# Words too common to be worth looking for.
_COMMON = _words(
    "i me my the a an to of in on at it is am are was be been do not no and or but so just "
    "that this for with you he she they we have has had will would can could should might all "
    "about up out off how when what get got go going want like feel one there here then now "
    "que de la el en y los las se mi por con para un una lo le es ya yo te mas pero como todo "
    "esta estoy si hay ser muy je j le les l et pas plus ne ma mon mes qui ce c est pour dans "
    "sur avec tout ca il elle on au du des s n ai"
)
_SEPARATORS = re.compile(f"[ {_EDGE}]")


def _complete_words(text: str) -> list[str]:
    """The uncommon words of `text` with a space or word boundary on both sides."""
    return [word for word in _SEPARATORS.split(text)[1:-1] if word and word not in _COMMON]


def _selectivity(text: str) -> int:
    if _complete_words(text):
        return 3
    if any(len(word) >= 3 and word not in _COMMON for word in _SEPARATORS.split(text)):
        return 2
    return 1 if text.replace(_EDGE, "").strip() else 0


def _required(pattern: str) -> frozenset[str]:
    """Strings one of which every match of `pattern` contains; empty when there are none."""
    alternatives, _ = _parse(rf"\b(?:{pattern})\b", 0)
    return _required_in(tuple(tuple(a) for a in alternatives)) or frozenset()


def _needs(pattern: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """What `_Rule.need_words` and `_Rule.need_texts` say about `pattern`."""
    words: set[str] = set()
    texts: set[str] = set()
    for found in _required(pattern):
        complete = _complete_words(found)
        text = found.replace(_EDGE, "")
        if complete:
            words.add(max(complete, key=len))
        elif text.strip():
            texts.add(text)
        else:  # only spaces: no use, so nothing can be said about this rule
            return frozenset(), ()
    return frozenset(words), tuple(sorted(texts))


def _rule(
    category: str,
    pattern: str,
    *,
    strong: bool = True,
    kind: str | None = None,
    negatable: bool = False,
    first_person: bool = False,
    not_before: str | None = None,
    not_after: str | None = None,
    unless: str | None = None,
) -> _Rule:
    need_words, need_texts = _needs(pattern)
    return _Rule(
        category=category,
        kind=kind or category,
        pattern=re.compile(rf"\b(?:{pattern})\b"),
        need_words=need_words,
        need_texts=need_texts,
        strong=strong,
        negatable=negatable,
        first_person=first_person,
        # Checked against the end of the clause before the match and the start of what follows.
        not_before=re.compile(rf"\b(?:{not_before})$") if not_before else None,
        not_after=re.compile(rf"^ (?:{not_after})\b") if not_after else None,
        # Checked against the whole message: a context in which the rule does not count.
        unless=re.compile(rf"\b(?:{unless})\b") if unless else None,
    )


# Up to one or two words in between. Words are separated by single spaces and a clause
# boundary is a "|" token, which `\w` does not match, so a gap never crosses a clause.
_G1 = r"(?:\w+ )?"
_G2 = r"(?:\w+ ){0,2}"
_G3 = r"(?:\w+ ){0,3}"
_CLAUSE_END = r"(?= *(?:[|/]|$))"

_EN_INTENT = (
    r"(?:want to|wanted to|going to|plan to|planning to|planned to|about to|ready to|need to|"
    r"have to|should|could|might|will|ill|feel like|tempted to|thinking (?:about|of)|"
    r"thought (?:about|of)|think (?:about|of)|considering|considered|keep thinking about)"
)
_EN_AGAIN = r"(?:anymore|any more|any longer|no more)"
_EN_FAMILY = (
    r"(?:wife|husband|partner|ex|kids|children|son|daughter|family|girlfriend|boyfriend|baby|"
    r"fiance|fiancee|brother|sister|parents|mom|dad)"
)
_EN_PEOPLE = (
    r"(?:someone|somebody|anyone|anybody|people|him|her|them|everyone|everybody|"
    r"(?:them|you) all|all of (?:them|you)|"
    r"(?:that|the|this) (?:guy|man|woman|dude|driver|bastard|idiot|suspect|perp|prick|asshole)|"
    rf"my {_EN_FAMILY}|"
    r"my (?:boss|sergeant|sarge|captain|lieutenant|lt|chief|neighbou?r|"
    r"supervisor|coworker|coworkers|father|mother|crew))"
)
_EN_PILLS = r"(?:pills|meds|tablets|medication|medications|pill bottle|sleeping pills)"
_EN_GUN = (
    r"(?:gun|guns|pistol|weapon|sidearm|firearm|rifle|shotgun|glock|service weapon|ar|ar15|"
    r"revolver|handgun)"
)
_ES_PILLS = r"(?:pastillas|pildoras|medicamentos|medicinas|somniferos|calmantes)"
_ES_GUN = r"(?:arma|pistola|revolver|escopeta|fusca|fierro)"
_FR_PILLS = r"(?:cachets|medocs|medicaments|pilules|comprimes|somniferes)"
_FR_GUN = r"(?:arme|flingue|pistolet|fusil|revolver|gun)"
# Across a comma: up to two words, the comma, and a few words of no content
# ("if i don't wake up tomorrow, honestly that's fine").
_EN_THEN = (
    r"(?:\w+ ){0,3}(?:/ )?(?:(?:that|this|it|is|would|be|honestly|really|totally|just|i|am|so|"
    r"then|and|by|me|with|tbh|kind|of|all|thats|its) ){0,4}"
)
_ES_THEN = (
    r"(?:\w+ ){0,2}(?:/ )?(?:(?:pues|la|verdad|y|ya|tambien|tampoco|que|sinceramente|"
    r"honestamente|mejor|me|la neta|total) ){0,3}"
)
_FR_THEN = (
    r"(?:\w+ ){0,2}(?:/ )?(?:(?:et|ben|bah|franchement|honnetement|alors|eh|bon|bref|ca|"
    r"serait|je|trouve) ){0,3}"
)
# Dying in the line of duty, which responders talk about without it being a wish.
_ON_DUTY = (
    r"(?:on|in) (?:the job|duty|the line|a fire|a call|service|the line of duty)|"
    r"en (?:servicio|el trabajo|una llamada|un incendio|acto de servicio|una guardia)|"
    r"en (?:service|intervention|mission)|au (?:travail|boulot|feu)"
)
# A scene at work: a search, a rescue, a patient. Looking down from a bridge does not count in
# a message that says so.
_WORK_SCENE = (
    r"search|searching|looking for|rescue|recovery|dive|diver|divers|swift ?water|the body|"
    r"a body|jumper|victim|patient|pt|call|scene|busqueda|buscando|buscar|rescate|buzos?|"
    r"el cuerpo|paciente|victima|recherche|chercher|cherchant|sauvetage|plongeurs?|le corps|"
    r"victime|patiente?|intervention"
)
# Harm by accident: "afraid i'll hurt someone with the truck, i'm so tired".
_BY_ACCIDENT = (
    r"(?:with|in|driving) (?:the|my|a|this) (?:rig|truck|ambulance|engine|car|unit|bus)|"
    r"driving|behind the wheel|by accident|accidentally|"
    r"(?:con|en) (?:el|la|mi) (?:camion|ambulancia|patrulla|carro|coche|auto|unidad)|"
    r"manejando|conduciendo|sin querer|"
    r"(?:avec|en) (?:le|la|mon|ma) (?:camion|ambulance|voiture|vehicule|auto|engin)|"
    r"en conduisant|au volant|sans (?:le )?faire expres|par accident"
)
_IDIOM_DEATH = (
    r"(?:of|from) (?:embarrassment|shame|boredom|laughter|laughing|cringe)|laughing|"
    r"de (?:la )?(?:verguenza|risa|hambre|sueno|calor|frio|pena|cansancio|aburrimiento|amor)|"
    r"de (?:faim|rire|froid|chaud|soif|peur|honte|ennui|fatigue)"
)
# A duty weapon at work: cleaning, the range, qualification, the locker. Mentions of a gun (and
# bringing one to work) do not count in a message that says so.
_WORK_WEAPON = (
    r"clean\w*|range|qual|quals|qualification|qualifying|requal\w*|holster\w*|lock ?box|"
    r"gun safe|locker|armou?r\w*|inspection|training|hip|duty belt|on duty|patrol|"
    r"limpi\w*|poligono|entrenamiento|"
    r"practica de tiro|nettoy\w*|stand de tir|champ de tir|entrainement|armurier|requalif\w*"
)

_RULES: tuple[_Rule, ...] = (
    # ---------------------------------------------------------------- English
    _rule(SUICIDE_INTENT, r"kill(?:ing|ed)? my ?self", negatable=True,
          not_before=r"(?:almost|nearly|practically)(?: \w+)?", not_after="laughing"),
    _rule(SUICIDE_INTENT, r"(?:end|ending|take|taking|took) my (?:own )?life", negatable=True),
    _rule(SUICIDE_INTENT, r"(?:end|ending) it all|(?:end|ending) (?:things|everything)",
          negatable=True, first_person=True, not_after="with"),
    _rule(SUICIDE_INTENT, rf"{_EN_INTENT} (?:just )?(?:end|ending) it", negatable=True,
          first_person=True, not_after="with"),
    _rule(SUICIDE_INTENT, rf"(?:am|feel|feeling|felt|been|get|getting|was|so) {_G2}suicidal",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT, r"suicid(?:al|e) (?:thoughts|ideation|feelings|thinking|urges)",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT,
          r"(?:thinking|thought|thoughts|think|thinkin) (?:about|of) (?:suicide|dying|death|"
          r"ending it|ending things|killing myself)",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT, r"(?:commit|committing|attempt|attempted|attempting) suicide",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT,
          r"(?:want to|going to|should|might|will|just|about to|ready to|could) (?:\w+ )?kys",
          negatable=True),
    # Plans: the how or the when settled, with the writer as the one who will do "it".
    _rule(CONTEMPLATION,
          r"(?:figured|worked|thought|sorted) out (?:exactly )?(?:how|when|where) "
          rf"(?:i am going to|i will|ill|i would|i am gonna) (?:do it|end it|go{_CLAUSE_END})|"
          r"(?:know|decided|chose|picked) (?:exactly )?(?:how|when|where) "
          r"(?:i am going to|i will|ill|i would) (?:do it|end it)",
          negatable=True),
    _rule(CONTEMPLATION,
          r"(?:figured|worked|thought|sorted) out (?:exactly )?(?:how|when|where)"
          r"(?= *(?:[|/]|$| to do it| and when))|"
          r"(?:have|got|made|making|had) (?:a|the|my) (?:\w+ )?plan"
          r"(?= *(?:[|/]|$| and| for (?:it|how|when|tonight|tomorrow)))|"
          r"(?:got|have|had) (?:it|everything) (?:all )?(?:planned|figured|worked|mapped) out|"
          r"planned it (?:all )?out|(?:it is|its|everything is) (?:all )?planned",
          strong=False, kind=_PLAN, negatable=True),
    _rule(CONTEMPLATION,
          r"(?:tonight|tonights|today|todays|tomorrow) (?:is )?the (?:night|day)"
          rf"{_CLAUSE_END}|"
          r"(?:pick|picked|picking|choose|chose|chosen|choosing|set|setting) (?:a|the) "
          r"(?:day|date|night|time)(?= *(?:[|/]|$| for it))|"
          r"(?:when|once|after) the (?:kids|family|wife|house) (?:are|is) (?:asleep|gone|away)"
          rf"{_CLAUSE_END}",
          strong=False, kind=_TIMING, negatable=True),
    _rule(PASSIVE_IDEATION, r"(?:want|wanted|wanting|wish|ready|deserve) to die",
          negatable=True, first_person=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION, r"wish (?:i|i would|i had) (?:was|were|had|been) (?:dead|never born)"),
    _rule(PASSIVE_IDEATION,
          r"(?:wish|hope) i (?:would not|could not|did not|do not|will not|never) wake up|"
          r"(?:do not|never) want to wake up|"
          r"(?:sleep|go to sleep|fall asleep|close my eyes) (?:\w+ ){0,2}and (?:just )?"
          r"(?:never|not) (?:\w+ )?(?:wake up|wake|open them)|sleep forever|"
          r"(?:never|not) wake up again"),
    # Indifference to not waking up or to dying: "if i don't wake up tomorrow that's fine".
    _rule(PASSIVE_IDEATION,
          r"if i (?:do not|did not|never|would not|just do not|just did not) (?:wake up|"
          rf"make it home|come home|make it back) {_EN_THEN}(?:fine|ok|okay|alright|relief|"
          r"a relief|good|better|whatever|so be it|not care|not mind|nice|blessing|"
          r"what i want)|"
          r"(?:would not|do not|will not|would honestly not) (?:mind|care) (?:if i )?"
          r"(?:dying|died|not waking up|did not wake up|never woke up|was dead|were dead|"
          rf"got killed|getting killed|did not make it|do not make it)(?! (?:{_ON_DUTY}))|"
          r"(?:hope|hoping|pray|praying) (?:that )?i (?:die|do not make it|get killed|"
          r"never wake up|do not come home)|"
          r"hope (?:the next|this|the) (?:call|fire|shift|run|job) (?:\w+ )?(?:kills|takes) me"),
    _rule(PASSIVE_IDEATION,
          r"(?:do not|does not|did not|no longer) (?:\w+ )?want to (?:live|be alive|exist|"
          r"keep living|go on living|"
          rf"be (?:here|around)(?= *(?:[|/]|$|{_EN_AGAIN}|on this earth)))"),
    _rule(PASSIVE_IDEATION,
          r"(?:not sure|unsure|do not know|dunno|do not think|doubt) (?:if |that |whether )?"
          r"(?:i|i will|ill) (?:\w+ )?(?:want to|can|wanna|be able to) (?:live|keep going|go on|"
          r"be alive|be here|keep living|wake up|exist|do this|make it)"),
    # "dont think ill be around much longer"
    _rule(PASSIVE_IDEATION,
          r"(?:will not|not going to|do not think i will|do not think ill|might not|may not|"
          r"probably will not|doubt i will|doubt ill) be (?:around|here|alive) "
          r"(?:much longer|for long|long|for much longer|to see)",
          first_person=True,
          not_after=r"(?:in|at) (?:this|the|that) (?:job|department|dept|station|house|place)"),
    _rule(PASSIVE_IDEATION, r"(?:want|wanted|wish i could) to (?:stop|quit) (?:existing|living|"
                            r"being alive)|(?:cease|ceased) to exist",
          negatable=True, first_person=True),
    _rule(PASSIVE_IDEATION, r"(?:rather|better off|better) (?:be )?dead", negatable=True,
          first_person=True),
    _rule(PASSIVE_IDEATION,
          r"(?:tired|sick) of (?:living|being alive|life|existing|being here)",
          negatable=True, first_person=True),
    _rule(PASSIVE_IDEATION, r"done with (?:life|living|everything|it all)", negatable=True,
          first_person=True),
    _rule(PASSIVE_IDEATION,
          r"want (?:it|it all|everything|all of it|the pain|all this) to (?:stop|end)",
          negatable=True),
    _rule(PASSIVE_IDEATION, r"(?:want|wanna|would like|like|wish i could|need) to (?:just )?"
                            r"disappear(?= *(?:[|/]|$| and| for| forever))|"
                            r"(?:disappear|disappeared|vanish|vanished) (?:for good|forever)",
          negatable=True, first_person=True),
    _rule(PASSIVE_IDEATION, r"(?:life is|lifes|it is) not worth (?:living|it anymore)|"
                            r"not worth living"),
    _rule(HOPELESSNESS,
          r"(?:no|not any|not a|nothing|zero) (?:\w+ )?(?:reason|point|purpose) (?:to|in|for|of) "
          r"(?:\w+ )?(?:live|living|keep going|going on|go on|carry on|being alive|"
          r"being here|continue|any of (?:it|this))"),
    _rule(HOPELESSNESS,
          r"(?:do not|can not|could not) see (?:a|the|any) (?:point|reason|purpose) "
          r"(?:in|of|to|for) (?:\w+ )?(?:living|life|live|going on|keep going|being alive)"),
    _rule(HOPELESSNESS,
          r"what is the (?:point|use) (?:of|in) (?:living|life|going on|anything|"
          r"any of (?:it|this)|it all|being alive|trying anymore)|"
          rf"what is the point {_EN_AGAIN}|no point {_EN_AGAIN}|"
          r"no point (?:in|to) (?:anything|any of (?:it|this))"),
    _rule(HOPELESSNESS, r"nothing (?:left )?to live for|no (?:future|hope) for me"),
    # No future: "can't see any future". Not a career: "no future in this department".
    _rule(HOPELESSNESS,
          r"(?:can not|do not|could not|no longer|can no longer) see (?:a|any|much of a|my|"
          r"the|no) future|(?:there is|i have|i got|i have got|i see) no future|"
          r"no future (?:left|ahead|anymore)|"
          r"(?:can not|do not|could not) (?:see|picture|imagine) (?:myself|me) (?:\w+ )?"
          r"(?:living|alive|being (?:here|around|alive)|growing old|getting old|making it to)",
          # A future somewhere or with someone is about a job or a relationship.
          not_after=r"(?:with|together|in|at|here|there)|(?:on|for) (?:this|the|that|a|our|us|"
                    r"my (?:job|career|department|marriage|relationship))"),
    _rule(HOPELESSNESS,
          rf"(?:can not|could not) (?:do|take|handle|stand) (?:this|it|life) {_EN_AGAIN}|"
          r"(?:can not|could not) (?:go on|keep going|carry on|keep living)"
          rf"(?= *(?:[|/]|$|like this|this way|{_EN_AGAIN}|living))"),
    _rule(HOPELESSNESS, r"(?:feel|feeling|am|so|completely|totally) (?:\w+ )?hopeless",
          negatable=True, first_person=True,
          not_after=r"about (?:the|this|that|getting|work|my (?:job|career|promotion))"),
    _rule(HOPELESSNESS, rf"i am (?:just )?done{_CLAUSE_END}", strong=False),
    _rule(HOPELESSNESS, r"(?:give|giving|gave|given) up on (?:life|living|everything|myself)",
          negatable=True, first_person=True),
    _rule(HOPELESSNESS, r"no way out|(?:can not|do not) see (?:a|any) way (?:out|forward)|"
                        rf"nothing left{_CLAUSE_END}|no hope left|lost all hope|"
                        r"(?:there is|i have|i got) no hope", strong=False),
    # Permanence: "nothing will ever change". Not about a workplace ("in this department").
    _rule(HOPELESSNESS,
          r"(?:nothing|it|things) (?:will|is going to|is ever going to) (?:ever )?"
          r"(?:change|get better|be any different)(?= *(?:[|/]|$| ever| for me))|"
          r"(?:it|things) (?:will|is going to) never (?:change|get better)",
          strong=False, kind=_NEVER),
    _rule(CONTEMPLATION, r"(?:scared|afraid|worried|frightened) (?:of|about) what i "
                         r"(?:might|could|will|would|am going to) do",
          first_person=True),
    _rule(HOPELESSNESS, r"(?:worthless|pointless|empty inside)|"
                        r"(?:tired|sick|exhausted) of (?:fighting|trying|struggling|hurting)"
                        rf"(?: (?:this|it|anymore|every day))?{_CLAUSE_END}",
          strong=False),
    _rule(CONTEMPLATION, rf"(?:i am|i think i am|i feel) (?:so |just )?ready to go{_CLAUSE_END}",
          strong=False, first_person=True),
    _rule(BURDEN, rf"(?:better|happier|easier|fine|okay|ok) (?:off )?{_G1}without me"),
    _rule(BURDEN,
          r"(?:better|happier|easier|fine) (?:off )?if i (?:was|were|am) (?:\w+ )?"
          r"(?:gone|dead|not here|not around)"),
    # Worth more dead: "better off with the life insurance than with me".
    _rule(BURDEN,
          r"(?:better|happier|easier|richer) (?:off )?(?:\w+ ){0,2}with (?:\w+ ){0,2}"
          r"(?:insurance|payout|death benefit|pension)|worth more (?:\w+ ){0,3}dead|"
          r"(?:insurance|policy) (?:\w+ ){0,3}(?:pays|pay|paid|covers|cover|covered) "
          r"(?:\w+ ){0,4}(?:suicide|if i die|when i die|if i am gone|if i died)"),
    # Nobody would notice, or miss me; not "nobody will notice if i leave early".
    _rule(BURDEN,
          r"(?:nobody|no one|noone) (?:would|will|is going to|going to|even) (?:\w+ )?"
          r"(?:miss me|notice|care if)|(?:nobody|no one|noone) (?:would|will) (?:\w+ )?miss",
          not_after=r"if i (?:leave|left|skip|skipped|miss|missed|am late|was late|take|took|"
                    r"call|called|sneak|go home|went home|dip|duck out)"),
    _rule(BURDEN, r"(?:get|have|collect|cash in|keep) (?:my |the )?(?:pension|life insurance|"
                  r"insurance|death benefit|payout) (?:\w+ )?and (?:be|would be) (?:fine|okay|ok|"
                  r"better|set|better off)"),
    _rule(BURDEN, r"i am (?:just |only |such |nothing but )?(?:a|an) (?:\w+ )?burden|"
                  r"(?:feel|feeling|felt) (?:like )?(?:a|an|such a|nothing but a) (?:\w+ )?burden|"
                  r"burden (?:to|on|for) (?:everyone|everybody|my|them|you|the)",
          negatable=True),
    # Means. A gun held to the head or in the mouth, by the writer (not "he had a gun to his
    # head").
    _rule(MEANS, rf"(?:eat|eating|ate) my {_EN_GUN}|{_EN_GUN} {_G2}in my mouth|"
                 rf"{_EN_GUN} (?:\w+ ){{0,3}}(?:to|against|under) my (?:head|temple|chin|"
                 rf"chest|heart)|my {_EN_GUN} (?:\w+ ){{0,2}}at my (?:head|temple|chin|chest)|"
                 r"barrel (?:in|against|to|under) my (?:mouth|head|temple|chin)",
          first_person=True),
    # The means in hand, now: "i'm holding my pills", "got the gun in my lap".
    _rule(MEANS,
          r"(?:holding|hold|gripping|have|got|sitting with|sitting here with) "
          rf"(?:\w+ ){{0,2}}(?:{_EN_GUN}|{_EN_PILLS}|rope|noose|blade|razor) (?:\w+ ){{0,3}}"
          r"in my (?:hand|hands|lap|mouth)|"
          rf"(?:{_EN_GUN}|{_EN_PILLS}) (?:is|are) (?:\w+ ){{0,2}}in my (?:hand|hands|lap|mouth)|"
          rf"(?:{_EN_GUN}|{_EN_PILLS}) (?:\w+ ){{0,2}}in my (?:lap|mouth)",
          first_person=True, unless=_WORK_WEAPON,
          not_after=r"(?:when|while|during|every time|each time|whenever|if|for|"
                    r"on (?:a|the|calls?|scene|duty)|at (?:work|the))"),
    # The gun named earlier in the clause: "cleaned my gun and sat with it in my mouth".
    _rule(MEANS,
          rf"{_EN_GUN} (?:\w+ |/ ){{0,12}}(?:it|the barrel|the muzzle) (?:in my mouth|"
          r"to my head|against my (?:head|temple)|under my chin)",
          first_person=True),
    _rule(MEANS, r"(?:shoot|shooting|shot) my ?self", negatable=True,
          not_after="in the (?:foot|leg|hand)"),
    _rule(MEANS, r"(?:bullet|round) (?:in|through) my (?:head|brain|skull)|"
                 r"blow my (?:brains|head) (?:out|off)"),
    _rule(MEANS, r"(?:hang|hanging) my ?self|noose", negatable=True),
    _rule(MEANS,
          r"(?:jump|jumping|throw myself|throwing myself|step|stepping) (?:off|from|in front of|"
          r"under) (?:a |the |an |that |this )?(?:bridge|overpass|roof|building|cliff|balcony|"
          r"train|truck|bus|parking garage)",
          negatable=True, first_person=True),
    _rule(MEANS,
          r"(?:take|taking|swallow|swallowing|down|downing) (?:all|every one of|a bunch of|"
          rf"a handful of|the whole bottle of|the rest of) {_G2}{_EN_PILLS}",
          negatable=True, first_person=True),
    _rule(MEANS,
          r"(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|counting|counted|"
          rf"stashing|stashed) (?:up )?(?:\w+ )?{_EN_PILLS}|"
          rf"{_EN_PILLS} (?:\w+ ){{0,2}}(?:saved|stockpiled|hoarded|stashed|put aside|set aside)|"
          rf"how many (?:\w+ ){{0,3}}{_EN_PILLS} (?:\w+ ){{0,3}}(?:take|kill|be enough|"
          r"to die|is lethal|is fatal)|"
          rf"(?:enough|lethal dose of|lethal amount of) (?:\w+ )?{_EN_PILLS}|"
          r"(?:would|will|is|be) enough to (?:kill me|do it|end it|die)",
          first_person=True),
    # A vehicle as means: with intent it alarms; alone it is a weak hit.
    _rule(MEANS,
          rf"(?:{_EN_INTENT}|keep thinking about|picture|picturing|imagine|imagining|"
          r"fantasi[sz]e about|fantasi[sz]ing about|urge to) (?:myself |just )?"
          r"(?:driving|drive|crashing|crash|steering|steer|swerving|swerve|ramming|ram|"
          r"plowing|plow|slamming|slam|wrapping|wrap|putting|put) (?:\w+ ){0,3}"
          r"(?:into|off|under|in front of) (?:\w+ ){0,2}(?:overpass|wall|bridge|pillar|"
          r"abutment|tree|pole|traffic|semi|truck|cliff|embankment|barrier|river|lake|median|"
          r"train|bus)|"
          rf"(?:{_EN_INTENT}|keep thinking about|picture|picturing|imagine|imagining|urge to) "
          r"(?:just )?(?:jerking|jerk|turning|turn|yanking|yank|cranking|crank) the wheel|"
          r"(?:letting|let) go of the wheel|"
          rf"{_EN_INTENT} (?:just )?(?:overdose|overdosing|od|oding|driving into|drive into|"
          r"crashing into|crash into|drive off|driving off)|"
          r"(?:crash|crashing|wreck|wrecking|roll|rolling|flip|flipping) (?:my|the) (?:\w+ )?"
          r"(?:car|truck|rig|unit|ambulance|cruiser|bike) on purpose|"
          r"make it look like an accident",
          negatable=True, first_person=True),
    _rule(MEANS,
          r"(?:drive|driving|crash|crashing|steer|steering|swerve|swerving) (?:\w+ ){0,3}into "
          r"(?:\w+ ){0,2}(?:overpass|wall|pillar|abutment|oncoming|semi|barrier)",
          strong=False, first_person=True),
    _rule(MEANS,
          r"(?:bought|buying|got|getting|made|tied|tying) (?:a |some |the |my )?(?:\w+ )?"
          r"(?:rope|noose)",
          first_person=True, not_after="(?:rescue|bag|team|access|ladder|course|drill)"),
    _rule(SELF_HARM,
          r"(?:cut|cutting|slit|slitting|carve|carving|carved|scratched|burned|burnt|burning|"
          r"burn) (?:into )?"
          r"my (?:wrists|wrist|throat|arms|arm|thighs|thigh|legs|skin|stomach|forearm)|"
          r"(?:cut|cutting|hurt|hurting|harm|harming|burn|burning|burned|punish|punishing|"
          r"starve|starving) my ?self|self (?:harm|harmed|harming|injury|injuring)",
          negatable=True, first_person=True,
          # "cut myself on the glass", "with the saw"; but not "with a lighter".
          not_after=r"(?:on|with(?! (?:a |the |my )?(?:lighter|razor|razors|blade|blades|"
                    r"razorblade|knife|cigarette|cigarettes|scissors))|shaving|while|opening|"
                    r"by accident|accidentally|at work|lifting|training|call|calls|patient|"
                    r"patients|pt|assessment|screening)"),
    _rule(SELF_HARM,
          r"(?:i|i have|i am|been|started|start|back to|went back to|keep|kept) "
          r"(?:cutting|cut) again|(?:started|back to|went back to|keep) cutting"
          # not "started cutting the roof", "back to cutting costs"
          r"(?! (?:the|a|an|his|her|their|our|back|down|through|off|out|into|up|costs|hair|"
          r"wood|grass|lawn|metal|it|vent|holes?)\b)",
          first_person=True),
    _rule(MEANS, rf"my (?:\w+ ){{0,2}}{_EN_GUN}", strong=False, unless=_WORK_WEAPON),
    _rule(MEANS, rf"{_EN_PILLS}|bridge|overpass|rope|train tracks|the tracks|ledge|"
                 r"(?:edge|top) of (?:the|a|that) (?:\w+ )?(?:roof|building|garage|cliff|"
                 r"tower|parking structure)",
          strong=False),
    _rule(CONTEMPLATION,
          r"(?:thinking|thought|think|thinkin) about (?:it|that|doing it|jumping|it again)|"
          r"(?:so|would be|it would be) (?:so )?easy|tempted|(?:keep|kept) (?:looking|staring) at|"
          r"(?:can not|could not|do not) stop (?:looking|staring|thinking) (?:at|about)|"
          r"not for camping|just in case|"
          r"(?:will not|do not|am not going to) (?:be )?need(?:ing)? (?:them|it|these|those|this|"
          r"any of (?:it|this|them|that)|my \w+)",
          strong=False),
    # On a height, looking down: weak, and only about the writer.
    _rule(CONTEMPLATION,
          r"(?:looking|staring|look|stare|looked|stared|gazing) (?:\w+ )?(?:down )?"
          r"(?:at|into|over) (?:the )?(?:water|river|drop|edge|ledge|traffic|tracks|railing)|"
          rf"looking (?:straight )?down{_CLAUSE_END}|how (?:high|far down|far the drop)|"
          r"(?:on|over) the (?:edge|ledge|railing)",
          strong=False, kind=_LEDGE, first_person=True, unless=_WORK_SCENE),
    _rule(FAREWELL, r"this is (?:my )?goodbye|goodbye (?:forever|for good)|"
                    r"(?:final|last) goodbye|by the time you (?:read|see|get) this|"
                    r"(?:giving|gave|give) away (?:all )?my"),
    _rule(FAREWELL, r"tell my (?:\w+ ){1,4}(?:i love|that i love|i loved|i am sorry|sorry)|"
                    r"(?:said goodbye|hugged|kissed) (?:\w+ ){0,4}(?:like it was|as if it was|"
                    r"as if it were) the last time"),
    _rule(FAREWELL, r"(?:know|remember|understand) (?:that )?it (?:was not|is not|wasnt|isnt) "
                    r"(?:your|their|anyone s|anyones|anybodys|her|his|your guys) fault",
          strong=False, kind=_LAST_WORDS),
    _rule(FAREWELL, r"(?:please|pls) (?:take care of|look after) my|"
                    r"(?:take care of|look after) my \w+ for me"),
    _rule(FAREWELL, r"(?:suicide|goodbye) (?:note|letter)|"
                    r"(?:wrote|writing|written|left|leaving|write) (?:a |my |some |the )?"
                    r"(?:goodbye |last |final )?(?:note|notes|letter|letters) "
                    rf"(?:to|for) (?:my|the|each of my|all my) (?:\w+ )?{_EN_FAMILY}"
                    # A letter for an occasion: "for her graduation".
                    r"(?! (?:for|on|about) (?:her|his|their|the|our|a))|"
                    r"(?:wrote|writing|written|left|leaving|write) (?:\w+ )?"
                    r"(?:goodbye|last|final) (?:notes|letters)"),
    # "you won't hear from me again"
    _rule(FAREWELL,
          r"(?:will not|never|not going to) (?:ever )?(?:hear from|see|be hearing from) me "
          r"(?:again|ever again|after (?:today|tonight))|"
          r"last time (?:you will|youll|you) (?:ever )?(?:hear from|see|read|talk to) me",
          not_after=r"(?:until|till|for|before)"),
    _rule(FAREWELL, r"sorry for everything|thanks for everything|thank you for everything|"
                    r"goodbye|love you all",
          strong=False),
    # Giving away pets, guns or everything one owns (not "my old gear to the rookie").
    _rule(FAREWELL,
          r"gave my (?:\w+ )?(?:dog|cat|guns|gun) to|"
          r"(?:gave|giving|give|given|rehomed|rehoming|rehome|signed over|handed over) "
          r"(?:away )?(?:my|all my) (?:\w+ )?(?:dog|dogs|cat|cats|pet|pets|puppy|guns)|"
          r"(?:gave|giving|give|given) away (?:all )?(?:my )?(?:stuff|things|belongings|"
          r"possessions)|all my (?:stuff|things|belongings|possessions) away|"
          r"(?:found|finding) (?:a )?(?:new )?home for my (?:\w+ )?(?:dog|dogs|cat|cats|pets?)",
          strong=False, kind=_GIVING),
    _rule(FAREWELL,
          r"(?:made|making|wrote|writing|updated|updating|finished|signed|did|sorted|drew up|"
          r"redid) (?:out )?(?:my|a) (?:\w+ )?(?:will|testament)|passwords?|"
          r"(?:affairs|everything|things|paperwork) (?:is |are )?in order|life insurance|"
          r"(?:funeral|burial) (?:plans|arrangements|wishes)",
          strong=False, kind=_AFFAIRS),
    _rule(FAREWELL, r"(?:my )?(?:last|final) (?:message|text|post|words)",
          strong=False, kind=_LAST_WORDS, not_after=r"(?:before|for|till|until|of the|on)"),
    _rule(FAREWELL, r"(?:when|after|once) i am (?:gone|dead|not around|not here anymore)",
          strong=False, kind=_LAST_WORDS, not_after=r"(?:for|on|to|at)"),
    _rule(HARM_TO_OTHERS,
          r"(?:i am going to|going to|want to|wanna|will|ill|about to|plan to|planning to|"
          r"ready to|feel like|swear i will) (?:\w+ )?(?:hurt|harm|kill|shoot|stab|strangle|"
          rf"choke|murder|beat|punch|attack|beat up) (?:{_EN_PEOPLE}|whoever (?:did|hurt))",
          negatable=True, first_person=True),
    # Fear of harming someone: "i'm scared i'll hurt my wife".
    _rule(HARM_TO_OTHERS,
          r"(?:afraid|scared|terrified|worried|frightened|fear|scares me|scared to death) "
          r"(?:that )?(?:i will|ill|i might|i could|i am going to|i would|of|of myself) "
          r"(?:\w+ ){0,2}(?:hurt|hurting|harm|harming|kill|killing|strangle|strangling|choke|"
          rf"choking|shoot|shooting|attack|attacking|snap on) {_EN_PEOPLE}",
          first_person=True, not_after=_BY_ACCIDENT),
    _rule(HARM_TO_OTHERS,
          r"(?:fantasi[sz]e|fantasi[sz]ing|fantasi[sz]ed|dream|dreaming|thinking|thought|"
          r"think) about (?:hurting|killing|shooting|stabbing|strangling|choking|beating|"
          rf"attacking|murdering) {_EN_PEOPLE}",
          negatable=True, first_person=True),
    _rule(HARM_TO_OTHERS,
          r"(?:they|he|she|everyone|you) (?:all )?(?:will|are going to|is going to) "
          r"(?:all )?(?:pay|regret it|be sorry)|make (?:them|him|her|everyone) (?:all )?pay",
          strong=False),
    _rule(HARM_TO_OTHERS,
          r"(?:snap|lose it|losing it|go off) and (?:\w+ )?(?:hurt|kill|shoot|attack|strangle|"
          rf"beat|stab) {_EN_PEOPLE}",
          first_person=True, not_after=_BY_ACCIDENT),
    # A named person: "i want to kill mike". Not "kill time", "kill it", "kill the lights".
    _rule(HARM_TO_OTHERS,
          r"(?:i am going to|going to|want to|will|ill|about to|plan to|planning to|ready to) "
          r"(?:\w+ )?(?:kill|murder|strangle|stab) (?!(?:the|this|that|these|those|it|time|a|an|"
          r"some|my|for|off|me|myself|two|everything|all|any|them|him|her)\b)"
          r"[a-z]+(?: [a-z]+)?(?= *(?:[|/]|$))",
          negatable=True, first_person=True),
    # A gun brought to a workplace, outside the ordinary duty-weapon context.
    _rule(HARM_TO_OTHERS,
          r"(?:bring|bringing|brought|take|taking|carry|carrying) (?:my |a |the )?(?:\w+ )?"
          rf"{_EN_GUN} (?:\w+ )?(?:to|into) (?:the )?(?:station|work|precinct|firehouse|firehall|"
          r"house|office|briefing|meeting|hq|headquarters|party|school|court)|"
          r"shoot (?:up )?(?:the|my) (?:station|precinct|firehouse|office|work|place)",
          first_person=True, not_after="for", unless=_WORK_WEAPON),
    # ---------------------------------------------------------------- Spanish
    _rule(SUICIDE_INTENT,
          r"(?:quitarme|me quit\w*) la vida|suicidarme|me (?:voy a|quiero|quisiera|pienso) "
          r"(?:\w+ )?(?:matar|suicidar|quitar la vida)",
          negatable=True),
    _rule(SUICIDE_INTENT,
          r"(?:quiero|quisiera|voy a|pienso en|pensando en|ganas de|deseo|podria|tentado a|"
          r"intente|trate de) (?:\w+ )?(?:matarme|suicidarme|quitarme la vida)",
          negatable=True),
    _rule(SUICIDE_INTENT,
          r"(?:quiero|voy a|pienso|pensando en) (?:\w+ )?(?:acabar|terminar) con "
          r"(?:mi vida|mi existencia|todo(?= *(?:[|/]|$|ya|de una vez|hoy|esta noche)))",
          negatable=True),
    _rule(SUICIDE_INTENT, r"(?:estoy|me siento|ando|sentirme|me he sentido) (?:\w+ )?suicida|"
                          r"(?:pensamientos|ideas) suicidas|(?:pienso|pensando) en el suicidio",
          negatable=True),
    # Plans: "ya tengo pensado como hacerlo" (the "-lo" is the act, the writer plans it).
    _rule(CONTEMPLATION,
          r"(?:tengo|lo tengo|ya tengo) (?:todo |bien )?(?:pensado|planeado|decidido|calculado) "
          r"(?:como|cuando|donde) (?:hacerlo|lo voy a hacer|lo hare|lo hago|va a ser)|"
          r"(?:ya )?(?:se|decidi|elegi) (?:exactamente )?(?:como|cuando|donde) "
          r"(?:lo voy a hacer|lo hare|lo hago)",
          negatable=True),
    _rule(CONTEMPLATION,
          r"(?:ya )?se (?:exactamente )?(?:como|cuando|donde) hacerlo|"
          r"(?:ya )?tengo (?:un|el) plan(?= *(?:[|/]|$| para (?:hacerlo|esta noche|manana)))|"
          r"(?:lo )?tengo todo (?:planeado|pensado|listo|preparado|decidido)|"
          r"(?:ya )?esta todo (?:planeado|pensado|decidido|preparado)",
          strong=False, kind=_PLAN, negatable=True),
    _rule(CONTEMPLATION,
          rf"(?:esta noche|hoy|manana) es (?:la noche|el dia){_CLAUSE_END}|"
          r"(?:elegir|escoger|decidir|elegi|escogi|decidi|poner|puse) (?:el |un |la )?"
          rf"(?:dia|fecha|noche){_CLAUSE_END}|"
          r"(?:solo|nomas|ya solo) (?:me )?falta (?:\w+ )?(?:elegir|decidir|escoger|el dia|"
          r"la fecha|cuando)|lo hago (?:esta noche|manana|este fin de semana)",
          strong=False, kind=_TIMING),
    _rule(PASSIVE_IDEATION,
          r"(?:quiero|quisiera|ganas de|deseo|me quiero|me quisiera) (?:\w+ )?(?:morir|morirme)",
          negatable=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION,
          r"no (?:\w+ )?quiero (?:seguir )?(?:vivir|viviendo|vivo|estar viv[oa]|existir|"
          r"despertar|estar en este mundo)|no quiero seguir(?= *(?:[|/]|$|asi))|"
          r"no (?:\w+ )?quiero (?:seguir )?estar aqui(?= *(?:[|/]|$|mas|nunca|ya))|"
          r"no vale la pena (?:vivir|seguir|seguir viviendo|estar viv[oa])|"
          r"(?:la|mi) vida no vale (?:la pena|nada)"),
    # Doubting one wants to live: "no estoy seguro de querer seguir vivo".
    _rule(PASSIVE_IDEATION,
          r"(?:no estoy segur[oa]|no se si|dudo|ya no se si) (?:de |que |si )?(?:\w+ )?"
          r"(?:querer|quiero|quiera|pueda|poder) (?:seguir )?(?:vivir|viviendo|viv[oa]|"
          r"estar viv[oa]|seguir aqui|estar aqui)|"
          r"no se (?:para que|por que|porque) sigo viv[oa]"),
    # Sleep and not wake: "ojala me durmiera y no despertara".
    _rule(PASSIVE_IDEATION,
          r"ojala (?:\w+ ){0,4}(?:no despert\w*|me muera|me muriera|estuviera muert[oa]|"
          r"estar muert[oa]|no existir|desaparecer)|quisiera no despertar|"
          r"dorm\w* y (?:ya )?(?:no|nunca) (?:\w+ )?despert\w*|"
          r"no despertar (?:nunca|mas|manana|jamas)|(?:preferiria|prefiero) estar muert[oa]|"
          r"(?:si|y si) (?:\w+ )?(?:ya )?no (?:me )?despierto "
          rf"{_ES_THEN}(?:da igual|mejor|no importa|esta bien|no pasa nada|que importa|"
          r"tampoco pasa nada|ni modo|tanto mejor)|"
          r"(?:me da igual|no me importa|no me importaria|me daria igual) (?:\w+ )?(?:morir|"
          rf"morirme|vivir o morir|si me muero|si muero|no despertar|que me maten)"
          rf"(?! (?:{_ON_DUTY}))",
          first_person=True),
    _rule(PASSIVE_IDEATION, r"(?:quiero|quisiera|ganas de) (?:\w+ )?desaparecer|"
                            r"desaparecer para siempre",
          negatable=True, first_person=True),
    _rule(PASSIVE_IDEATION, r"(?:cansad[oa]|hart[oa]) de (?:vivir|la vida|existir)",
          negatable=True),
    _rule(HOPELESSNESS,
          r"no (?:le )?(?:veo|encuentro|tiene) (?:\w+ )?sentido (?:a |de )?(?:la vida|vivir|"
          r"seguir|nada|mi vida|estar viv[oa])|"
          r"que sentido tiene (?:seguir|vivir|la vida|todo|nada|estar viv[oa])"),
    _rule(HOPELESSNESS,
          r"no tengo (?:\w+ )?(?:razon|razones|motivo|motivos|por que|porque|para que) "
          r"(?:para |de )?(?:vivir|seguir|levantarme)|sin (?:razon|razones|motivos) para "
          r"(?:vivir|seguir)"),
    _rule(HOPELESSNESS,
          rf"no (?:puedo|aguanto|soporto) (?:mas|seguir|seguir asi){_CLAUSE_END}|"
          r"no (?:puedo|aguanto) mas con (?:esto|todo|mi vida|esta vida|la vida)|"
          r"no puedo seguir (?:asi|viviendo)"),
    # No future, for the writer; not "no veo futuro en este trabajo".
    _rule(HOPELESSNESS,
          r"no (?:le )?(?:veo|tengo|hay) (?:ningun |un |mas )?futuro|sin futuro|"
          r"no me veo (?:\w+ )?(?:vivo|viva|viviendo|llegando a viej[oa]|envejeciendo|"
          r"aqui mucho)",
          first_person=True,
          # A future somewhere or with someone is about a job or a relationship.
          not_after=r"(?:con|juntos|aqui|ahi|en)|(?:para) (?:este|esta|el|la|los|las|nosotros)"),
    _rule(HOPELESSNESS, rf"no (?:hay|tengo|veo) (?:ninguna )?salida{_CLAUSE_END}|"
                        r"(?:sin|ya no tengo|no tengo|no hay|perdi toda) (?:ninguna )?esperanza",
          strong=False),
    _rule(HOPELESSNESS,
          r"nada (?:va a|vaya a|va) (?:cambiar|mejorar)(?= *(?:[|/]|$| nunca| jamas))|"
          r"nunca (?:va a|vaya a) (?:cambiar|mejorar)(?= *(?:[|/]|$| nada))",
          strong=False, kind=_NEVER),
    _rule(BURDEN, r"mejor sin mi|mejor si (?:yo )?no (?:estuviera|existiera|estoy)"),
    _rule(BURDEN,
          r"nadie (?:me )?(?:\w+ ){0,3}(?:extranaria|extranara|extrana|extranar|echaria de menos|"
          r"notaria|se daria cuenta|notar|notarlo|echar de menos|dar cuenta)",
          not_after=r"si (?:salgo|sali|me voy|llego|falto|no voy|me escapo|me salgo)"),
    _rule(BURDEN, r"(?:soy|me siento|siento que soy) (?:\w+ )?(?:como )?(?:una carga|"
                  r"un estorbo|un peso)",
          negatable=True),
    _rule(BURDEN,
          r"(?:mejor|mas) (?:\w+ ){0,3}con (?:el )?(?:seguro|dinero del seguro|pension)|"
          r"valgo mas muert[oa]|"
          r"seguro (?:de vida )?(?:\w+ ){0,3}(?:paga|pagaria|cubre|cubriria) (?:\w+ ){0,2}"
          r"(?:suicidio|si me muero|si muero)"),
    # Spanish moves the "me" in front of the verb that governs the infinitive ("me quiero
    # aventar", "me voy a pegar un tiro"), so both orders are patterns.
    _rule(MEANS, r"(?:pegarme|me pego|darme|meterme) un (?:tiro|balazo|plomazo|disparo)|"
                 r"me (?:quiero|voy a|pienso|quisiera|dan ganas de|podria) (?:\w+ )?"
                 r"(?:pegar|dar|meter) un (?:tiro|balazo|plomazo|disparo)|"
                 r"volarme la cabeza|me (?:quiero|voy a) volar la cabeza|dispararme",
          negatable=True),
    # A gun to one's own head. Spanish drops the subject, so the writer is known by "me" or
    # "mi": "me puse la pistola en la sien"; not "me apunto con la pistola a la cabeza" (he
    # pointed it at me: "apunto" has lost its accent).
    _rule(MEANS,
          r"(?:me (?:puse|pongo|pondre|meti|meto|coloque)|ponerme|meterme) (?:\w+ ){0,2}"
          rf"{_ES_GUN} (?:\w+ ){{0,2}}(?:en|contra|a) (?:la|mi) (?:cabeza|sien|boca)|"
          rf"{_ES_GUN} (?:\w+ ){{0,2}}(?:en|contra) mi (?:cabeza|sien|boca)|apuntarme",
          first_person=True),
    # The means in hand, now: "tengo el arma de cargo en la mano".
    _rule(MEANS,
          r"(?:tengo|sostengo|estoy con|agarro|agarrando|sosteniendo) (?:\w+ ){0,3}"
          rf"(?:{_ES_GUN}|{_ES_PILLS}|soga|cuerda|cuchillo|navaja) (?:\w+ ){{0,3}}"
          r"(?:en la mano|en las manos|en mi mano|en la boca|frente a mi|delante de mi|"
          r"aqui conmigo|en las piernas|enfrente)",
          first_person=True),
    _rule(MEANS,
          rf"(?:tomarme|tragarme|me tomo|me tomare) (?:\w+ ){{0,2}}(?:{_ES_PILLS}|el frasco)",
          negatable=True),
    _rule(MEANS,
          r"(?:juntando|guardando|acumulando|juntar|ahorrando|escondiendo|junte|guarde|acumule|"
          r"ahorre|escondi|he juntado|he guardado|he acumulado|tengo guardadas) "
          rf"(?:\w+ )?{_ES_PILLS}|"
          rf"(?:suficientes|bastantes) {_ES_PILLS}|{_ES_PILLS} (?:suficientes|de sobra)|"
          rf"{_ES_PILLS} (?:\w+ ){{0,2}}(?:guardadas|juntadas|ahorradas|escondidas|acumuladas)|"
          rf"cuant[oa]s (?:\w+ ){{0,2}}{_ES_PILLS} (?:\w+ ){{0,3}}(?:hacen falta|se necesitan|"
          r"necesito|para morir|bastan|son mortales)"),
    _rule(MEANS,
          r"(?:tirarme|aventarme|lanzarme|me voy a tirar|me tiro|arrojarme|"
          r"me (?:quiero|voy a|pienso|quisiera|dan ganas de|podria) (?:\w+ )?"
          r"(?:tirar|aventar|lanzar|arrojar)) (?:\w+ )?"
          r"(?:(?:de|del|desde) (?:un |una |la |el )?(?:puente|edificio|techo|azotea|piso|"
          r"balcon|tren|metro)|(?:al|a|bajo|debajo del|a las) (?:un |una |la |el )?(?:tren|"
          r"metro|vias|vacio))",
          negatable=True),
    # A vehicle as means.
    _rule(MEANS,
          r"estrellarme|(?:estrellar|chocar|tirar|meter|lanzar) (?:el |mi |la )?(?:carro|coche|"
          r"auto|camion|camioneta|patrulla|moto|ambulancia) (?:\w+ ){0,3}(?:contra|a proposito)|"
          r"(?:meterme|tirarme|echarme|aventarme|lanzarme) (?:\w+ ){0,2}(?:debajo de|bajo|"
          r"delante de|enfrente de) (?:un|una|el|la) (?:camion|trailer|tren|carro|coche|auto|"
          r"bus|autobus)",
          negatable=True, first_person=True, not_before="casi"),
    _rule(MEANS, r"ahorcarme|colgarme|me voy a (?:ahorcar|colgar)|"
                 r"cortarme (?:las venas|las munecas)", negatable=True),
    _rule(MEANS, r"(?:compre|tengo|consegui) (?:una |la )?soga"),
    _rule(MEANS, rf"mi (?:\w+ )?{_ES_GUN}", strong=False, unless=_WORK_WEAPON),
    _rule(MEANS, rf"{_ES_PILLS}|puente|soga", strong=False),
    # Self-harm: "me volvi a cortar". Not "me corte con un vidrio".
    _rule(SELF_HARM,
          # "me volvi a cortar"; not an injury: "me volvi a lastimar la rodilla", "me volvi a
          # quemar en el incendio".
          r"(?:me (?:volvi|he vuelto|vuelvo|volvere) a (?:cortar|lastimar|quemar|hacer dano)|"
          r"volvi a (?:cortarme|lastimarme|quemarme|hacerme dano))"
          r"(?= *(?:[|/]|$| (?:a proposito|adrede|otra vez|de nuevo|los brazos|el brazo|"
          r"las piernas|las munecas|la piel)))|"
          r"(?:me sigo|sigo|estoy|ando) (?:cortandome|lastimandome|hiriendome)|"
          r"me (?:estoy|sigo|ando|he estado|estuve) (?:cortando|lastimando|hiriendo)|"
          r"cortarme (?:\w+ )?(?:los brazos|las piernas|la piel|otra vez|de nuevo)|"
          r"me (?:corte|corto|queme|quemo|estoy quemando|sigo quemando) (?:\w+ )?"
          r"(?:los brazos|el brazo|las piernas|la piel|a proposito|adrede|otra vez|de nuevo)|"
          r"autolesion\w*|"
          r"(?:lastimarme|hacerme dano|me hago dano|me lastimo)"
          r"(?= *(?:[|/]|$| a proposito| adrede| otra vez| de nuevo))",
          negatable=True, first_person=True,
          # "me corte otra vez con el cuchillo cocinando"; but not "con la navaja".
          not_after=r"(?:en|cocinando|jugando|trabajando|al|con(?! (?:la |una |el |un )?"
                    r"(?:navaja|cuchilla|hoja|gillette|cutter|encendedor|cigarro)))"),
    _rule(CONTEMPLATION,
          r"no (?:puedo )?(?:dejo de|dejar de) (?:mirarla|mirarlo|mirarlas|mirarlos|pensar en eso|"
          r"pensarlo)|sigo mirando(?:la|lo|las|los)?|(?:lo|la) miro y (?:la|lo) miro|"
          r"seria (?:tan )?facil|(?:pensando|pienso) en (?:eso|hacerlo|saltar|tirarme|"
          r"aventarme|lanzarme)|"
          r"(?:ya )?no (?:las|los|lo|la|me) (?:voy a|vaya a|va a|van a) (?:necesitar|hacer falta)|"
          r"ya no (?:me )?(?:van a )?hac(?:er|en) falta",
          strong=False),
    _rule(CONTEMPLATION,
          r"(?:mirando|mire|miro|viendo|observando) (?:\w+ )?(?:el agua|el rio|hacia abajo|"
          r"para abajo|pa abajo|abajo|las vias|el vacio|la caida)|(?:al|en el) borde|"
          r"la baranda|que alto (?:esta|es)",
          strong=False, kind=_LEDGE, first_person=True, unless=_WORK_SCENE),
    _rule(FAREWELL, r"esto es (?:una )?despedida|adios (?:para siempre|a todos)|"
                    r"cuiden (?:a |de )?mis (?:hijos|hijas|ninos|perros?)|"
                    r"diganle a (?:\w+ ){1,2}que (?:los|las|la|lo) (?:quiero|amo)|"
                    r"(?:escribi|deje|les deje) (?:una |unas )?cartas? (?:a|para) mis?|"
          r"(?:carta|cartas|nota|notas|mensaje) (?:de despedida|suicidas?)"),
    # "ya no me van a leer mas", "no van a saber mas de mi".
    _rule(FAREWELL,
          r"ya no (?:me )?(?:van a|vais a|vas a) (?:leer|ver|escuchar|oir|saber)|"
          r"no (?:van a |vais a |vas a )?(?:volver a )?saber (?:nada )?(?:mas )?de mi|"
          r"(?:nunca|jamas) (?:mas )?(?:van a |vas a )?(?:saber|oir|leer) (?:nada )?de mi|"
          r"me despido de (?:todos|ustedes|ti|vosotros)(?= *(?:[|/]|$| para siempre))",
          not_after=r"(?:hasta|por|durante|en)"),
    _rule(FAREWELL, r"perdon por todo|perdonenme|gracias por todo", strong=False),
    _rule(FAREWELL,
          r"(?:regale|regalando|regalar|regalo|le di|le deje|dejando|voy a dejar|"
          r"repartiendo|repartir|reparti) (?:a )?(?:mi|mis|todas mis|todos mis) (?:\w+ )?"
          r"(?:perro|perra|perros|gato|gata|gatos|mascota|mascotas|armas)|"
          r"(?:regale|regalando|regalar|reparti|repartiendo|repartir) (?:todas )?mis "
          r"(?:cosas|pertenencias)",
          strong=False, kind=_GIVING),
    _rule(FAREWELL,
          r"testamento|contrasenas|seguro de vida|(?:deje|dejar|dejando) (?:todo|mis cosas|"
          r"mis papeles) (?:en orden|arreglado|listo)|papeles en orden",
          strong=False, kind=_AFFAIRS),
    _rule(FAREWELL, r"(?:mi )?(?:ultimo|ultima) (?:mensaje|vez que (?:les |te |os )?escribo)",
          strong=False, kind=_LAST_WORDS, not_after=r"(?:antes|del dia|de hoy|hasta|por)"),
    _rule(CONTEMPLATION, r"miedo de lo que (?:\w+ )?(?:pueda|podria|vaya a) hacer"),
    _rule(HARM_TO_OTHERS,
          r"(?:voy a|quiero|tengo ganas de|ganas de|me dan ganas de|estoy por|pienso|miedo de|"
          r"miedo a|temo|me da miedo|podria|estoy a punto de|tentado de) "
          r"(?:\w+ )?(?:matarlo|matarla|matarlos|lastimarlo|lastimarla|lastimarlos|matar a|"
          r"lastimar a|herir a|golpear a|hacerle dano a|hacerles dano a|hacer dano a|dispararle|"
          r"apunalarlo|matar al que|matar a quien)|"
          r"(?:lo|la|los|las|le|les) (?:voy a|quiero) (?:matar|lastimar|hacer dano|herir)",
          negatable=True, not_after=_BY_ACCIDENT),
    _rule(HARM_TO_OTHERS, r"(?:ya )?(?:van|vas|va) a ver|me las (?:van|vas|va) a pagar",
          strong=False),
    _rule(HARM_TO_OTHERS,
          rf"(?:llevar|llevo|llevando|traer|traigo) (?:mi |el |la )?(?:\w+ )?{_ES_GUN} "
          r"(?:\w+ )?(?:a la|al) (?:estacion|cuartel|comisaria|trabajo|base|oficina|reunion)",
          first_person=True, not_after="para", unless=_WORK_WEAPON),
    # ---------------------------------------------------------------- French
    _rule(SUICIDE_INTENT,
          r"me suicid\w*|mettre fin a (?:mes jours|ma vie)|"
          r"me (?:foutre|sacrer|crisser|calisser) en l air|me flinguer|"
          r"en finir avec (?:la vie|ma vie|tout|moi)",
          negatable=True),
    _rule(SUICIDE_INTENT,
          r"(?:je|veux|voudrais|vais|envie de|envie d|pense a|penser a) (?:\w+ )?"
          r"me (?:tuer|buter)",
          negatable=True),
    _rule(SUICIDE_INTENT, r"en finir|j en finisse",
          negatable=True, first_person=True,
          not_after=r"avec (?:ce|cette|ces|le|la|les|l|un|une|son|sa|mon|ma|mes)"),
    _rule(SUICIDE_INTENT, r"(?:suis|me sens|sens) (?:\w+ )?suicidaire|"
                          r"(?:idees|pensees) suicidaires|pense (?:\w+ )?au suicide",
          negatable=True, first_person=True),
    # Plans: "j'ai trouve comment faire", "tout est prevu". Weak: these are everyday phrases.
    _rule(CONTEMPLATION,
          r"(?:trouve|decide|prevu|planifie|calcule|choisi|sais) (?:exactement |deja )?"
          r"(?:comment|quand|ou) (?:faire|le faire|je vais (?:le )?faire|je vais m y prendre|"
          rf"je (?:le )?ferai){_CLAUSE_END}|"
          rf"(?:j ai|g) (?:tout|un plan) (?:prevu|planifie|pret)?{_CLAUSE_END}|"
          r"tout est (?:prevu|pret|planifie|organise)",
          strong=False, kind=_PLAN, negatable=True),
    _rule(CONTEMPLATION,
          rf"c est (?:pour )?ce soir{_CLAUSE_END}|ce soir c est (?:le|la) (?:soir|nuit|bon)|"
          r"(?:choisi|choisir|fixe|fixer|decide) (?:la|une|le|un) (?:date|jour|soir|moment)"
          rf"{_CLAUSE_END}|"
          r"(?:reste|manque) (?:plus )?(?:qu )?a (?:choisir|fixer|decider) (?:le |la )?"
          r"(?:jour|date|moment|quand)",
          strong=False, kind=_TIMING),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie de|envie d|pense a|aimerais|prefererais) (?:\w+ ){0,2}"
          r"(?:mourir|crever|disparaitre)",
          negatable=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie de|envie d|aimerais|prefererais|souhaite|j espere) "
          r"(?:\w+ ){0,2}(?:ne )?(?:plus exister|(?:pas|plus|jamais) me reveiller)|"
          r"(?:m endormir|dormir|endormir) pour (?:toujours|de bon|l eternite)|"
          r"(?:m endormir|dormir|endormir|m endors|m endorme) (?:\w+ ){0,2}(?:et|pour|sans) "
          r"(?:ne )?(?:jamais|plus|pas|jamais plus) (?:\w+ )?(?:me )?reveiller|"
          rf"si (?:je )?(?:ne )?me reveille (?:pas|plus|jamais) {_FR_THEN}(?:c est "
          r"(?:pas grave|correct|ok|bien|mieux)|tant pis|tant mieux|ca m est egal|pas grave|"
          r"ce serait (?:bien|pas plus mal)|ca me derange pas)|"
          r"(?:ca m est egal|je m en fous|je m en fiche) de (?:mourir|crever|vivre ou mourir)"
          rf"(?! (?:{_ON_DUTY}))",
          first_person=True),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|ai|a) (?:\w+ )?plus (?:envie de |envie d )?(?:vivre|etre en vie|"
          r"etre vivant|exister|rester en vie|etre la(?= *(?:[|/]|$))|etre ici(?= *(?:[|/]|$)))|"
          r"plus envie de vivre|ne plus vivre|"
          r"(?:veux|voudrais) (?:\w+ )?pas (?:etre en vie|vivre|rester en vie|etre vivant)"),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie) (?:\w+ ){0,2}que (?:ca|tout) s arrete"),
    _rule(PASSIVE_IDEATION, r"(?:fatigue|fatiguee|marre|las|lasse|tanne|tannee|ecoeure|"
                            r"ecoeuree) de (?:vivre|la vie|exister)"),
    _rule(PASSIVE_IDEATION,
          rf"je (?:ne )?sais (?:\w+ )?(?:pas|plus) si (?:je |j ){_G3}(?:vivre|"
          # not "je sais pas si je vais continuer les nuits"
          r"(?:continuer|tenir)(?= *(?:[|/]|$| a vivre| comme ca| longtemps| encore)))|"
          r"(?:suis|sais) (?:pas|plus) (?:sur|sure|certain|certaine|si) (?:de |que |si )?"
          r"(?:je |j )?(?:\w+ ){0,3}(?:vivre|etre en vie|rester en vie|continuer a vivre)"),
    _rule(PASSIVE_IDEATION, r"disparaitre (?:pour de bon|pour toujours|a jamais)",
          first_person=True),
    _rule(HOPELESSNESS,
          r"plus (?:la |le )?(?:force|courage)(?= *(?:[|/]|$|de (?:continuer|vivre|me battre|"
          r"lutter|avancer|tenir)|pour (?:continuer|vivre)))"),
    _rule(HOPELESSNESS,
          r"(?:n en|j en|en) peux plus(?= *(?:[|/]|$|de (?:vivre|tout|la vie|cette vie|rien)))|"
          r"(?:suis|je suis) (?:rendu |rendue )?plus capable"
          r"(?= *(?:[|/]|$|de (?:vivre|continuer|rien|tout)))"),
    _rule(HOPELESSNESS,
          rf"a quoi bon (?:vivre|continuer|tout ca|se battre|me battre|rester){_CLAUSE_END}|"
          rf"a quoi bon{_CLAUSE_END}"),
    _rule(HOPELESSNESS,
          r"(?:aucune|pas de|plus de|plus aucune|aucun) (?:\w+ )?(?:raison|interet|sens|but) "
          r"(?:de|a|d) (?:vivre|continuer|rester|me lever)"),
    _rule(HOPELESSNESS,
          r"(?:vois|trouve) (?:\w+ )?(?:plus|pas) (?:l interet|le sens|de raison|de interet|"
          r"de sens|le but) (?:de |a |d )?(?:vivre|continuer|la vie|ma vie|rester)"),
    # No future, for the writer: "je me vois pas vivre encore un an".
    _rule(HOPELESSNESS,
          r"(?:vois|voir|ai|a) (?:\w+ )?(?:pas|plus|aucun|aucune) (?:d |de )?(?:avenir|futur)|"
          r"pas de avenir pour moi|"
          r"me vois (?:pas|plus) (?:\w+ )?(?:vivre|vieillir|etre encore la|encore en vie|"
          r"en vie|vivant)",
          first_person=True,
          # A future somewhere or with someone is about a job or a relationship.
          not_after=r"(?:avec|ensemble|dans|au|en|ici|a la|a l)|"
                    r"pour (?:ce|cette|le|la|les|nous|notre)"),
    _rule(HOPELESSNESS, r"plus envie de rien|(?:pas|plus|aucune) (?:de )?issue|"
                        r"(?:plus|aucun|plus aucun|perdu tout) (?:de )?espoir",
          strong=False),
    _rule(HOPELESSNESS,
          r"rien (?:ne )?(?:changera|va changer|s arrangera|va s arranger)"
          r"(?= *(?:[|/]|$| jamais| pour moi))|"
          r"(?:ca|ca ne|ca n) (?:va )?(?:jamais|plus jamais) (?:changer|s arranger)",
          strong=False, kind=_NEVER),
    _rule(HOPELESSNESS, r"sert a rien de (?:vivre|continuer|rester en vie)"),
    _rule(CONTEMPLATION, r"peur de ce que (?:je|j) (?:\w+ )?(?:pourrais|pourrai|vais|risque de) "
                         r"(?:\w+ )?faire"),
    _rule(BURDEN, r"mieux sans moi|mieux si je (?:n etais|etais) (?:pas|plus) la"),
    _rule(BURDEN,
          r"personne (?:ne )?(?:\w+ )?(?:me regrett\w*|me manquer\w*|remarquer\w*|"
          r"s en rendr\w*|verrait)|manquerais a personne",
          not_after=r"si (?:je |j )?(?:pars|part|partais|quitte|manque|suis en retard|"
                    r"m en vais|arrive)"),
    _rule(BURDEN, r"(?:suis|etre|me sens|sens) (?:\w+ )?(?:comme )?(?:un fardeau|un poids|"
                  r"une charge)",
          negatable=True),
    _rule(BURDEN,
          r"(?:mieux|plus a l aise|plus tranquilles?|plus heureux|plus riches?) (?:\w+ ){0,3}"
          r"avec (?:l |mon |ma |leur )?(?:assurance|argent de l assurance|pension)|"
          r"(?:vaux|vaudrais) plus (?:\w+ )?mort|"
          r"assurance (?:vie |deces )?(?:\w+ ){0,3}(?:paie|paierait|payerait|couvre|couvrirait) "
          r"(?:\w+ ){0,2}(?:suicide|si je meurs|si je mourais)"),
    _rule(MEANS, r"(?:me tirer|me mettre|me coller|me sacrer|me crisser) une balle",
          negatable=True),
    # A gun to one's own head: "je me suis mis le flingue sur la tempe", "sur ma tempe"; not
    # "il m'a mis le flingue sur la tempe".
    _rule(MEANS,
          r"(?:je me|me suis|me mets|me mettre|me mettrais|j ai mis|je mets|je pose|je tiens) "
          rf"(?:\w+ ){{0,3}}(?:{_FR_GUN}|canon) (?:\w+ ){{0,3}}(?:sur|contre|dans) (?:la|ma) "
          rf"(?:tempe|tete|bouche)|(?:{_FR_GUN}|canon) (?:\w+ ){{0,3}}(?:sur|contre|dans) "
          r"ma (?:tempe|tete|bouche)",
          first_person=True),
    # The means in hand, now: "j'ai l'arme dans la main".
    _rule(MEANS,
          r"(?:j ai|je tiens|tiens|je garde|assis avec) (?:\w+ ){0,3}"
          rf"(?:{_FR_GUN}|{_FR_PILLS}|corde|lame|couteau) (?:\w+ ){{0,3}}"
          r"(?:dans (?:la|ma|les|mes) mains?|sur les genoux|devant moi|a cote de moi)",
          first_person=True),
    _rule(MEANS,
          rf"(?:avaler|gober) (?:\w+ )?(?:tous |toutes )?(?:mes |les |des )?{_FR_PILLS}|"
          rf"prendre (?:tous|toutes|la boite|tout le) (?:\w+ ){{0,2}}{_FR_PILLS}",
          negatable=True),
    _rule(MEANS,
          r"(?:garde|gardes|mis de cote|stocke|accumule|amasse|economise|cache) (?:\w+ ){0,3}"
          rf"{_FR_PILLS}|{_FR_PILLS} (?:\w+ ){{0,2}}(?:de cote|en reserve|caches|stockes)|"
          rf"combien de (?:\w+ )?{_FR_PILLS} (?:\w+ ){{0,3}}(?:faut|faudrait|pour mourir|"
          r"pour en finir|suffisent|suffiraient)"),
    _rule(MEANS,
          r"(?:me jeter|sauter|me balancer|me lancer) (?:\w+ )?(?:du|de un|de une|de la|de l|"
          r"sous|par|depuis|dans) (?:le |la |un |une |l )?(?:pont|train|fenetre|immeuble|toit|"
          r"falaise|"
          r"balcon|metro|viaduc|voie)",
          negatable=True),
    # A vehicle as means, with intent: "j'ai envie de foncer dans un mur".
    _rule(MEANS,
          r"(?:envie de|envie d|vais|veux|pense a|pense souvent a|tente de|pourrais|"
          r"tentation de|me vois) (?:\w+ )?(?:foncer|me planter|m encastrer|me jeter|"
          r"me lancer|m ecraser|precipiter la voiture|lancer la voiture) (?:\w+ ){0,3}"
          r"(?:dans|contre|sous|du haut) (?:un |une |le |la |l )?(?:mur|arbre|pilier|pont|"
          r"camion|poteau|parapet|platane|viaduc|semi|train|falaise|ravin)",
          negatable=True),
    _rule(MEANS, r"me pendre|me (?:couper|ouvrir|taillader) les veines", negatable=True),
    _rule(MEANS, r"(?:achete|acheter|trouve|prepare|j ai) (?:une |la )corde"),
    _rule(MEANS, rf"(?:mon|ma) (?:\w+ )?{_FR_GUN}", strong=False, unless=_WORK_WEAPON),
    _rule(MEANS, rf"(?:mes|des) {_FR_PILLS}|corde|pont", strong=False),
    # Self-harm: "je me suis scarifie". Not "je me suis coupe avec le verre".
    _rule(SELF_HARM,
          r"scarifi\w*|automutil\w*|me (?:suis )?(?:mutile|mutilee)|"
          r"me (?:suis )?(?:encore |deja |de nouveau )?(?:re)?(?:coupe|coupee|brule|brulee|"
          r"taillade|tailladee) (?:\w+ )?"
          r"(?:expres|volontairement|les bras|les poignets|les cuisses|la peau|encore|de nouveau|"
          # "je me suis coupe encore en cuisinant"; but not "avec une lame".
          r"a nouveau)(?! (?:en|sur|au|a la|dans|avec(?! (?:une |la |un |le )?(?:lame|lames|"
          r"rasoir|cutter|couteau|briquet|cigarette))))|"
          r"me (?:couper|bruler|taillader|mutiler) (?:\w+ )?(?:les bras|les poignets|"
          r"les cuisses|la peau|encore|expres)|"
          r"recommence a me (?:couper|scarifier|faire du mal|bruler)|"
          r"me faire (?:du )?mal(?= *(?:[|/]|$| expres| volontairement| encore))",
          negatable=True, first_person=True),
    _rule(CONTEMPLATION,
          r"(?:arrive|peux|arrete) (?:\w+ )?(?:pas|plus) (?:a |de )?(?:m )?(?:arreter de )?"
          r"(?:la |le |les )?(?:regarder|fixer)|ce serait (?:si )?facile|"
          r"j y (?:pense|songe|reflechis)(?= *(?:[|/]|$| (?:tout le temps|sans arret|souvent|"
          r"de plus en plus|serieusement|vraiment|beaucoup|encore|chaque)))|"
          r"(?:en )?(?:aurai|aurais) (?:plus|pas) besoin",
          strong=False),
    _rule(CONTEMPLATION,
          r"(?:regarde|regarder|regardant|fixe|fixer|fixant) (?:\w+ )?(?:l eau|en bas|le vide|"
          r"la riviere|le fleuve|les voies|la chute)|au bord du (?:vide|pont|toit|quai)|"
          r"sur le parapet|(?:par dessus|enjamb\w*) (?:la |le )?(?:rambarde|balustrade|parapet)",
          strong=False, kind=_LEDGE, first_person=True, unless=_WORK_SCENE),
    _rule(FAREWELL, r"c est (?:un |mon )?adieu|adieu (?:a tous|tout le monde|les gars)|"
                    r"dites (?:a|au) (?:\w+ ){1,2}que je (?:les |l |la |le |vous )?aime|"
                    r"prenez soin de (?:ma|mon|mes)|"
                    r"(?:ecrit|laisse) (?:une |des )?lettres? (?:a|pour) (?:mes|ma|mon)|"
                    r"(?:lettre|lettres|mot|message) (?:de adieu|de suicide|de au revoir)"),
    # "vous entendrez plus parler de moi"
    _rule(FAREWELL,
          r"(?:entendrez|entendras|entendront|entendez) (?:\w+ )?(?:plus|jamais|plus jamais) "
          r"parler de moi|plus (?:jamais )?de nouvelles de moi|"
          r"(?:me verrez|me reverrez|me reverras|me verras) (?:plus|jamais)",
          not_after=r"(?:avant|jusqu|pendant|de la semaine|ce soir)"),
    _rule(FAREWELL, r"pardon pour tout|merci pour tout", strong=False),
    _rule(FAREWELL,
          r"(?:donne|donner|donnerai|donnant|confie|confier|laisse|placer|place|trouve une "
          r"famille pour) (?:\w+ )?(?:mon|ma|mes|tous mes|toutes mes) (?:\w+ )?(?:chien|chienne|"
          r"chiens|chat|chatte|chats|animaux|armes)|"
          rf"(?:donne|donner|donnant) (?:toutes )?mes affaires{_CLAUSE_END}|toutes mes affaires",
          strong=False, kind=_GIVING),
    _rule(FAREWELL,
          r"testament|mots de passe|assurance vie|assurance deces|"
          r"(?:mis|mettre) (?:mes affaires|tout|mes papiers) en ordre|"
          r"(?:tout|mes papiers) (?:est|sont) en ordre",
          strong=False, kind=_AFFAIRS),
    _rule(FAREWELL, r"(?:mon )?(?:dernier|ultime) message|derniere fois que (?:je )?(?:vous |te )?"
                    r"(?:ecris|parle)",
          strong=False, kind=_LAST_WORDS, not_after=r"(?:avant|de la journee|du jour|pour)"),
    _rule(HARM_TO_OTHERS,
          r"(?:je vais|vais|je veux|veux|envie de|envie d|je compte) (?:\w+ )?(?:le|la|les|l) "
          r"(?:tuer|buter|frapper|descendre|crever|flinguer)|"
          r"(?:je vais|vais|je veux|veux|envie de|envie d|peur de|peur d|pourrais|risque de|"
          r"capable de|finir par) (?:\w+ )?(?:faire du mal|faire mal|tuer|buter|blesser|frapper|"
          r"m en prendre) "
          r"(?:a )?(?:quelqu un|quelquun|qqn|tout le monde|lui|eux|celui qui|celle qui|"
          r"ce mec|ce type|ce connard|cet enfoire|ma femme|mon mari|mes enfants|mon fils|ma fille|"
          r"ma blonde|mon chum|ma copine|mon copain|mon chef|mon collegue|ma famille|mon ex|"
          r"mon conjoint|ma conjointe|mon partenaire|mes collegues)",
          negatable=True, not_after=_BY_ACCIDENT),
    _rule(HARM_TO_OTHERS, r"(?:ils|il|elle|vous) (?:vont|va|allez) (?:le )?(?:payer|regretter)",
          strong=False),
    _rule(HARM_TO_OTHERS,
          rf"(?:ramener|ramene|apporter|apporte|amener|amene) (?:mon |ma |une |mon )?(?:\w+ )?"
          rf"{_FR_GUN} (?:\w+ )?(?:a la caserne|au poste|au boulot|au travail|a la centrale|"
          r"a la job|a la station)",
          first_person=True, not_after="pour", unless=_WORK_WEAPON),
)

# ------------------------------------------------------------------------- normalisation

_TEXTSPEAK: dict[str, str] = {
    # English
    "kms": "kill myself", "unalive": "kill", "unalived": "killed", "unaliving": "killing",
    "sewerslide": "suicide",
    "suicidle": "suicidal", "suicidel": "suicidal", "wanna": "want to", "wana": "want to",
    "gonna": "going to",
    "gona": "going to", "gunna": "going to", "finna": "going to", "ima": "i am going to",
    "imma": "i am going to", "tryna": "trying to", "gotta": "got to", "dont": "do not",
    "dnt": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not",
    "cannot": "can not", "wont": "will not", "wouldnt": "would not", "couldnt": "could not",
    "shouldnt": "should not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
    "werent": "were not", "aint": "am not", "im": "i am", "ive": "i have", "id": "i would",
    "youre": "you are", "theyd": "they would", "theyre": "they are", "whats": "what is",
    "wats": "what is", "thats": "that is", "theres": "there is", "u": "you", "ur": "your",
    "idk": "i do not know", "idc": "i do not care", "rn": "right now", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tonite": "tonight", "ppl": "people", "noone": "no one",
    "od": "overdose",
    "wnat": "want", "wnt": "want", "bout": "about", "abt": "about", "kil": "kill",
    "killin": "killing", "livin": "living",
    "b4": "before", "everyones": "everyone is", "hes": "he is",
    "shes": "she is", "youll": "you will", "theyll": "they will", "hafta": "have to",
    "needa": "need to", "wud": "would", "cud": "could", "shud": "should", "gon": "going to",
    "2nite": "tonight", "2morrow": "tomorrow", "2moro": "tomorrow", "nite": "night",
    "no1": "no one", "sum1": "someone", "any1": "anyone", "every1": "everyone",
    "nvr": "never", "sry": "sorry", "bc": "because", "cuz": "because", "coz": "because",
    # Spanish
    "q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque",
    "porq": "porque", "xk": "porque", "kiero": "quiero", "qiero": "quiero", "kero": "quiero",
    "toy": "estoy", "stoy": "estoy", "tmb": "tambien", "tb": "tambien", "nd": "nada",
    "d": "de", "x": "por", "aki": "aqui", "vdd": "verdad", "ntp": "no te preocupes",
    "tngo": "tengo", "kisiera": "quisiera", "kiere": "quiere", "pa": "para", "nunk": "nunca",
    "nunka": "nunca", "kmo": "como", "cmo": "como", "qndo": "cuando", "cdo": "cuando",
    "dsps": "despues", "nadien": "nadie", "naiden": "nadie", "tas": "estas", "sta": "esta",
    # French
    "jsuis": "je suis", "jsui": "je suis", "chui": "je suis", "chuis": "je suis",
    "g": "j ai", "jai": "j ai", "jen": "j en", "jme": "je me", "jte": "je te",
    "jveux": "je veux", "jveu": "je veux", "jpeux": "je peux", "jpeu": "je peux",
    "jvais": "je vais", "jvai": "je vais", "jsp": "je sais pas", "jsais": "je sais",
    "jpense": "je pense", "veu": "veux", "vx": "veux", "pr": "pour", "tt": "tout",
    "ts": "tous", "tjrs": "toujours", "tjs": "toujours", "ct": "c etait", "koi": "quoi",
    "kan": "quand", "qqn": "quelqu un", "qqun": "quelqu un", "kelkun": "quelqu un",
    "mourrir": "mourir", "envi": "envie", "jamai": "jamais", "nn": "non",
    "jpp": "j en peux plus", "pcq": "parce que", "bcp": "beaucoup", "tkt": "t inquiete",
    "ptet": "peut etre", "jms": "jamais", "jame": "jamais", "mwa": "moi", "moa": "moi",
    "tlm": "tout le monde", "icitte": "ici",
    # Quebec French
    "chu": "je suis", "chus": "je suis", "pu": "plus", "jvas": "je vais",
}

# French "j" run into the next word without an apostrophe: "jcrois", "jaimerais".
_FR_AFTER_J = _words(
    "veux voudrais vais peux pourrais pense suis sais vois dois fais crois sens me te le la "
    "les y aime aimerais arrive avais etais ferai ferais compte tiens garde trouve ai en"
)

# Words close to these are corrected towards them ("sucide", "myslef"), with the largest edit
# distance allowed. Words in `_KNOWN` are never corrected.
_FUZZY: dict[str, int] = {
    "myself": 1, "anymore": 1, "without": 1, "suicide": 1, "suicidal": 2, "suicidarme": 2,
    "suicider": 1, "suicidaire": 2, "goodbye": 1, "worthless": 1, "burden": 1, "nobody": 1,
}
_KNOWN_EXTRA = (
    "suicida suicidas suicidio suicidios suicides suicider suicidaire suicidaires suicidarse "
    "suicidal suicidale himself herself yourself itself anyone homeless burned burdens "
    "nobodys goodbyes suicided somebody"
)


def _word_list(source: str) -> set[str]:
    without_escapes = re.sub(r"\\[a-zA-Z]", " ", source)
    return set(re.findall(r"[a-z]{2,}", without_escapes))


_KNOWN: frozenset[str] = frozenset(
    set().union(*(_word_list(rule.pattern.pattern) for rule in _RULES))
    | set(_KNOWN_EXTRA.split())
    | set(_FUZZY)
    | {"no", "so", "die", "me", "i", "a"}
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                              "\u02bc": "'", "\u0153": "oe", "\u00e6": "ae"})
_SPECIAL_APOSTROPHES = frozenset(chr(code) for code in _APOSTROPHES)
# French elisions ("j'ai" -> "j ai"). Each pattern starts with what it looks for, which is fast.
_ELISIONS = (re.compile(r"'(?<=\b[jlmtsncd]')(?=[a-z])"), re.compile(r"'(?<=\bqu')(?=[a-z])"))
_LEET = re.compile(r"[013@$!](?<=[a-z][013@$!])(?=[a-z])")
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "@": "a", "$": "s", "!": "i"}
_CLAUSE = re.compile(r"[.!?;:\n\r\u2026()\[\]]+")
_CONJUNCTION = re.compile(r"\b(but|pero|mais|although|though|aunque|sino)\b")
_TOKEN = re.compile(r"[a-z0-9]+|[|/]")
_RUN = re.compile(r"(.)\1{2,}")
# (a cheap test, a pattern, its replacement)
_PHRASES = (
    ("slide", re.compile(r"\bsewer ?slide\b"), "suicide"),
    ("alive", re.compile(r"\bun ?alive\b"), "kill"),
    ("any more", re.compile(r"\bany more\b"), "anymore"),
    # Quebec French: "m'as me tuer", "je vas" (I am going to).
    ("m as", re.compile(r"(?:^|(?<=[|/] ))m as\b"), "je vais"),
    ("je vas", re.compile(r"\bje vas\b"), "je vais"),
)
_COMBINING = re.compile("[\u0300-\u036f]+")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _distance_at_most(a: str, b: str, limit: int) -> bool:
    """Whether the optimal-string-alignment distance between `a` and `b` is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


_FUZZY_LETTERS = {target: frozenset(target) for target in _FUZZY}


@lru_cache(maxsize=4096)
def _canonical(token: str) -> str:
    if token in _BOUNDARIES:
        return token
    candidates = [token]
    if _RUN.search(token):
        candidates = [_RUN.sub(r"\1\1", token), _RUN.sub(r"\1", token)]
    for candidate in candidates:
        if candidate in _TEXTSPEAK:
            return _TEXTSPEAK[candidate]
        if candidate in _KNOWN:
            return candidate
        if candidate[:1] == "j" and candidate[1:] in _FR_AFTER_J:
            rest = candidate[1:]
            return f"j {rest}" if rest[0] in "aeiouy" else f"je {rest}"
    for candidate in candidates:
        if len(candidate) < 5:
            continue
        letters = frozenset(candidate)
        allowed_most = 2 if len(candidate) >= 7 else 1
        for target, limit in _FUZZY.items():
            allowed = min(limit, allowed_most)
            # Cheap first tests: each edit changes the length by at most one, and the set of
            # letters by at most two.
            if abs(len(candidate) - len(target)) > allowed:
                continue
            if len(letters ^ _FUZZY_LETTERS[target]) > 2 * allowed:
                continue
            if _distance_at_most(candidate, target, allowed):
                return target
    return candidates[0]


def normalize(text: str) -> list[str]:
    """The message as canonical lower-case words, with "|" between clauses."""
    if not _SPECIAL_APOSTROPHES.isdisjoint(text):
        text = text.translate(_APOSTROPHES)
    lowered = _strip_accents(text.casefold())
    for elision in _ELISIONS:
        lowered = elision.sub(" ", lowered)
    lowered = lowered.replace("'", "")
    lowered = _LEET.sub(lambda match: _LEET_MAP[match.group(0)], lowered)
    lowered = lowered.replace(_SOFT_BOUNDARY, " ").replace(",", f" {_SOFT_BOUNDARY} ")
    lowered = _CLAUSE.sub(f" {_BOUNDARY} ", lowered)
    lowered = _CONJUNCTION.sub(rf"{_BOUNDARY} \1", lowered)
    words: list[str] = []
    for token in _TOKEN.findall(lowered):
        words.extend(_canonical(token).split())
    joined = " ".join(words)
    for test, pattern, replacement in _PHRASES:
        if test in joined:
            joined = pattern.sub(replacement, joined)
    return joined.split()


# ------------------------------------------------------------------------- context checks


_NEGATORS = _words(
    "not never no nope nah zero cero nunca jamas ni tampoco ne n pas jamais aucunement"
)
# A negated noun before the hit: "no thoughts of hurting myself", "no tengo pensamientos
# suicidas", "aucune idee de me tuer", "zero plans to end it".
_NOUN_NEGATION = re.compile(
    r"\b(?:no|not|never|zero|without|sin|ningun|ninguna|ni|aucune|aucun|pas|sans|deny|denies|"
    r"denied|nunca|jamais) (?:\w+ ){0,2}(?:thoughts?|ideas?|ideation|intentions?|intent|plans?|"
    r"urges?|desire|pensamientos?|intencion|intenciones|planes|idees?|pensees?|envie)"
    r"(?: (?:of|about|to|de|d|a|en|sur|que))?$"
)
# Words that may stand between a negation and what it negates ("not going to", "no me",
# "ne me ... jamais"); any other word means the negation is about something else.
_GLUE = _words(
    "i am is are was be been would will could should might ever even really actually honestly "
    "seriously going to want plan planning me my do does did have feel feeling so that just "
    "yo te lo la quiero voy a pienso iria haria je j vais veux voudrais compte m en se y il "
    "suis serais ai ferais le les have has had having any got tengo tenido he ha estoy estaba "
    "ando"
)
# After a question: "suicidal? no", "me suicider ? jamais".
_POST_NEGATORS = _words("no nope nah never not nunca jamas jamais non none nada aucune")
_POST_END = frozenset({*_BOUNDARIES, "at", "du", "para", "lol", "haha", "jaja", "mdr"})

_FIRST_PERSON = _words("i me my myself mine ive yo mi je j moi m mon ma mes")
# Not "el": without its accent "el" (he) is also "el" (the), as in "estoy en el puente".
_OTHERS = _words(
    "he she they him her his them we us our pt pts patient victim guy man woman kid girl boy "
    "dude lady someone somebody person driver suspect partner wife husband brother sister son "
    "daughter buddy friend coworker captain sergeant chief mom dad father mother jumper "
    "ella ellos ellas paciente victima senor senora tipo chico chica nino nina hombre mujer "
    "il elle ils elles victime type mec gamin gamine homme femme dame monsieur collegue"
)


def _clause_before(words: list[str], start: int) -> list[str]:
    before: list[str] = []
    for word in reversed(words[:start]):
        if word in _BOUNDARIES:
            break
        before.append(word)
    before.reverse()
    return before


def _negated(words: list[str], start: int, end: int) -> bool:
    if any(word in _NEGATORS for word in words[start:end]):
        return True
    before = _clause_before(words, start)
    if _NOUN_NEGATION.search(" ".join(before[-6:])):
        return True
    for word in reversed(before[-5:]):
        if word in _NEGATORS:
            return True
        if word not in _GLUE:
            break
    after = words[end:end + 3]
    if after and after[0] in _BOUNDARIES:
        after = after[1:]
    if after and after[0] in _POST_NEGATORS:
        return len(after) == 1 or after[1] in _POST_END
    return False


def _about_someone_else(words: list[str], start: int) -> bool:
    for word in reversed(_clause_before(words, start)):
        if word in _FIRST_PERSON:
            return False
        if word in _OTHERS:
            return True
    return False


def _word_span(text: str, match: re.Match[str]) -> tuple[int, int]:
    start = text.count(" ", 0, match.start())
    end = start + len(match.group(0).split())
    return start, end


@dataclass(frozen=True, slots=True)
class _Message:
    """A normalised message, with where its clauses are and which words each one holds."""

    text: str
    words: list[str]
    starts: list[int]  # where each clause starts in `text`
    ends: list[int]  # and where it ends
    clauses_of: dict[str, list[int]]  # word -> the clauses it is in
    vocabulary: frozenset[str]  # the words of the message
    clauses_with: dict[str, list[int]]  # text -> the clauses it is in, filled in as asked

    @classmethod
    def of(cls, words: list[str]) -> _Message:
        starts, ends = [0], []
        clauses_of: dict[str, list[int]] = {}
        offset = 0
        for word in words:
            if word == _BOUNDARY:
                ends.append(max(offset - 1, starts[-1]))
                starts.append(offset + 2)
            else:
                seen = clauses_of.setdefault(word, [])
                if not seen or seen[-1] != len(ends):
                    seen.append(len(ends))
            offset += len(word) + 1
        text = " ".join(words)
        ends.append(len(text))
        return cls(text, words, starts, ends, clauses_of, frozenset(clauses_of), {})

    def clauses_for(self, rule: _Rule) -> list[int]:
        """The clauses that could hold a match of `rule`, in order."""
        if not rule.need_words and not rule.need_texts:
            return list(range(len(self.starts)))
        found: set[int] = set()
        for word in rule.need_words & self.vocabulary:
            found.update(self.clauses_of[word])
        for need in rule.need_texts:
            found.update(self._clauses_with(need))
        return sorted(found)

    def _clauses_with(self, need: str) -> list[int]:
        if need not in self.clauses_with:
            found: list[int] = []
            lead = len(need) - len(need.lstrip(" "))
            at = self.text.find(need)
            while at != -1:
                clause = bisect_right(self.starts, at + lead) - 1
                found.append(clause)
                at = self.text.find(need, self.ends[clause])
            self.clauses_with[need] = found
        return self.clauses_with[need]


def _hits(rule: _Rule, message: _Message) -> bool:
    text, words = message.text, message.words
    for clause in message.clauses_for(rule):
        start_at, end_at = message.starts[clause], message.ends[clause]
        for match in rule.pattern.finditer(text, start_at, end_at):
            start, end = _word_span(text, match)
            before = " ".join(_clause_before(words, start))
            if rule.not_before and rule.not_before.search(before):
                continue
            if rule.not_after and rule.not_after.match(text[match.end():]):
                continue
            if rule.negatable and _negated(words, start, end):
                continue
            if rule.first_person and _about_someone_else(words, start):
                continue
            return True
    return False


def assess(text: str) -> Assessment:
    """Screen one message: whether it should be treated as urgent, and the kinds of risk."""
    message = _Message.of(normalize(text))
    strong: set[str] = set()
    weak: dict[str, str] = {}  # kind of weak hit -> the category it is reported under
    context: dict[re.Pattern[str], bool] = {}
    for rule in _RULES:
        if (rule.category in strong) if rule.strong else (rule.kind in weak):
            continue
        if rule.unless:
            if rule.unless not in context:
                context[rule.unless] = rule.unless.search(message.text) is not None
            if context[rule.unless]:
                continue
        if _hits(rule, message):
            if rule.strong:
                strong.add(rule.category)
            else:
                weak[rule.kind] = rule.category
    at_risk = bool(strong) or len(weak) >= 2
    if not at_risk:
        return Assessment(at_risk=False, reasons=())
    found = strong | set(weak.values())
    return Assessment(at_risk=True, reasons=tuple(c for c in CATEGORIES if c in found))
