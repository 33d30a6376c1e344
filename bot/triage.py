"""A first screen of a responder's message for risk of suicide or of harm to others.

`assess(text)` says whether a message should be treated as urgent and why, as a tuple of short
category names (never any of the message's words). It is pure: no I/O, no network, no model.

How it reads a message
----------------------
1. Normalise: case, accents (é -> e), curly apostrophes, French elisions ("j'ai" -> "j ai"),
   English contractions ("can't" and "cant", with either apostrophe or none, become
   "can not"), letters stretched for emphasis ("myselfff"), leetspeak inside words
   ("su1c1de"), text-speak in three languages ("kms", "wanna", "unalive", "kiero", "q",
   "jveux", "chui", "g"), and a small edit-distance correction towards a few words that
   matter ("sucide", "suicidle", "myslef", "anymroe"). Sentence punctuation and "but",
   "pero" and "mais" become clause boundaries.
2. Match phrase patterns (regular expressions over the normalised words, with a few words
   allowed in between) in English, Spanish and French, grouped by category: suicide intent,
   passive ideation ("wish I wasn't here"), self-harm, means ("my gun", pills, rope, bridge),
   hopelessness ("no reason to keep going", "ya no puedo más", "plus la force"), being a burden
   ("better off without me"), farewell ("tell my kids I love them") and harm to others.
3. Check each hit in its clause:
   - negation: "I'm not suicidal", "I would never kill myself", "no quiero morir",
     "je ne me suiciderais jamais" cancel the hit, but only when the negation governs it
     directly; "I don't know why I want to die" and "I'm not sure I want to live" still count,
     and phrases that are negative by nature ("I don't want to be here anymore",
     "ya no quiero vivir", "je ne veux plus vivre") are patterns in their own right;
   - speaker: generic patterns ("want to die", "feeling suicidal", "jump off the bridge") must
     be about the writer, so "pt was suicidal" or "he jumped off the bridge" (a responder
     describing a call) do not count;
   - idioms: "I could kill for a coffee", "this paperwork is killing me", "me muero de risa",
     "ce boulot va me tuer" are not patterns, or are excluded by their context.
4. Strong hits alarm on their own. Weak hits (a mention of a gun, pills or a bridge; "thinking
   about it"; "sorry for everything") alarm only when two different kinds meet, so "my gun
   jammed at the range" does not, while "the overpass ... thinking about it" does.

Limits
------
This is a screen that errs toward caution, not a diagnosis: a human peer reads the message and
decides. It will miss risk said in ways it has no pattern for (euphemism, irony, plans stated
without a known phrase, risk spread over several messages: each message is read alone) and in
languages other than English, Spanish and French. It will raise some false alarms, for example
on dark humour that uses a risk phrase literally ("kms lol") or on a patient's words quoted in
the first person. Its labelled tests are written by the same person as its rules; the held-out
set in the tests is the fairer estimate of how it does on new messages.
"""

from __future__ import annotations

import re
import unicodedata
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


@dataclass(frozen=True, slots=True)
class Assessment:
    """Whether a message should be treated as urgent, and the kinds of risk seen in it."""

    at_risk: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Rule:
    category: str
    pattern: re.Pattern[str]
    strong: bool
    negatable: bool
    first_person: bool
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None


_BOUNDARY = "|"


def _rule(
    category: str,
    pattern: str,
    *,
    strong: bool = True,
    negatable: bool = False,
    first_person: bool = False,
    not_before: str | None = None,
    not_after: str | None = None,
) -> _Rule:
    return _Rule(
        category=category,
        pattern=re.compile(rf"\b(?:{pattern})\b"),
        strong=strong,
        negatable=negatable,
        first_person=first_person,
        # Checked against the end of the clause before the match and the start of what follows.
        not_before=re.compile(rf"\b(?:{not_before})$") if not_before else None,
        not_after=re.compile(rf"^ (?:{not_after})\b") if not_after else None,
    )


# Up to one or two words in between. Words are separated by single spaces and a clause
# boundary is a "|" token, which `\w` does not match, so a gap never crosses a clause.
_G1 = r"(?:\w+ )?"
_G2 = r"(?:\w+ ){0,2}"
_G3 = r"(?:\w+ ){0,3}"
_CLAUSE_END = r"(?= *(?:\||$))"

_EN_INTENT = (
    r"(?:want to|wanted to|going to|plan to|planning to|planned to|about to|ready to|need to|"
    r"have to|should|could|might|will|ill|feel like|tempted to|thinking (?:about|of)|"
    r"thought (?:about|of)|think (?:about|of)|considering|considered|keep thinking about)"
)
_EN_AGAIN = r"(?:anymore|any more|any longer|no more)"
_EN_PEOPLE = (
    r"(?:someone|somebody|anyone|anybody|people|him|her|them|"
    r"(?:that|the|this) (?:guy|man|woman|dude|driver|bastard|idiot|suspect|perp|prick|asshole)|"
    r"my (?:wife|husband|partner|ex|boss|sergeant|sarge|captain|lieutenant|lt|chief|neighbou?r|"
    r"supervisor|coworker|father|mother|dad|mom|kids|crew))"
)
_EN_PILLS = r"(?:pills|meds|tablets|medication|medications|pill bottle|sleeping pills)"
_EN_GUN = r"(?:gun|guns|pistol|weapon|sidearm|firearm|rifle|shotgun|glock|service weapon)"
_IDIOM_DEATH = (
    r"(?:of|from) (?:embarrassment|shame|boredom|laughter|laughing|cringe)|laughing|"
    r"de (?:la )?(?:verguenza|risa|hambre|sueno|calor|frio|pena|cansancio|aburrimiento|amor)|"
    r"de (?:faim|rire|froid|chaud|soif|peur|honte|ennui|fatigue)"
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
          r"(?:thinking|thought|think|thinkin) (?:about|of) (?:suicide|dying|death|"
          r"ending it|ending things|killing myself)",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT, r"(?:commit|committing|attempt|attempted|attempting) suicide",
          negatable=True, first_person=True),
    _rule(SUICIDE_INTENT,
          r"(?:want to|going to|should|might|will|just|about to|ready to|could) (?:\w+ )?kys",
          negatable=True),
    _rule(PASSIVE_IDEATION, r"(?:want|wanted|wanting|wish|ready|deserve) to die",
          negatable=True, first_person=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION, r"wish (?:i|i would|i had) (?:was|were|had|been) (?:dead|never born)"),
    _rule(PASSIVE_IDEATION,
          r"(?:wish|hope) i (?:would not|could not|did not|do not|will not|never) wake up|"
          r"(?:do not|never) want to wake up|(?:sleep|go to sleep) and (?:never|not) wake up"),
    _rule(PASSIVE_IDEATION,
          r"(?:do not|does not|did not|no longer) (?:\w+ )?want to (?:live|be alive|exist|"
          r"keep living|go on living|"
          rf"be (?:here|around)(?= *(?:\||$|{_EN_AGAIN}|on this earth)))"),
    _rule(PASSIVE_IDEATION,
          r"(?:not sure|unsure|do not know|dunno|do not think|doubt) (?:if |that |whether )?"
          r"(?:i|i will|ill) (?:\w+ )?(?:want to|can|wanna|be able to) (?:live|keep going|go on|"
          r"be alive|be here|keep living|wake up|exist|do this|make it)"),
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
    _rule(PASSIVE_IDEATION, r"want to (?:just )?disappear", negatable=True, first_person=True),
    _rule(PASSIVE_IDEATION, r"(?:life is|it is) not worth (?:living|it anymore)|not worth living"),
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
    _rule(HOPELESSNESS,
          rf"(?:can not|could not) (?:do|take|handle|stand) (?:this|it|life) {_EN_AGAIN}|"
          r"(?:can not|could not) (?:go on|keep going|carry on|keep living)"
          rf"(?= *(?:\||$|like this|this way|{_EN_AGAIN}|living))"),
    _rule(HOPELESSNESS, r"(?:feel|feeling|am|so|completely|totally) (?:\w+ )?hopeless",
          negatable=True, first_person=True,
          not_after=r"about (?:the|this|that|getting|work|my (?:job|career|promotion))"),
    _rule(HOPELESSNESS, rf"i am (?:just )?done{_CLAUSE_END}", strong=False),
    _rule(HOPELESSNESS, r"(?:give|giving|gave|given) up on (?:life|living|everything|myself)",
          negatable=True, first_person=True),
    _rule(HOPELESSNESS, r"no way out|(?:can not|do not) see (?:a|any) way (?:out|forward)|"
                        rf"nothing left{_CLAUSE_END}", strong=False),
    _rule(CONTEMPLATION, r"(?:scared|afraid|worried|frightened) (?:of|about) what i "
                         r"(?:might|could|will|would|am going to) do",
          first_person=True),
    _rule(HOPELESSNESS, r"(?:worthless|pointless|empty inside)", strong=False),
    _rule(BURDEN, rf"(?:better|happier|easier|fine|okay|ok) (?:off )?{_G1}without me"),
    _rule(BURDEN,
          r"(?:better|happier|easier|fine) (?:off )?if i (?:was|were|am) (?:\w+ )?"
          r"(?:gone|dead|not here|not around)"),
    _rule(BURDEN,
          r"(?:nobody|no one|noone) (?:would|will|is going to|going to|even) (?:\w+ )?"
          r"(?:miss me|notice|care if)"),
    _rule(BURDEN, r"(?:nobody|no one|noone) (?:would|will) (?:\w+ )?miss"),
    _rule(BURDEN, r"i am (?:just |only |such |nothing but )?(?:a|an) (?:\w+ )?burden|"
                  r"burden (?:to|on|for) (?:everyone|everybody|my|them|you|the)",
          negatable=True),
    _rule(MEANS, rf"(?:eat|eating|ate) my {_EN_GUN}|{_EN_GUN} {_G1}in my mouth|"
                 rf"put(?:ting)? (?:my |a |the )?{_EN_GUN} (?:in|to|against) my "
                 r"(?:mouth|head|temple)"),
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
          r"(?:saving|saved|stockpiling|stockpiled|hoarding|collecting|counting|counted) "
          rf"(?:up )?(?:\w+ )?{_EN_PILLS}",
          first_person=True),
    _rule(MEANS,
          rf"{_EN_INTENT} (?:just )?(?:overdose|overdosing|od|oding|driving into|drive into|"
          r"crashing into|crash into|drive off|driving off)",
          negatable=True, first_person=True),
    _rule(MEANS,
          r"(?:bought|buying|got|getting|made|tied|tying) (?:a |some |the |my )?(?:\w+ )?"
          r"(?:rope|noose)",
          first_person=True, not_after="(?:rescue|bag|team|access|ladder|course|drill)"),
    _rule(SELF_HARM, r"(?:cut|cutting|slit|slitting) my (?:wrists|wrist|throat|arms)|"
                     r"(?:cut|cutting|hurt|hurting|harm|harming) my ?self",
          negatable=True,
          not_after=r"(?:on|with|shaving|while|opening|by accident|at work|lifting)"),
    _rule(MEANS, rf"my {_EN_GUN}|{_EN_PILLS}|bridge|overpass|rope|train tracks|the tracks",
          strong=False),
    _rule(CONTEMPLATION,
          r"(?:thinking|thought|think|thinkin) about (?:it|that|doing it|jumping|it again)|"
          r"(?:so|would be|it would be) (?:so )?easy|tempted|(?:keep|kept) (?:looking|staring) at|"
          r"not for camping|just in case|(?:will not|won t) need (?:them|it|these|those)",
          strong=False),
    _rule(FAREWELL, r"this is (?:my )?goodbye|goodbye (?:forever|for good)|"
                    r"(?:final|last) goodbye|by the time you (?:read|see|get) this|"
                    r"(?:giving|gave|give) away (?:all )?my"),
    _rule(FAREWELL, r"tell my (?:\w+ ){1,4}(?:i love|that i love|i loved|i am sorry|sorry)"),
    _rule(FAREWELL, r"(?:please|pls) (?:take care of|look after) my|"
                    r"(?:take care of|look after) my \w+ for me"),
    _rule(FAREWELL, r"(?:suicide|goodbye) (?:note|letter)|"
                    r"(?:wrote|writing|left|leaving|write) (?:a |my )?"
                    r"(?:note|notes|letter|letters) "
                    r"(?:to|for) my (?:kids|children|wife|husband|family|parents|mom|dad|son|"
                    r"daughter)"),
    _rule(FAREWELL, r"sorry for everything|thanks for everything|thank you for everything|"
                    r"goodbye|love you all|"
                    r"gave my (?:\w+ )?(?:dog|cat|guns|gun|stuff|things|truck|bike) to",
          strong=False),
    _rule(HARM_TO_OTHERS,
          r"(?:i am going to|going to|want to|wanna|will|ill|about to|plan to|planning to|"
          r"ready to|feel like|swear i will) (?:\w+ )?(?:hurt|harm|kill|shoot|stab|strangle|"
          rf"choke|murder|beat|punch|attack|beat up) (?:{_EN_PEOPLE}|whoever (?:did|hurt))",
          negatable=True, first_person=True),
    # A named person: "i want to kill mike". Not "kill time", "kill it", "kill the lights".
    _rule(HARM_TO_OTHERS,
          r"(?:i am going to|going to|want to|will|ill|about to|plan to|planning to|ready to) "
          r"(?:\w+ )?(?:kill|murder|strangle|stab) (?!(?:the|this|that|these|those|it|time|a|an|"
          r"some|my|for|off|me|myself|two|everything|all|any|them|him|her)\b)"
          r"[a-z]+(?: [a-z]+)?(?= *(?:\||$))",
          negatable=True, first_person=True),
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
          r"(?:mi vida|mi existencia|todo(?= *(?:\||$|ya|de una vez|hoy|esta noche)))",
          negatable=True),
    _rule(SUICIDE_INTENT, r"(?:estoy|me siento|ando|sentirme|me he sentido) (?:\w+ )?suicida|"
                          r"(?:pensamientos|ideas) suicidas|(?:pienso|pensando) en el suicidio",
          negatable=True),
    _rule(PASSIVE_IDEATION,
          r"(?:quiero|quisiera|ganas de|deseo|me quiero|me quisiera) (?:\w+ )?(?:morir|morirme)",
          negatable=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION,
          r"no (?:\w+ )?quiero (?:seguir )?(?:vivir|viviendo|vivo|estar viv[oa]|existir|"
          r"despertar|estar en este mundo)|no quiero seguir(?= *(?:\||$|asi))|"
          r"no (?:\w+ )?quiero (?:seguir )?estar aqui(?= *(?:\||$|mas|nunca|ya))|"
          r"dormir y (?:ya )?no despertar\w*|"
          r"no vale la pena (?:vivir|seguir|seguir viviendo|estar viv[oa])|"
          r"(?:la|mi) vida no vale (?:la pena|nada)"),
    _rule(PASSIVE_IDEATION,
          r"ojala (?:\w+ )?(?:no despert\w*|me muera|me muriera|estuviera muert[oa]|"
          r"estar muert[oa]|no existir|desaparecer)|quisiera no despertar|"
          r"no despertar (?:nunca|mas|manana)|(?:preferiria|prefiero) estar muert[oa]"),
    _rule(PASSIVE_IDEATION, r"(?:quiero|quisiera|ganas de) (?:\w+ )?desaparecer",
          negatable=True),
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
    _rule(BURDEN, r"mejor sin mi|mejor si (?:yo )?no (?:estuviera|existiera|estoy)"),
    _rule(BURDEN,
          r"nadie (?:me )?(?:\w+ ){0,2}(?:extranaria|extranara|extrana|extranar|echaria de menos|"
          r"notaria|se daria cuenta)"),
    _rule(BURDEN, r"soy (?:\w+ )?(?:una carga|un estorbo|un peso)", negatable=True),
    _rule(MEANS, r"(?:pegarme|me pego|darme|meterme) un tiro|volarme la cabeza|dispararme",
          negatable=True),
    _rule(MEANS,
          r"(?:tomarme|tragarme|me tomo|me tomare) (?:\w+ ){0,2}(?:pastillas|pildoras|"
          r"medicamentos|el frasco)",
          negatable=True),
    _rule(MEANS, r"(?:juntando|guardando|acumulando|juntar|ahorrando) (?:\w+ )?"
                 r"(?:pastillas|pildoras)"),
    _rule(MEANS,
          r"(?:tirarme|aventarme|lanzarme|me voy a tirar|me tiro|arrojarme) (?:\w+ )?"
          r"(?:de|del|desde|al|a|bajo) (?:un |una |la |el )?(?:puente|edificio|techo|azotea|"
          r"piso|balcon|tren|metro|vias)",
          negatable=True),
    _rule(MEANS, r"ahorcarme|colgarme|me voy a (?:ahorcar|colgar)|"
                 r"cortarme (?:las venas|las munecas)", negatable=True),
    _rule(MEANS, r"(?:compre|tengo|consegui) (?:una |la )?soga"),
    _rule(MEANS, r"mi (?:pistola|arma|revolver|escopeta)|pastillas|pildoras|puente|soga",
          strong=False),
    _rule(FAREWELL, r"esto es (?:una )?despedida|adios (?:para siempre|a todos)|"
                    r"cuiden (?:a |de )?mis (?:hijos|hijas|ninos|perros?)|"
                    r"diganle a (?:\w+ ){1,2}que (?:los|las|la|lo) (?:quiero|amo)|"
                    r"(?:escribi|deje|les deje) (?:una |unas )?cartas? (?:a|para) mis?"),
    _rule(FAREWELL, r"perdon por todo|perdonenme|gracias por todo", strong=False),
    _rule(CONTEMPLATION, r"miedo de lo que (?:\w+ )?(?:pueda|podria|vaya a) hacer"),
    _rule(HARM_TO_OTHERS,
          r"(?:voy a|quiero|tengo ganas de|ganas de|me dan ganas de|estoy por|pienso) "
          r"(?:\w+ )?(?:matarlo|matarla|matarlos|lastimarlo|lastimarla|matar a|lastimar a|"
          r"herir a|golpear a|hacerle dano a|hacer dano a|dispararle|apunalarlo|matar al que|"
          r"matar a quien)|"
          r"(?:lo|la|los|las|le|les) (?:voy a|quiero) (?:matar|lastimar|hacer dano|herir)",
          negatable=True),
    # ---------------------------------------------------------------- French
    _rule(SUICIDE_INTENT,
          r"me suicid\w*|mettre fin a (?:mes jours|ma vie)|me foutre en l air|me flinguer|"
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
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie de|envie d|pense a|aimerais|prefererais) (?:\w+ ){0,2}"
          r"(?:mourir|crever|disparaitre)",
          negatable=True, not_after=_IDIOM_DEATH),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie de|envie d|aimerais|prefererais) (?:\w+ )?"
          r"(?:ne )?(?:plus exister|(?:pas|plus) me reveiller)"),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|ai|a) (?:\w+ )?plus (?:envie de )?vivre|plus envie de vivre|"
          r"ne plus vivre"),
    _rule(PASSIVE_IDEATION,
          r"(?:veux|voudrais|envie) (?:\w+ ){0,2}que (?:ca|tout) s arrete"),
    _rule(PASSIVE_IDEATION, r"(?:fatigue|fatiguee|marre|las|lasse) de (?:vivre|la vie|exister)"),
    _rule(PASSIVE_IDEATION,
          rf"je (?:ne )?sais (?:\w+ )?(?:pas|plus) si (?:je |j ){_G3}(?:vivre|continuer|tenir)"),
    _rule(HOPELESSNESS,
          r"plus (?:la |le )?(?:force|courage)(?= *(?:\||$|de (?:continuer|vivre|me battre|"
          r"lutter|avancer|tenir)|pour (?:continuer|vivre)))"),
    _rule(HOPELESSNESS,
          r"(?:n en|j en|en) peux plus(?= *(?:\||$|de (?:vivre|tout|la vie|cette vie|rien)))"),
    _rule(HOPELESSNESS,
          rf"a quoi bon (?:vivre|continuer|tout ca|se battre|me battre|rester){_CLAUSE_END}|"
          rf"a quoi bon{_CLAUSE_END}"),
    _rule(HOPELESSNESS,
          r"(?:aucune|pas de|plus de|plus aucune|aucun) (?:\w+ )?(?:raison|interet|sens|but) "
          r"(?:de|a|d) (?:vivre|continuer|rester|me lever)"),
    _rule(HOPELESSNESS,
          r"(?:vois|trouve) (?:\w+ )?(?:plus|pas) (?:l interet|le sens|de raison|d interet|"
          r"de sens|le but) (?:de |a |d )?(?:vivre|continuer|la vie|ma vie|rester)"),
    _rule(HOPELESSNESS, r"plus envie de rien", strong=False),
    _rule(HOPELESSNESS, r"sert a rien de (?:vivre|continuer|rester en vie)"),
    _rule(CONTEMPLATION, r"peur de ce que (?:je|j) (?:\w+ )?(?:pourrais|pourrai|vais|risque de) "
                         r"(?:\w+ )?faire"),
    _rule(BURDEN, r"mieux sans moi|mieux si je (?:n etais|etais) (?:pas|plus) la"),
    _rule(BURDEN,
          r"personne (?:ne )?(?:\w+ )?(?:me regrett\w*|me manquer\w*|remarquer\w*|"
          r"s en rendr\w*|verrait)|manquerais a personne"),
    _rule(BURDEN, r"(?:suis|etre) (?:\w+ )?(?:un fardeau|un poids|une charge)", negatable=True),
    _rule(MEANS, r"(?:me tirer|me mettre|me coller) une balle", negatable=True),
    _rule(MEANS,
          r"(?:avaler|gober) (?:\w+ )?(?:tous |toutes )?(?:mes |les |des )?(?:cachets|medocs|"
          r"medicaments|pilules|comprimes)|prendre (?:tous|toutes|la boite|tout le) (?:\w+ ){0,2}"
          r"(?:cachets|medocs|medicaments|pilules|comprimes)",
          negatable=True),
    _rule(MEANS,
          r"(?:me jeter|sauter|me balancer|me lancer) (?:\w+ )?(?:du|d un|d une|de la|sous|par|"
          r"depuis|dans) (?:le |la |un |une |l )?(?:pont|train|fenetre|immeuble|toit|falaise|"
          r"balcon|metro|viaduc|voie)",
          negatable=True),
    _rule(MEANS, r"me pendre|me (?:couper|ouvrir|taillader) les veines", negatable=True),
    _rule(MEANS, r"(?:achete|acheter|trouve|prepare|j ai) (?:une |la )corde"),
    _rule(MEANS, r"mon (?:arme|flingue|pistolet|fusil)|(?:mes|des) (?:cachets|medocs|pilules)|"
                 r"corde|pont",
          strong=False),
    _rule(FAREWELL, r"c est (?:un |mon )?adieu|adieu (?:a tous|tout le monde|les gars)|"
                    r"dites (?:a|au) (?:\w+ ){1,2}que je (?:les |l |la |le |vous )?aime|"
                    r"prenez soin de (?:ma|mon|mes)|"
                    r"(?:ecrit|laisse) (?:une |des )?lettres? (?:a|pour) (?:mes|ma|mon)"),
    _rule(FAREWELL, r"pardon pour tout|merci pour tout", strong=False),
    _rule(HARM_TO_OTHERS,
          r"(?:je vais|vais|je veux|veux|envie de|envie d|je compte) (?:\w+ )?(?:le|la|les|l) "
          r"(?:tuer|buter|frapper|descendre|crever|flinguer)|"
          r"(?:je vais|vais|je veux|veux|envie de|envie d) (?:\w+ )?(?:faire du mal|tuer|buter|"
          r"blesser|frapper) (?:a )?(?:quelqu un|quelquun|qqn|tout le monde|lui|eux|"
          r"celui qui|celle qui|ce mec|ce type|ce connard|cet enfoire)",
          negatable=True),
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
    "shes": "she is",
    # Spanish
    "q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque",
    "porq": "porque", "xk": "porque", "kiero": "quiero", "qiero": "quiero", "kero": "quiero",
    "toy": "estoy", "stoy": "estoy", "tmb": "tambien", "tb": "tambien", "nd": "nada",
    "d": "de", "x": "por", "aki": "aqui", "vdd": "verdad", "ntp": "no te preocupes",
    # French
    "jsuis": "je suis", "jsui": "je suis", "chui": "je suis", "chuis": "je suis",
    "g": "j ai", "jai": "j ai", "jen": "j en", "jme": "je me", "jte": "je te",
    "jveux": "je veux", "jveu": "je veux", "jpeux": "je peux", "jpeu": "je peux",
    "jvais": "je vais", "jvai": "je vais", "jsp": "je sais pas", "jsais": "je sais",
    "jpense": "je pense", "veu": "veux", "vx": "veux", "pr": "pour", "tt": "tout",
    "ts": "tous", "tjrs": "toujours", "tjs": "toujours", "ct": "c etait", "koi": "quoi",
    "kan": "quand", "qqn": "quelqu un", "qqun": "quelqu un", "kelkun": "quelqu un",
    "mourrir": "mourir", "envi": "envie", "jamai": "jamais", "nn": "non",
}

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
_ELISION = re.compile(r"\b(j|l|m|t|s|n|c|d|qu)'(?=[a-z])")
_LEET = re.compile(r"(?<=[a-z])[013@$!](?=[a-z])")
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "@": "a", "$": "s", "!": "i"}
_CLAUSE = re.compile(r"[.!?;:,\n\r\u2026()\[\]]+")
_CONJUNCTION = re.compile(r"\b(but|pero|mais|although|though|aunque|sino)\b")
_TOKEN = re.compile(r"[a-z0-9]+|\|")
_RUN = re.compile(r"(.)\1{2,}")
_PHRASES = (
    (re.compile(r"\bsewer ?slide\b"), "suicide"),
    (re.compile(r"\bun ?alive\b"), "kill"),
    (re.compile(r"\bany more\b"), "anymore"),
)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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


@lru_cache(maxsize=4096)
def _canonical(token: str) -> str:
    if token == _BOUNDARY:
        return token
    candidates = [token]
    if _RUN.search(token):
        candidates = [_RUN.sub(r"\1\1", token), _RUN.sub(r"\1", token)]
    for candidate in candidates:
        if candidate in _TEXTSPEAK:
            return _TEXTSPEAK[candidate]
        if candidate in _KNOWN:
            return candidate
    for candidate in candidates:
        if len(candidate) < 5:
            continue
        for target, limit in _FUZZY.items():
            allowed = limit if len(candidate) >= 7 else 1
            if _distance_at_most(candidate, target, allowed):
                return target
    return candidates[0]


def normalize(text: str) -> list[str]:
    """The message as canonical lower-case words, with "|" between clauses."""
    lowered = _strip_accents(text.translate(_APOSTROPHES)).casefold()
    lowered = _ELISION.sub(r"\1 ", lowered)
    lowered = lowered.replace("'", "")
    lowered = _LEET.sub(lambda match: _LEET_MAP[match.group(0)], lowered)
    lowered = _CLAUSE.sub(f" {_BOUNDARY} ", lowered)
    lowered = _CONJUNCTION.sub(rf"{_BOUNDARY} \1", lowered)
    words: list[str] = []
    for token in _TOKEN.findall(lowered):
        words.extend(_canonical(token).split())
    joined = " ".join(words)
    for pattern, replacement in _PHRASES:
        joined = pattern.sub(replacement, joined)
    return joined.split()


# ------------------------------------------------------------------------- context checks


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEGATORS = _words("not never no nope nah nunca jamas ni tampoco ne n pas jamais aucunement")
# Words that may stand between a negation and what it negates ("not going to", "no me",
# "ne me ... jamais"); any other word means the negation is about something else.
_GLUE = _words(
    "i am is are was be been would will could should might ever even really actually honestly "
    "seriously going to want plan planning me my do does did have feel feeling so that just "
    "yo te lo la quiero voy a pienso iria haria je j vais veux voudrais compte m en se y il "
    "suis serais ai ferais le les"
)
# After a question: "suicidal? no", "me suicider ? jamais".
_POST_NEGATORS = _words("no nope nah never not nunca jamas jamais non")
_POST_END = frozenset({_BOUNDARY, "at", "du", "para", "lol", "haha", "jaja", "mdr"})

_FIRST_PERSON = _words("i me my myself mine ive yo mi je j moi m mon ma mes")
_OTHERS = _words(
    "he she they him her his them we us our pt pts patient victim guy man woman kid girl boy "
    "dude lady someone somebody person driver suspect partner wife husband brother sister son "
    "daughter buddy friend coworker captain sergeant chief mom dad father mother jumper "
    "el ella ellos ellas paciente victima senor senora tipo chico chica nino nina hombre mujer "
    "il elle ils elles victime type mec gamin gamine homme femme dame monsieur collegue"
)


def _clause_before(words: list[str], start: int) -> list[str]:
    before: list[str] = []
    for word in reversed(words[:start]):
        if word == _BOUNDARY:
            break
        before.append(word)
    before.reverse()
    return before


def _negated(words: list[str], start: int, end: int) -> bool:
    if any(word in _NEGATORS for word in words[start:end]):
        return True
    for word in reversed(_clause_before(words, start)[-5:]):
        if word in _NEGATORS:
            return True
        if word not in _GLUE:
            break
    after = words[end:end + 3]
    if after and after[0] == _BOUNDARY:
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


def _hits(rule: _Rule, text: str, words: list[str]) -> bool:
    for match in rule.pattern.finditer(text):
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
    words = normalize(text)
    joined = " ".join(words)
    strong: set[str] = set()
    weak: set[str] = set()
    for rule in _RULES:
        if (rule.category in strong) if rule.strong else (rule.category in weak):
            continue
        if _hits(rule, joined, words):
            (strong if rule.strong else weak).add(rule.category)
    at_risk = bool(strong) or len(weak) >= 2
    if not at_risk:
        return Assessment(at_risk=False, reasons=())
    found = strong | weak
    return Assessment(at_risk=True, reasons=tuple(c for c in CATEGORIES if c in found))
